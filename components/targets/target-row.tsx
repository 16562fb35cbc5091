"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmButton } from "@/components/ui/confirm-button.tsx";
import { formatCount, formatMs } from "@/components/ui/format.ts";
import { Spinner } from "@/components/ui/states.tsx";
import { ArnCell } from "./arn-cell.tsx";
import { typeLabel, type Target } from "./target-types.ts";
import styles from "./targets.module.css";

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour12: false });
}

/** One target with its live figures and the actions an operator takes on it; each action reports back in the row. */
export function TargetRow({ target, onEdit, onNotice }: { target: Target; onEdit: (target: Target) => void; onNotice: (notice: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.targets.list.queryKey() });

  const pause = useMutation(
    trpc.targets.setPaused.mutationOptions({
      onSuccess: (updated) => {
        refresh();
        onNotice(`${updated.paused ? "Paused" : "Resumed"} target ${updated.name}.`);
      },
    }),
  );
  const health = useMutation(trpc.targets.checkHealth.mutationOptions({ onSettled: refresh }));
  const test = useMutation(trpc.targets.sendTestEvent.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(
    trpc.targets.delete.mutationOptions({
      onSuccess: () => {
        refresh();
        onNotice(`Deleted target ${target.name}.`);
      },
    }),
  );

  const stats = target.stats;
  const busy = pause.isPending || remove.isPending;

  return (
    <tr>
      <td data-label="Name">
        <div className={styles.name}>{target.name}</div>
        {target.name !== target.id ? <div className="muted small">ID {target.id}</div> : null}
      </td>
      <td data-label="Type">{typeLabel(target.type)}</td>
      <td data-label="ARN">
        <ArnCell arn={target.arn} />
      </td>
      <td data-label="Health">
        <div className="row" style={{ gap: 4 }}>
          {stats ? <Badge tone={stats.health}>{stats.health}</Badge> : <Badge tone="disabled">disabled</Badge>}
          {stats?.queueLimitAlarm ? <Badge tone="bad">queue limit</Badge> : null}
        </div>
      </td>
      <td data-label="Queued" className={styles.num}>
        {stats ? formatCount(stats.queued) : "—"}
      </td>
      <td data-label="Dead letters" className={styles.num}>
        {stats ? formatCount(stats.deadLetters) : "—"}
      </td>
      <td data-label="Actions" className={styles.actionsCell}>
        <div className={styles.actions}>
          <Button small onClick={() => onEdit(target)} disabled={remove.isPending}>
            Edit
          </Button>
          <Button small onClick={() => pause.mutate({ arn: target.arn, paused: !target.paused })} disabled={busy}>
            {target.paused ? "Resume" : "Pause"}
          </Button>
          <Button small onClick={() => health.mutate({ arn: target.arn })} disabled={health.isPending || remove.isPending}>
            Check health
          </Button>
          <Button small onClick={() => test.mutate({ arn: target.arn })} disabled={test.isPending || remove.isPending}>
            Send test event
          </Button>
          <ConfirmButton
            small
            label="Delete"
            title={`Delete target ${target.name}?`}
            confirmLabel="Delete target"
            disabled={busy}
            onConfirm={() => remove.mutate({ arn: target.arn })}
          >
            <p>
              Herald stops delivering to <code>{target.arn}</code>. This cannot be undone. A target that bucket rules still use cannot be deleted: change
              those rules first.
            </p>
          </ConfirmButton>
        </div>
        <div className={styles.results} aria-live="polite">
          {pause.isError ? <Result tone="bad" onDismiss={pause.reset} what="pause result">{`${target.paused ? "Resume" : "Pause"} failed: ${pause.error.message}`}</Result> : null}
          {health.isPending ? <Pending>Checking health…</Pending> : null}
          {health.data ? (
            <Result tone={health.data.ok ? "ok" : "bad"} onDismiss={health.reset} what="health check result">
              {health.data.ok ? "Healthy" : `Unhealthy: ${health.data.error ?? "no detail"}`} · {formatMs(health.data.latencyMs)} · at {clock(health.data.checkedAt)}
            </Result>
          ) : null}
          {health.isError ? (
            <Result tone="bad" onDismiss={health.reset} what="health check result">
              Health check failed: {health.error.message}
            </Result>
          ) : null}
          {test.isPending ? <Pending>Sending test event…</Pending> : null}
          {test.data ? (
            <Result tone={test.data.ok ? "ok" : "bad"} onDismiss={test.reset} what="test event result">
              {test.data.ok ? "Test event delivered" : `Test event failed: ${test.data.error ?? "no detail"}`}
              {test.data.statusCode !== null ? ` · HTTP ${test.data.statusCode}` : ""} · {formatMs(test.data.latencyMs)}
              {test.submittedAt ? ` · at ${clock(test.submittedAt)}` : ""}
            </Result>
          ) : null}
          {test.isError ? (
            <Result tone="bad" onDismiss={test.reset} what="test event result">
              Test event not sent: {test.error.message}
            </Result>
          ) : null}
          {remove.isPending ? <Pending>Deleting…</Pending> : null}
          {remove.isError ? (
            <Result tone="bad" onDismiss={remove.reset} what="delete error" alert>
              Not deleted: {remove.error.message}
            </Result>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

function Pending({ children }: { children: ReactNode }) {
  return (
    <div className={styles.result}>
      <Spinner label={typeof children === "string" ? children : "Working"} /> <span className="muted">{children}</span>
    </div>
  );
}

function Result({ tone, children, onDismiss, what, alert }: { tone: "ok" | "bad"; children: ReactNode; onDismiss: () => void; what: string; alert?: boolean }) {
  return (
    <div className={`${styles.result} ${tone === "bad" ? styles.bad : styles.ok}`} role={alert ? "alert" : undefined}>
      <span>{children}</span>
      <Button small variant="ghost" aria-label={`Dismiss ${what}`} onClick={onDismiss}>
        ×
      </Button>
    </div>
  );
}
