"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { formatCount } from "@/components/ui/format.ts";
import { EVENT_NAMES } from "@/server/events/event-names.ts";
import { EventOutcomeOptions } from "@/components/events/event-outcome-options.tsx";
import { plural } from "./plural.ts";
import { EMPTY_REPLAY_FIELDS, isReplayField, parseReplayFields, type ReplayFieldErrors, type ReplayFields } from "./replay-filter.ts";
import type { ReplayJobView } from "./types.ts";
import { useDebounced } from "./use-debounced.ts";
import styles from "./health.module.css";

/** How many archived events the current filter selects, so nobody replays the whole archive by accident. */
function MatchCount({ fields }: { fields: ReplayFields }) {
  const trpc = useTRPC();
  const settled = useDebounced(fields, 400);
  const parsed = parseReplayFields(settled);
  const count = useQuery(
    trpc.events.search.queryOptions(parsed.ok ? { ...parsed.filter, limit: 1 } : { limit: 1 }, { enabled: parsed.ok, placeholderData: keepPreviousData }),
  );
  if (!parsed.ok) return null;
  if (count.isError) return <span className="small muted">Could not count the matching events: {count.error.message}</span>;
  if (!count.data) return <span className="small muted">Counting matching events…</span>;
  const total = count.data.total;
  return (
    <span className="small" aria-live="polite">
      {parsed.empty ? `No filter set: every archived event (${formatCount(total)}) would be replayed.` : `${plural(total, "archived event")} match.`}
    </span>
  );
}

/** The selection of archived events to queue to this target again, validated with the server's schema. */
export function ReplayForm({ arn, enabled, onStarted }: { arn: string; enabled: boolean; onStarted: (job: ReplayJobView) => void }) {
  const trpc = useTRPC();
  const [fields, setFields] = useState<ReplayFields>(EMPTY_REPLAY_FIELDS);
  const [errors, setErrors] = useState<ReplayFieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  const start = useMutation(
    trpc.targets.replay.mutationOptions({
      onSuccess: (job) => onStarted(job),
      onError: (error) => {
        // The server names the field at fault as "filter.<name>".
        const name = error.data?.field?.replace(/^filter\./, "") ?? "";
        if (isReplayField(name)) setErrors({ [name]: error.message });
        else setFormError(error.message);
      },
    }),
  );

  function set(name: keyof ReplayFields, value: string) {
    setFields((current) => ({ ...current, [name]: value }));
    if (errors[name]) setErrors((current) => ({ ...current, [name]: undefined }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const parsed = parseReplayFields(fields);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    start.mutate({ arn, filter: parsed.filter });
  }

  const input = (name: keyof ReplayFields) => ({
    id: `replay-${name}`,
    value: fields[name],
    onChange: (e: { target: { value: string } }) => set(name, e.target.value),
    "aria-invalid": Boolean(errors[name]),
    "aria-describedby": errors[name] ? `replay-${name}-error` : undefined,
  });

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Replay archived events">
      <div className={styles.formGrid}>
        <Field label="From" htmlFor="replay-from" hint="Received at or after, your local time" error={errors.from}>
          <input type="datetime-local" step={1} {...input("from")} />
        </Field>
        <Field label="To" htmlFor="replay-to" hint="Received at or before" error={errors.to}>
          <input type="datetime-local" step={1} {...input("to")} />
        </Field>
        <Field label="Bucket" htmlFor="replay-bucket" error={errors.bucket}>
          <input type="text" placeholder="any bucket" autoComplete="off" {...input("bucket")} />
        </Field>
        <Field label="Key prefix" htmlFor="replay-keyPrefix" error={errors.keyPrefix}>
          <input type="text" placeholder="any key" autoComplete="off" {...input("keyPrefix")} />
        </Field>
        <Field label="Event name" htmlFor="replay-eventName" error={errors.eventName}>
          <input type="text" list="replay-event-names" placeholder="any event" autoComplete="off" {...input("eventName")} />
        </Field>
        <Field label="Outcome" htmlFor="replay-outcome" hint="The event's outcome in the archive" error={errors.outcome}>
          <select {...input("outcome")}>
            <EventOutcomeOptions anyLabel="Any outcome" />
          </select>
        </Field>
      </div>
      <datalist id="replay-event-names">
        {EVENT_NAMES.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {formError ? (
        <div className="form-error" role="alert">
          {formError}
        </div>
      ) : null}
      {!enabled ? <p className="muted small">This target is disabled; enable it before replaying events to it.</p> : null}
      <div className="row">
        <Button type="submit" variant="primary" disabled={start.isPending || !enabled}>
          {start.isPending ? "Starting…" : "Start replay"}
        </Button>
        <Button
          onClick={() => {
            setFields(EMPTY_REPLAY_FIELDS);
            setErrors({});
            setFormError(null);
          }}
          disabled={start.isPending}
        >
          Clear filter
        </Button>
        <MatchCount fields={fields} />
      </div>
    </form>
  );
}
