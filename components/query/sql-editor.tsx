"use client";

import { useMemo, useRef, type KeyboardEvent } from "react";
import { highlightSql, offsetOf } from "./sql-highlight.ts";
import styles from "./query.module.css";

/**
 * The SQL editor: a plain textarea (so typing, selection, undo and
 * accessibility are the browser's own) over a <pre> that shows the same text
 * coloured. Both share font, padding and scroll, so the colours line up with
 * the caret. Ctrl/Cmd+Enter runs; an error position is underlined.
 */
export function SqlEditor({
  value,
  onChange,
  onRun,
  errorAt,
  invalid,
}: {
  value: string;
  onChange: (value: string) => void;
  onRun: () => void;
  errorAt?: { line: number; column: number } | undefined;
  invalid?: boolean;
}) {
  const pre = useRef<HTMLPreElement>(null);
  const marked = errorAt ? offsetOf(value, errorAt.line, errorAt.column) : -1;
  const segments = useMemo(() => highlightSql(value), [value]);

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
    }
  }

  return (
    <div className={`${styles.editor} ${invalid || marked >= 0 ? styles.editorInvalid : ""}`}>
      <pre ref={pre} className={styles.editorHighlight} aria-hidden="true">
        {segments.map((segment) => {
          const hit = marked >= segment.start && marked < segment.start + segment.text.length && segment.kind !== "space";
          return (
            <span key={segment.start} className={`${styles[`sql-${segment.kind}`] ?? ""} ${hit ? styles.sqlError : ""}`} data-error={hit ? "true" : undefined}>
              {segment.text}
            </span>
          );
        })}
        {marked >= value.length ? <span className={styles.sqlErrorEnd}> </span> : null}
        {"\n"}
      </pre>
      <textarea
        className={styles.editorInput}
        aria-label="SQL query"
        aria-invalid={invalid || marked >= 0 ? "true" : undefined}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        onScroll={(event) => {
          if (pre.current) {
            pre.current.scrollTop = event.currentTarget.scrollTop;
            pre.current.scrollLeft = event.currentTarget.scrollLeft;
          }
        }}
      />
    </div>
  );
}
