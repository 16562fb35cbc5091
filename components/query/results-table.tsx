"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import type { QueryColumn } from "@/server/query/column-types.ts";
import styles from "./query.module.css";

/** Every row is this tall: the virtualizer never measures. */
const ROW_HEIGHT = 30;

function cellText(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "null";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/**
 * The results: a virtualized ARIA table (only the visible rows are in the
 * DOM, so 10 000 rows scroll smoothly) whose header names each column and the
 * type inferred from its values. It grows as rows stream in.
 */
export function ResultsTable({ columns, rows, rowCount }: { columns: QueryColumn[]; rows: Record<string, unknown>[]; rowCount: number }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
  });
  const template = `64px repeat(${columns.length}, minmax(140px, 1fr))`;
  const minWidth = 64 + columns.length * 140;
  return (
    <div ref={scrollRef} className={styles.resultsScroll} style={{ height: (rowCount + 1) * ROW_HEIGHT + 2 }} role="table" aria-label="Query results" aria-rowcount={rowCount + 1} aria-colcount={columns.length + 1}>
      <div style={{ minWidth }}>
        <div role="rowgroup" className={styles.resultsHead}>
          <div role="row" aria-rowindex={1} className={styles.resultsRow} style={{ gridTemplateColumns: template, height: ROW_HEIGHT }}>
            <div role="columnheader" className={styles.rowNumber}>
              #
            </div>
            {columns.map((column) => (
              <div role="columnheader" key={column.name} title={`${column.name}: ${column.type}`}>
                <span>{column.name}</span> <span className={`${styles.typeTag} ${styles[`type-${column.type}`] ?? ""}`}>{column.type}</span>
              </div>
            ))}
          </div>
        </div>
        <div role="rowgroup" className={styles.resultsBody} style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <div
                role="row"
                key={item.key}
                aria-rowindex={item.index + 2}
                className={`${styles.resultsRow} ${styles.resultsBodyRow}`}
                style={{ gridTemplateColumns: template, height: ROW_HEIGHT, transform: `translateY(${item.start - ROW_HEIGHT}px)` }}
              >
                <div role="cell" className={styles.rowNumber}>
                  {item.index + 1}
                </div>
                {columns.map((column) => {
                  const value = row[column.name];
                  return (
                    <div role="cell" key={column.name} className={value === null || value === undefined ? styles.nullCell : typeof value === "number" ? styles.numCell : undefined} title={cellText(value)}>
                      {cellText(value)}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
