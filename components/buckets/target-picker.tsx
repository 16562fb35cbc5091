"use client";

import Link from "next/link";
import { useId } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { ErrorState, LoadingState } from "@/components/ui/states.tsx";
import styles from "./buckets.module.css";

/** The configured targets as checkboxes labelled by name, with their ARN; links to /targets when there are none. */
export function TargetPicker({
  selected,
  onChange,
  error,
  invalidArn,
}: {
  selected: readonly string[];
  onChange: (next: string[]) => void;
  error?: string | undefined;
  invalidArn?: string | undefined;
}) {
  const trpc = useTRPC();
  const targets = useQuery(trpc.targets.list.queryOptions());
  const base = useId();
  const errorId = `${base}-error`;

  function toggle(arn: string, on: boolean) {
    onChange(on ? [...selected.filter((a) => a !== arn), arn] : selected.filter((a) => a !== arn));
  }

  const known = new Set((targets.data ?? []).map((t) => t.arn));
  // A rule can name a target that is gone (imported before it was deleted): it stays listed so it can be cleared.
  const missing = targets.data ? selected.filter((arn) => !known.has(arn)) : [];
  const options = [
    ...(targets.data ?? []).map((t) => ({ arn: t.arn, name: t.name, type: t.type, paused: t.paused, enabled: t.enabled, missing: false })),
    ...missing.map((arn) => ({ arn, name: arn, type: "", paused: false, enabled: true, missing: true })),
  ];

  return (
    <fieldset aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
      <legend>Targets</legend>
      {targets.isPending ? (
        <LoadingState what="targets" />
      ) : targets.isError ? (
        <ErrorState what="targets" error={targets.error} onRetry={() => void targets.refetch()} />
      ) : options.length === 0 ? (
        <p className="muted" style={{ margin: 0 }}>
          No targets are configured yet, and a rule needs at least one. <Link href="/targets">Create a target</Link> first.
        </p>
      ) : (
        <div className="stack" style={{ gap: 6 }}>
          {options.map((option, index) => {
            const id = `${base}-target-${index}`;
            const invalid = invalidArn === option.arn;
            return (
              <div key={option.arn} className={[styles.option, invalid ? styles.optionError : ""].filter(Boolean).join(" ")}>
                <input
                  type="checkbox"
                  id={id}
                  checked={selected.includes(option.arn)}
                  aria-invalid={invalid || undefined}
                  aria-describedby={[`${id}-arn`, invalid && error ? errorId : ""].filter(Boolean).join(" ")}
                  onChange={(e) => toggle(option.arn, e.target.checked)}
                />
                <label htmlFor={id}>{option.name}</label>
                {option.type ? <Badge tone="">{option.type}</Badge> : null}
                {option.paused ? <Badge tone="paused">paused</Badge> : null}
                {!option.enabled ? <Badge tone="warn">disabled</Badge> : null}
                {option.missing ? <Badge tone="bad">not a configured target</Badge> : null}
                <code id={`${id}-arn`} className={`${styles.arn} ${styles.optionArn}`}>
                  {option.arn}
                </code>
              </div>
            );
          })}
        </div>
      )}
      {error ? (
        <p className="form-error small" id={errorId} role="alert" style={{ margin: "10px 0 0" }}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
