"use client";

import { TargetRow } from "./target-row.tsx";
import type { Target } from "./target-types.ts";
import styles from "./targets.module.css";

export function TargetsTable({ targets, onEdit, onNotice }: { targets: Target[]; onEdit: (target: Target) => void; onNotice: (notice: string) => void }) {
  return (
    <div className="table-wrap">
      <table className={`table ${styles.table}`}>
        <caption className={styles.caption}>Configured targets</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">ARN</th>
            <th scope="col">Health</th>
            <th scope="col" className={styles.num}>
              Queued
            </th>
            <th scope="col" className={styles.num}>
              Dead letters
            </th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((target) => (
            <TargetRow key={target.arn} target={target} onEdit={onEdit} onNotice={onNotice} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
