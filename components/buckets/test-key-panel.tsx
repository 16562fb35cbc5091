"use client";

import { EventNameOptions } from "@/components/events/event-name-options.tsx";
import { skipToken, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { ErrorState, LoadingState } from "@/components/ui/states.tsx";
import type { TargetLabel } from "./rules-table.tsx";
import styles from "./buckets.module.css";

const REASON: Record<string, { label: string; tone: string }> = {
  event: { label: "other event", tone: "unmatched" },
  prefix: { label: "prefix", tone: "warn" },
  suffix: { label: "suffix", tone: "warn" },
  target: { label: "targets covered", tone: "paused" },
};

/** "Test a key": which rules and targets an event would reach, and why every other rule would not. */
export function TestKeyPanel({ bucket, targetOf }: { bucket: string; targetOf: (arn: string) => TargetLabel }) {
  const trpc = useTRPC();
  const base = useId();
  const [eventName, setEventName] = useState<string>("s3:ObjectCreated:Put");
  const [key, setKey] = useState("");
  const [keyError, setKeyError] = useState<string | null>(null);
  const [asked, setAsked] = useState<{ eventName: string; key: string } | null>(null);
  const result = useQuery(trpc.buckets.dryRun.queryOptions(asked ? { bucket, ...asked } : skipToken));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (key === "") {
      setKeyError("enter an object key, e.g. images/cat.jpg");
      return;
    }
    setKeyError(null);
    setAsked({ eventName, key });
  }

  const ids = { event: `${base}-event`, key: `${base}-key`, heading: `${base}-heading` };

  return (
    <section className="card stack" aria-labelledby={ids.heading}>
      <div>
        <h2 id={ids.heading}>Test a key</h2>
        <p className="muted small" style={{ margin: 0 }}>
          Which targets an event for this key would be delivered to under the rules in force, without sending anything.
        </p>
      </div>
      <form className={styles.testForm} onSubmit={submit} noValidate aria-label="Test a key">
        <Field label="Event name" htmlFor={ids.event}>
          <select id={ids.event} value={eventName} onChange={(e) => setEventName(e.target.value)}>
            <EventNameOptions wildcards={false} />
          </select>
        </Field>
        <Field label="Object key" htmlFor={ids.key} error={keyError}>
          <input
            id={ids.key}
            type="text"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            maxLength={1024}
            aria-invalid={Boolean(keyError)}
            aria-describedby={keyError ? `${ids.key}-error` : undefined}
            placeholder="images/cat.jpg"
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
        <Button type="submit" variant="primary">
          Test
        </Button>
      </form>
      {!asked ? null : result.isPending ? (
        <LoadingState what="the test" />
      ) : result.isError ? (
        <ErrorState what="the test" error={result.error} onRetry={() => void result.refetch()} />
      ) : (
        <div className="stack" aria-live="polite">
          <p style={{ margin: 0 }}>
            <code>{asked.eventName}</code> on key <code>{asked.key}</code>:{" "}
            {result.data.matches.length === 0 ? (
              <strong>no target would receive it.</strong>
            ) : (
              <strong>
                delivered to {result.data.matches.length} target{result.data.matches.length === 1 ? "" : "s"}.
              </strong>
            )}
          </p>
          {result.data.matches.length > 0 ? (
            <div className="table-wrap">
              <table className="table" aria-label="Matching rules">
                <thead>
                  <tr>
                    <th scope="col">Rule ID</th>
                    <th scope="col">Target</th>
                  </tr>
                </thead>
                <tbody>
                  {result.data.matches.map((match) => {
                    const target = targetOf(match.targetArn);
                    return (
                      <tr key={`${match.ruleId}\n${match.targetArn}`}>
                        <td>
                          <Badge tone="ok">match</Badge> <code>{match.ruleId}</code>
                        </td>
                        <td>
                          <div className={styles.targetCell}>
                            <span>{target.name}</span>
                            {target.name !== match.targetArn ? <code className={styles.arn}>{match.targetArn}</code> : null}
                          </div>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
          {result.data.others.length > 0 ? (
            <div className="table-wrap">
              <table className="table" aria-label="Rules that do not deliver">
                <thead>
                  <tr>
                    <th scope="col">Rule ID</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {result.data.others.map((other) => {
                    const reason = REASON[other.reason] ?? { label: other.reason, tone: "" };
                    return (
                      <tr key={other.ruleId}>
                        <td>
                          <code>{other.ruleId}</code>
                        </td>
                        <td>
                          <Badge tone={reason.tone}>{reason.label}</Badge>
                        </td>
                        <td>{other.message}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : result.data.matches.length === 0 ? (
            <p className="muted" style={{ margin: 0 }}>
              The bucket has no rules.
            </p>
          ) : null}
        </div>
      )}
    </section>
  );
}
