"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import type { HeraldEvent, S3EventRecord } from "@/server/events/s3-record.ts";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states.tsx";
import { CopyButton } from "./copy-button.tsx";
import { EventDeliveries } from "./event-deliveries.tsx";
import { EventSummary } from "./event-summary.tsx";
import styles from "./event-detail.module.css";

interface AppErrorLike {
  message: string;
  data?: { appCode?: string; httpStatus?: number } | null;
}

const isNotFound = (error: AppErrorLike | null): boolean => error?.data?.appCode === "NotFound";

/**
 * An event the live stream just showed may not be committed to the archive
 * yet (the commit thread writes in batches), so "not found" is retried for a
 * few seconds before the drawer says so.
 */
function retryDetail(failures: number, error: AppErrorLike): boolean {
  if (isNotFound(error)) return failures < 4;
  return !((error.data?.httpStatus ?? 500) < 500) && failures < 2;
}

/**
 * The shared event detail: summary, every delivery with its attempts, and
 * the record as JSON. `liveEvent` is the copy the live stream holds, shown
 * while (or if) the archive cannot answer yet.
 */
export function EventDetailDrawer({ eventId, liveEvent, onClose }: { eventId: string; liveEvent?: HeraldEvent; onClose: () => void }) {
  const trpc = useTRPC();
  const detail = useQuery(
    trpc.events.detail.queryOptions(
      { id: eventId },
      {
        retry: retryDetail,
        retryDelay: (failures) => Math.min(300 * failures, 1500),
        // While a delivery is still queued its state and attempts change: keep the drawer current.
        refetchInterval: (query) => (query.state.data?.deliveries.some((d) => d.state === "queued") ? 1500 : false),
      },
    ),
  );
  const closeRef = useRef<HTMLButtonElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  // Focus moves into the drawer on open and back to what opened it (the row) on close.
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented) onCloseRef.current();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const archived = detail.data?.event;
  const shown = archived ?? liveEvent;

  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-label="Event detail">
      <header>
        <div className={styles.title}>
          <h2>Event detail</h2>
          {shown ? <span className="muted small">seq {shown.seq}</span> : null}
        </div>
        <div className="row right">
          <Button small onClick={() => void detail.refetch()} disabled={detail.isFetching}>
            {detail.isFetching ? "Reloading…" : "Reload"}
          </Button>
          <button type="button" className="btn small" ref={closeRef} onClick={onClose}>
            Close
          </button>
        </div>
      </header>
      <div className="drawer-body">
        {shown ? (
          <>
            <section aria-label="Summary" className="stack">
              <EventSummary event={shown} outcome={archived?.outcome} />
              {/* Only objects that still exist can be queried; a removal event's object is gone. */}
              {!shown.eventName.startsWith("s3:ObjectRemoved") && !shown.eventName.startsWith("s3:Bucket") ? (
                <div>
                  <Link className="btn small" href={`/query?${new URLSearchParams({ bucket: shown.bucket, key: shown.key }).toString()}`}>
                    Query this object
                  </Link>
                </div>
              ) : null}
            </section>
            <section aria-label="Deliveries" className="stack">
              <h3 className={styles.sectionTitle}>Deliveries{detail.data ? ` (${detail.data.deliveries.length})` : ""}</h3>
              {detail.data ? (
                <EventDeliveries deliveries={detail.data.deliveries} attempts={detail.data.attempts} />
              ) : (
                <DetailState detail={detail} what="deliveries" notFound="The event was just received and is still being written to the archive; its deliveries appear once it is." />
              )}
            </section>
            <RecordJson record={shown.record} />
          </>
        ) : (
          <DetailState detail={detail} what="the event" notFound={`No archived event ${eventId}: it may still be being written, or retention has removed it.`} />
        )}
      </div>
    </aside>
  );
}

/** Loading, "not archived (yet)" or failure: whatever stands in for data the archive has not given. */
function DetailState({
  detail,
  what,
  notFound,
}: {
  detail: { isPending: boolean; isFetching: boolean; error: AppErrorLike | null; refetch: () => unknown };
  what: string;
  notFound: string;
}) {
  if (detail.isPending) return <LoadingState what={what} />;
  if (isNotFound(detail.error)) {
    return (
      <EmptyState title="Not in the archive yet">
        <p className={styles.stateText}>{notFound}</p>
        <Button small onClick={() => void detail.refetch()} disabled={detail.isFetching}>
          Try again
        </Button>
      </EmptyState>
    );
  }
  return <ErrorState what={what} error={detail.error} onRetry={() => void detail.refetch()} />;
}

function RecordJson({ record }: { record: S3EventRecord }) {
  const json = JSON.stringify(record, null, 2);
  return (
    <section aria-label="Record" className="stack">
      <div className="row">
        <h3 className={styles.sectionTitle}>Record</h3>
        <span className="right">
          <CopyButton text={json} label="Copy JSON" />
        </span>
      </div>
      <pre className="json" tabIndex={0} aria-label="Event record JSON">
        {json}
      </pre>
    </section>
  );
}
