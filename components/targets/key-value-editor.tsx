"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { RequiredMark } from "./field-parts.tsx";
import { newRow, type MapRow } from "./schema-draft.ts";
import { SECRET_MASK } from "./secret-mask.ts";
import styles from "./targets.module.css";

/** A string-to-string map (e.g. HTTP headers) edited as rows of key and value. */
export function KeyValueEditor({
  id,
  label,
  required,
  hint,
  rows,
  onChange,
  groupErrors,
  rowError,
}: {
  id: string;
  label: string;
  required: boolean;
  hint?: string | undefined;
  rows: MapRow[];
  onChange: (rows: MapRow[]) => void;
  groupErrors: string[];
  rowError: (key: string) => string | undefined;
}) {
  const addRow = useRef<HTMLDivElement>(null);
  // Focus follows the row just added, or returns to "Add entry" when a row goes away.
  const [focusTarget, setFocusTarget] = useState<string | "add" | null>(null);
  useEffect(() => {
    if (focusTarget === null) return;
    if (focusTarget === "add") addRow.current?.querySelector("button")?.focus();
    else document.getElementById(focusTarget)?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  function update(rowId: string, patch: Partial<MapRow>) {
    onChange(rows.map((row) => (row.rowId === rowId ? { ...row, ...patch } : row)));
  }

  return (
    <fieldset className={styles.wide}>
      <legend>
        {label}
        {required ? <RequiredMark /> : <span className="muted"> (optional)</span>}
      </legend>
      {hint ? <p className={styles.fieldsetHint}>{hint}</p> : null}
      {groupErrors.map((message) => (
        <p key={message} className={styles.groupError} role="alert">
          {message}
        </p>
      ))}
      {rows.length === 0 ? <p className={styles.fieldsetHint}>No entries.</p> : null}
      <div className="stack" style={{ gap: 6 }}>
        {rows.map((row, index) => {
          const n = index + 1;
          const error = row.key.trim() ? rowError(row.key.trim()) : undefined;
          const keyId = `${id}-${row.rowId}-key`;
          const masked = row.value === SECRET_MASK;
          const valueHintId = `${id}-masked-hint`;
          return (
            <div key={row.rowId} className={styles.kvRow}>
              <input
                id={keyId}
                type="text"
                aria-label={`${label} key ${n}`}
                placeholder="Key"
                spellCheck={false}
                autoComplete="off"
                value={row.key}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${keyId}-error` : undefined}
                onChange={(e) => update(row.rowId, { key: e.target.value })}
              />
              <input
                type={row.secret ? "password" : "text"}
                autoComplete={row.secret ? "new-password" : "off"}
                aria-label={`${label} value ${n}`}
                placeholder="Value"
                spellCheck={false}
                value={row.value}
                aria-describedby={masked ? valueHintId : undefined}
                onFocus={(e) => {
                  if (e.target.value === SECRET_MASK) e.target.select();
                }}
                onChange={(e) => update(row.rowId, { value: e.target.value })}
              />
              <Button
                small
                variant="ghost"
                aria-label={`Remove ${label} entry ${n}`}
                onClick={() => {
                  onChange(rows.filter((r) => r.rowId !== row.rowId));
                  setFocusTarget("add");
                }}
              >
                Remove
              </Button>
              {error ? (
                <span className={`${styles.groupError} ${styles.kvError}`} id={`${keyId}-error`} role="alert">
                  {error}
                </span>
              ) : null}
            </div>
          );
        })}
      </div>
      {rows.some((row) => row.value === SECRET_MASK) ? (
        <p className={styles.fieldsetHint} id={`${id}-masked-hint`}>Values shown as {SECRET_MASK} are kept as stored unless you type new ones.</p>
      ) : null}
      <div ref={addRow}>
        <Button
          small
          onClick={() => {
            const row = newRow();
            onChange([...rows, row]);
            setFocusTarget(`${id}-${row.rowId}-key`);
          }}
        >
          Add entry
        </Button>
      </div>
    </fieldset>
  );
}
