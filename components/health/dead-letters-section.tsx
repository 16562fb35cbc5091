"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useEffectEvent, useRef, useState } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmButton } from "@/components/ui/confirm-button.tsx";
import { formatCount } from "@/components/ui/format.ts";
import { EmptyState, ErrorState, LoadingState, Spinner } from "@/components/ui/states.tsx";
import { DeadLetterRow } from "./dead-letter-row.tsx";
import { plural } from "./plural.ts";
import { useDeadLetters } from "./use-dead-letters.ts";
import { useNow } from "./use-now.ts";
import styles from "./health.module.css";

/** Re-read the table at most this often when the live count says dead letters came or went. */
const REFRESH_MS = 5_000;

type Outcome = { ok: boolean; text: string } | null;

/** A target's dead letters: browse, inspect, retry or purge them. */
export function DeadLettersSection({ arn, liveCount, tickAt }: { arn: string; liveCount: number | null; tickAt: number | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const letters = useDeadLetters(arn);
  const rows = letters.data?.pages.flat() ?? [];
  const [selected, setSelected] = useState<ReadonlySet<number>>(() => new Set());
  const [openId, setOpenId] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const now = useNow();
  const selectAll = useRef<HTMLInputElement>(null);

  const seenCount = useRef<number | null>(null);
  const maybeRefresh = useEffectEvent(() => {
    if (liveCount === null || !letters.data) return;
    if (seenCount.current === null) seenCount.current = liveCount;
    if (liveCount === seenCount.current || letters.isFetching || Date.now() - letters.dataUpdatedAt < REFRESH_MS) return;
    seenCount.current = liveCount;
    void letters.refetch();
  });
  useEffect(() => {
    if (tickAt !== null) maybeRefresh();
  }, [tickAt]);

  function changed() {
    setSelected(new Set());
    void queryClient.invalidateQueries({ queryKey: trpc.targets.deadLetters.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.targets.get.queryKey({ arn }) });
    void queryClient.invalidateQueries({ queryKey: trpc.targets.list.queryKey() });
  }
  const retry = useMutation(
    trpc.targets.retryDeadLetters.mutationOptions({
      onSuccess: ({ requeued }) => {
        setOutcome({ ok: true, text: `${plural(requeued, "dead letter")} queued for retry` });
        changed();
      },
      onError: (error) => setOutcome({ ok: false, text: `Retry failed: ${error.message}` }),
    }),
  );
  const purge = useMutation(
    trpc.targets.purgeDeadLetters.mutationOptions({
      onSuccess: ({ purged }) => {
        setOutcome({ ok: true, text: `${plural(purged, "dead letter")} purged` });
        changed();
      },
      onError: (error) => setOutcome({ ok: false, text: `Purge failed: ${error.message}` }),
    }),
  );
  const busy = retry.isPending || purge.isPending;

  // Selection survives reloads but only ids still on screen are acted on.
  const selectedIds = rows.filter((r) => selected.has(r.deliveryId)).map((r) => r.deliveryId);
  const allSelected = rows.length > 0 && selectedIds.length === rows.length;
  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = selectedIds.length > 0 && !allSelected;
  }, [selectedIds.length, allSelected]);

  const total = liveCount ?? (letters.hasNextPage ? null : rows.length);
  const noneAtAll = rows.length === 0 && (total ?? 0) === 0;

  function act(kind: "retry" | "purge", ids: number[] | undefined) {
    setOutcome(null);
    (kind === "retry" ? retry : purge).mutate({ arn, ...(ids ? { ids } : {}) });
  }

  function toggleOne(id: number, on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  const n = selectedIds.length;
  return (
    <section className="card" aria-labelledby="dead-letters-heading">
      <div className={styles.sectionHeader}>
        <h2 id="dead-letters-heading">Dead letters</h2>
        <span className="muted small">
          {letters.data ? (total === null ? `${formatCount(rows.length)} loaded, more available` : `${formatCount(rows.length)} of ${formatCount(total)} shown`) : null}
        </span>
      </div>
      <div className="row" role="toolbar" aria-label="Dead letter actions">
        <Button onClick={() => act("retry", selectedIds)} disabled={busy || n === 0}>
          Retry selected{n > 0 ? ` (${n})` : ""}
        </Button>
        <Button onClick={() => act("retry", undefined)} disabled={busy || noneAtAll}>
          Retry all
        </Button>
        <ConfirmButton
          label={`Purge selected${n > 0 ? ` (${n})` : ""}`}
          title={`Purge ${plural(n, "dead letter")}?`}
          confirmLabel={`Purge ${plural(n, "dead letter")}`}
          onConfirm={() => act("purge", selectedIds)}
          disabled={busy || n === 0}
        >
          The selected dead letters are deleted with their attempt history and can no longer be retried. Their events stay in the archive and can still be
          replayed.
        </ConfirmButton>
        <ConfirmButton
          label="Purge all"
          title="Purge every dead letter of this target?"
          confirmLabel="Purge every dead letter"
          onConfirm={() => act("purge", undefined)}
          disabled={busy || noneAtAll}
        >
          {total === null ? "Every dead letter of this target" : `Every dead letter of this target (${plural(total, "dead letter")})`}, including any not loaded
          on this page, is deleted with its attempt history and can no longer be retried. The events stay in the archive and can still be replayed.
        </ConfirmButton>
        {busy ? <Spinner label="Working" /> : null}
        <span role="status" className="small">
          {outcome?.ok ? outcome.text : null}
        </span>
      </div>
      {outcome && !outcome.ok ? (
        <div className="form-error" role="alert" style={{ marginTop: 8 }}>
          {outcome.text}
        </div>
      ) : null}

      <div style={{ marginTop: 12 }}>
        {letters.isPending ? (
          <LoadingState what="dead letters" />
        ) : letters.isError && !letters.data ? (
          <ErrorState what="dead letters" error={letters.error} onRetry={() => void letters.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState title="No dead letters">Deliveries that run out of retries land here, ready to retry or purge.</EmptyState>
        ) : (
          <div className="stack">
            <div className="table-wrap">
              <table className="table" aria-label="Dead letters">
                <thead>
                  <tr>
                    <th className={styles.checkCell}>
                      <input
                        ref={selectAll}
                        type="checkbox"
                        aria-label="Select all loaded dead letters"
                        checked={allSelected}
                        onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((r) => r.deliveryId)) : new Set())}
                      />
                    </th>
                    <th scope="col">Event</th>
                    <th scope="col">Rule</th>
                    <th scope="col">Attempts</th>
                    <th scope="col">Last error</th>
                    <th scope="col">Dead since</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((letter) => (
                    <DeadLetterRow
                      key={letter.deliveryId}
                      letter={letter}
                      selected={selected.has(letter.deliveryId)}
                      open={openId === letter.deliveryId}
                      now={now}
                      busy={busy}
                      onSelect={(on) => toggleOne(letter.deliveryId, on)}
                      onToggle={() => setOpenId((id) => (id === letter.deliveryId ? null : letter.deliveryId))}
                      onRetry={() => act("retry", [letter.deliveryId])}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            {letters.isFetchNextPageError ? (
              <div className="form-error" role="alert">
                Could not load more: {letters.error?.message}
              </div>
            ) : null}
            {letters.hasNextPage ? (
              <div>
                <Button onClick={() => void letters.fetchNextPage()} disabled={letters.isFetchingNextPage}>
                  {letters.isFetchingNextPage ? "Loading more…" : "Load more"}
                </Button>
              </div>
            ) : null}
          </div>
        )}
      </div>
    </section>
  );
}
