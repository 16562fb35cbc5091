"use client";

import { useId } from "react";
import { BROAD_PATTERNS, EVENT_GROUPS, impliedBy, isListedEvent, toggleEvent } from "./event-selection.ts";
import styles from "./buckets.module.css";

/**
 * The rule's events as checkboxes: broad patterns first, then each category
 * with its wildcard and single names. A name covered by a selected pattern is
 * shown checked and disabled, with the pattern that implies it.
 */
export function EventPicker({
  selected,
  onChange,
  error,
  invalidName,
}: {
  selected: readonly string[];
  onChange: (next: string[]) => void;
  error?: string | undefined;
  invalidName?: string | undefined;
}) {
  const base = useId();
  const errorId = `${base}-error`;
  let counter = 0;
  // A name the catalog does not list (stored before it changed) stays visible so it can be cleared.
  const unlisted = selected.filter((name) => !isListedEvent(name));

  function option(name: string, extraClass?: string) {
    const id = `${base}-event-${counter++}`;
    const via = impliedBy(selected, name);
    const checked = selected.includes(name) || via !== undefined;
    const invalid = invalidName === name;
    const classes = [styles.option, extraClass, invalid ? styles.optionError : undefined].filter(Boolean).join(" ");
    return (
      <div className={classes} key={name}>
        <input
          type="checkbox"
          id={id}
          checked={checked}
          disabled={via !== undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={[via ? `${id}-via` : "", invalid && error ? errorId : ""].filter(Boolean).join(" ") || undefined}
          onChange={(e) => onChange(toggleEvent(selected, name, e.target.checked))}
        />
        <label htmlFor={id}>
          <code>{name}</code>
        </label>
        {via ? (
          <span id={`${id}-via`} className={styles.note}>
            implied by {via}
          </span>
        ) : null}
      </div>
    );
  }

  return (
    <fieldset aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
      <legend>Events</legend>
      <p className="muted small" style={{ marginTop: 0 }}>
        A wildcard covers every event of its category: the names it covers are shown as implied.
      </p>
      <div className={styles.broad}>{BROAD_PATTERNS.map((name) => option(name))}</div>
      <div className={styles.eventGroups}>
        {EVENT_GROUPS.map((group) => (
          <fieldset key={group.category} className={styles.eventGroup}>
            <legend>{group.category}</legend>
            {group.wildcard ? option(group.wildcard, styles.wildcardOption) : null}
            {group.names.map((name) => option(name))}
          </fieldset>
        ))}
      </div>
      {unlisted.length > 0 ? (
        <fieldset className={styles.eventGroup} style={{ marginTop: 10 }}>
          <legend>Not in the catalog</legend>
          {unlisted.map((name) => option(name))}
        </fieldset>
      ) : null}
      {error ? (
        <p className="form-error small" id={errorId} role="alert" style={{ margin: "10px 0 0" }}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
