"use client";

import { useState, type FormEvent } from "react";
import { EventOutcomeOptions } from "@/components/events/event-outcome-options.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { EMPTY_FILTERS, draftOf, filtersOfDraft, filtersToQuery, hasFilters, type ArchiveDraft, type ArchiveField, type ArchiveFilters, type FilterErrors } from "./archive-filters.ts";
import { EventNameOptions } from "./event-name-options.tsx";
import styles from "./events.module.css";

/**
 * The archive search form. It edits a draft; Search puts the filters in the
 * URL, which is what the results follow. `errors` are those of the filters
 * in the URL (hand-edited links, or the server's verdict).
 */
export function ArchiveFilterForm({
  filters,
  errors: urlErrors,
  onSearch,
}: {
  filters: ArchiveFilters;
  errors: FilterErrors;
  onSearch: (filters: ArchiveFilters) => void;
}) {
  const urlKey = filtersToQuery(filters);
  const [draft, setDraft] = useState<ArchiveDraft>(() => draftOf(filters));
  const [seenKey, setSeenKey] = useState(urlKey);
  const [draftErrors, setDraftErrors] = useState<FilterErrors | null>(null);
  // The URL changed under the form (reset, a pasted link): show what it now says.
  if (seenKey !== urlKey) {
    setSeenKey(urlKey);
    setDraft(draftOf(filters));
    setDraftErrors(null);
  }

  const errors = draftErrors ?? urlErrors;
  const set = (field: ArchiveField) => (value: string) => setDraft((current) => ({ ...current, [field]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const next = filtersOfDraft(draft);
    if (Object.keys(next.errors).length > 0) {
      setDraftErrors(next.errors);
      return;
    }
    setDraftErrors(null);
    onSearch(next.filters);
  }

  const text = (field: "bucket" | "keyPrefix", label: string, placeholder: string) => (
    <Field label={label} htmlFor={`archive-${field}`} error={errors[field]}>
      <input
        id={`archive-${field}`}
        type="text"
        value={draft[field]}
        onChange={(e) => set(field)(e.target.value)}
        placeholder={placeholder}
        aria-invalid={Boolean(errors[field])}
        autoComplete="off"
      />
    </Field>
  );
  const time = (field: "from" | "to", label: string, hint: string) => (
    <Field label={label} htmlFor={`archive-${field}`} error={errors[field]} hint={hint}>
      <input
        id={`archive-${field}`}
        type="datetime-local"
        value={draft[field]}
        onChange={(e) => set(field)(e.target.value)}
        aria-invalid={Boolean(errors[field])}
      />
    </Field>
  );

  return (
    <form className={styles.filters} onSubmit={submit} noValidate aria-label="Archive search">
      {text("bucket", "Bucket", "any bucket")}
      {text("keyPrefix", "Key prefix", "any key")}
      <Field label="Event name" htmlFor="archive-eventName" error={errors.eventName}>
        <select id="archive-eventName" value={draft.eventName} onChange={(e) => set("eventName")(e.target.value)} aria-invalid={Boolean(errors.eventName)}>
          <EventNameOptions anyLabel="Any event" />
        </select>
      </Field>
      {time("from", "From", "Inclusive, local time")}
      {time("to", "To", "Inclusive, local time")}
      <Field label="Outcome" htmlFor="archive-outcome" error={errors.outcome}>
        <select id="archive-outcome" value={draft.outcome} onChange={(e) => set("outcome")(e.target.value)} aria-invalid={Boolean(errors.outcome)}>
          <EventOutcomeOptions anyLabel="Any" />
        </select>
      </Field>
      <div className={`row ${styles.formActions}`}>
        <Button type="submit" variant="primary">
          Search
        </Button>
        <Button
          onClick={() => {
            setDraftErrors(null);
            setDraft(EMPTY_FILTERS);
            onSearch(EMPTY_FILTERS);
          }}
          disabled={!hasFilters(filters) && !hasFilters(draft)}
        >
          Reset
        </Button>
      </div>
    </form>
  );
}
