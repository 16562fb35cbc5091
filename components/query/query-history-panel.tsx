"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { ConfirmButton } from "@/components/ui/confirm-button.tsx";
import { formatCount, timeAgo } from "@/components/ui/format.ts";
import { EmptyState, QueryView } from "@/components/ui/states.tsx";
import type { InputSerialization } from "@/server/s3/select/io/input-options.ts";
import styles from "./query.module.css";

export interface LoadableQuery {
  bucket: string | null;
  key: string | null;
  expression: string;
  input: InputSerialization;
}

const TONE = { ok: "ok", error: "bad", cancelled: "warn" } as const;

/** The signed-in user's past runs, newest first; a click loads one into the editor. */
export function QueryHistoryPanel({ onLoad }: { onLoad: (query: LoadableQuery) => void }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const history = useQuery(trpc.query.history.queryOptions());
  const clear = useMutation(trpc.query.clearHistory.mutationOptions({ onSuccess: () => void client.invalidateQueries({ queryKey: trpc.query.history.queryKey() }) }));
  return (
    <QueryView query={history} what="query history">
      {(runs) =>
        runs.length === 0 ? (
          <EmptyState title="No queries run yet">
            <span className="small">Every query you run is listed here.</span>
          </EmptyState>
        ) : (
          <div className="stack">
            <div className="row">
              <span className="muted small">{runs.length} recent runs</span>
              <span className="right">
                <ConfirmButton small label="Clear history" title="Clear query history?" confirmLabel="Clear" onConfirm={() => clear.mutate()} disabled={clear.isPending}>
                  Every run listed here is removed. Saved queries stay.
                </ConfirmButton>
              </span>
            </div>
            {clear.isError ? <div className="form-error">{clear.error.message}</div> : null}
            <ul className={styles.panelList} aria-label="Query history">
              {runs.map((run) => (
                <li key={run.id}>
                  <button type="button" className={styles.panelItem} onClick={() => onLoad(run)} title="Load this query">
                    <span className="row">
                      <span className={`badge ${TONE[run.status]}`}>{run.status}</span>
                      <span className="mono small">
                        {run.bucket}/{run.key}
                      </span>
                      <span className="muted small right">
                        {formatCount(run.rows)} {run.rows === 1 ? "row" : "rows"} · {timeAgo(run.startedAt)}
                      </span>
                    </span>
                    <code className={styles.panelSql}>{run.expression}</code>
                    {run.errorMessage ? <span className={styles.panelError}>{run.errorCode}: {run.errorMessage}</span> : null}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )
      }
    </QueryView>
  );
}
