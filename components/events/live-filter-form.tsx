"use client";

import { useState, type FormEvent } from "react";
import { liveFilterSchema, type LiveFilter } from "@/server/live/live-filter.ts";
import type { LiveError } from "@/server/live/live-protocol.ts";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { EventNameOptions } from "./event-name-options.tsx";
import styles from "./events.module.css";

interface Draft {
  bucket: string;
  eventPattern: string;
  keyPrefix: string;
  outcome: string;
}
type FieldName = keyof Draft;
const FIELDS: readonly FieldName[] = ["bucket", "eventPattern", "keyPrefix", "outcome"];

const draftOf = (filter: LiveFilter): Draft => ({
  bucket: filter.bucket ?? "",
  eventPattern: filter.eventPattern ?? "",
  keyPrefix: filter.keyPrefix ?? "",
  outcome: filter.outcome ?? "",
});

/** A server error names its field as `filter.bucket`; the form knows it as `bucket`. */
function fieldOf(path: string | undefined): FieldName | undefined {
  const last = path?.split(".").pop();
  return FIELDS.find((field) => field === last);
}

/**
 * The live filter. It is validated here with the server's own schema, then
 * applied by resubscribing: the server does the filtering, so a narrow filter
 * also means less traffic.
 */
export function LiveFilterForm({ applied, onApply, serverError }: { applied: LiveFilter; onApply: (filter: LiveFilter) => void; serverError: LiveError | null }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(applied));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});

  const serverField = fieldOf(serverError?.field);
  const errorOf = (field: FieldName) => errors[field] ?? (serverField === field ? serverError?.message : undefined);
  const set = (field: FieldName) => (value: string) => setDraft((current) => ({ ...current, [field]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    // An empty control means "any", so it is left out rather than sent as "".
    const raw = Object.fromEntries(Object.entries(draft).filter(([, value]) => value !== ""));
    const parsed = liveFilterSchema.safeParse(raw);
    if (!parsed.success) {
      const next: typeof errors = {};
      for (const issue of parsed.error.issues) {
        const field = fieldOf(String(issue.path[0]));
        if (field) next[field] ??= issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    onApply(parsed.data);
  }

  function reset() {
    setDraft(draftOf({}));
    setErrors({});
    onApply({});
  }

  const isEmpty = Object.values(draft).every((value) => value === "") && Object.keys(applied).length === 0;

  return (
    <form className={styles.filters} onSubmit={submit} noValidate aria-label="Live filter">
      <Field label="Bucket" htmlFor="live-bucket" error={errorOf("bucket")}>
        <input
          id="live-bucket"
          type="text"
          value={draft.bucket}
          onChange={(e) => set("bucket")(e.target.value)}
          placeholder="any bucket"
          aria-invalid={Boolean(errorOf("bucket"))}
          autoComplete="off"
        />
      </Field>
      <Field label="Event pattern" htmlFor="live-event-pattern" error={errorOf("eventPattern")}>
        <select id="live-event-pattern" value={draft.eventPattern} onChange={(e) => set("eventPattern")(e.target.value)} aria-invalid={Boolean(errorOf("eventPattern"))}>
          <EventNameOptions anyLabel="Everything" />
        </select>
      </Field>
      <Field label="Key prefix" htmlFor="live-key-prefix" error={errorOf("keyPrefix")}>
        <input
          id="live-key-prefix"
          type="text"
          value={draft.keyPrefix}
          onChange={(e) => set("keyPrefix")(e.target.value)}
          placeholder="any key"
          aria-invalid={Boolean(errorOf("keyPrefix"))}
          autoComplete="off"
        />
      </Field>
      <Field label="Outcome" htmlFor="live-outcome" error={errorOf("outcome")}>
        <select id="live-outcome" value={draft.outcome} onChange={(e) => set("outcome")(e.target.value)} aria-invalid={Boolean(errorOf("outcome"))}>
          <option value="">Any</option>
          <option value="matched">Matched</option>
          <option value="unmatched">Unmatched</option>
        </select>
      </Field>
      <div className={`row ${styles.formActions}`}>
        <Button type="submit" variant="primary">
          Apply filter
        </Button>
        <Button onClick={reset} disabled={isEmpty}>
          Reset
        </Button>
      </div>
      {serverError && !serverField ? (
        <div className={`form-error ${styles.fullRow}`} role="alert">
          {serverError.message}
        </div>
      ) : null}
    </form>
  );
}
