"use client";

import { Button } from "@/components/ui/button.tsx";
import { ConfirmButton } from "@/components/ui/confirm-button.tsx";
import type { NotificationRule } from "@/server/rules/notification-config.ts";
import styles from "./buckets.module.css";

export interface TargetLabel {
  name: string;
  arn: string;
}

/** The bucket's rules in evaluation order, with Edit and Delete per rule. */
export function RulesTable({
  rules,
  targetOf,
  onEdit,
  onDelete,
  busyRuleId,
}: {
  rules: readonly NotificationRule[];
  targetOf: (arn: string) => TargetLabel;
  onEdit: (rule: NotificationRule) => void;
  onDelete: (rule: NotificationRule) => void;
  /** The rule being deleted, whose buttons are disabled meanwhile. */
  busyRuleId: string | null;
}) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Rules">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Rule ID</th>
            <th scope="col">Events</th>
            <th scope="col">Prefix</th>
            <th scope="col">Suffix</th>
            <th scope="col">Targets</th>
            <th scope="col">
              <span className={styles.srOnly}>Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, index) => (
            <tr key={rule.id}>
              <td className="muted">{index + 1}</td>
              <td>
                <code>{rule.id}</code>
              </td>
              <td>
                <div className={styles.chips}>
                  {rule.events.map((name) => (
                    <code key={name} className={styles.chip}>
                      {name}
                    </code>
                  ))}
                </div>
              </td>
              <td>{rule.prefix ? <code>{rule.prefix}</code> : <span className="muted">any</span>}</td>
              <td>{rule.suffix ? <code>{rule.suffix}</code> : <span className="muted">any</span>}</td>
              <td>
                <div className="stack" style={{ gap: 6 }}>
                  {rule.targetArns.map((arn) => {
                    const target = targetOf(arn);
                    return (
                      <div key={arn} className={styles.targetCell}>
                        <span>{target.name}</span>
                        {target.name !== arn ? <code className={styles.arn}>{arn}</code> : null}
                      </div>
                    );
                  })}
                </div>
              </td>
              <td className={styles.actionsCell}>
                <div className="row" style={{ justifyContent: "flex-end", flexWrap: "nowrap" }}>
                  <Button small onClick={() => onEdit(rule)} disabled={busyRuleId === rule.id} aria-label={`Edit rule ${rule.id}`}>
                    Edit
                  </Button>
                  <ConfirmButton
                    small
                    disabled={busyRuleId === rule.id}
                    label={
                      <>
                        Delete<span className={styles.srOnly}> rule {rule.id}</span>
                      </>
                    }
                    title={`Delete rule ${rule.id}?`}
                    confirmLabel="Delete rule"
                    onConfirm={() => onDelete(rule)}
                  >
                    Events of this bucket stop being delivered through rule <code>{rule.id}</code>. Other rules are not changed.
                  </ConfirmButton>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
