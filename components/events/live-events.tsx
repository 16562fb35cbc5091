"use client";

import { useState } from "react";
import type { HeraldEvent } from "@/server/events/s3-record.ts";
import type { LiveFilter } from "@/server/live/live-filter.ts";
import { Button } from "@/components/ui/button.tsx";
import { formatCount } from "@/components/ui/format.ts";
import { PageHeader } from "@/components/ui/page-header.tsx";
import { EmptyState } from "@/components/ui/states.tsx";
import { ConnectionStatusView } from "./connection-status.tsx";
import { EventDetailDrawer } from "./event-detail-drawer.tsx";
import { LiveFilterForm } from "./live-filter-form.tsx";
import { describeLiveFilter } from "./live-rows.ts";
import { LiveTable } from "./live-table.tsx";
import { LIVE_CAPACITY, useLiveStream } from "./use-live-stream.ts";
import styles from "./events.module.css";

/** The /live page: the server-filtered event stream, pausable, with the detail drawer. */
export function LiveEvents() {
  const [filter, setFilter] = useState<LiveFilter>({});
  const stream = useLiveStream(filter);
  const [opened, setOpened] = useState<HeraldEvent | null>(null);

  function applyFilter(next: LiveFilter) {
    // Rows of the old filter would mislead next to the new one's.
    stream.clear();
    setFilter(next);
  }

  const newCount = stream.newWhilePaused;

  return (
    <>
      <PageHeader
        title="Live events"
        description={`Events as Herald accepts them, newest first; the last ${formatCount(LIVE_CAPACITY)} stay in the table.`}
        actions={<ConnectionStatusView connection={stream.connection} subscribed={stream.subscribed} onReconnect={stream.reconnect} />}
      />
      <div className="stack">
        <div className="card">
          <LiveFilterForm applied={filter} onApply={applyFilter} serverError={stream.subscribeError} />
        </div>
        <div className="card stack">
          <div className={styles.toolbar}>
            <dl className={styles.figures}>
              {/* Until the first subscription is acknowledged nothing can arrive yet, so there is no count to show (or to wait on). */}
              {stream.started ? <Figure name="Received" value={String(stream.received)} testId="live-count" /> : <Figure name="Received" value="—" />}
              <Figure name="Rate" value={`${formatCount(Math.round(stream.rate))}/s`} testId="live-rate" />
              <Figure name="In table" value={formatCount(stream.rows.length)} />
              <Figure name="Gaps" value={formatCount(stream.gaps)} />
            </dl>
            {stream.paused ? (
              <span role="status" className={styles.pausedNote} data-testid="live-paused-count">
                {newCount} new {newCount === 1 ? "event" : "events"} while paused
              </span>
            ) : null}
            <div className="row right">
              <Button variant={stream.paused ? "primary" : "secondary"} onClick={stream.paused ? stream.resume : stream.pause}>
                {stream.paused ? "Resume" : "Pause"}
              </Button>
              <Button onClick={stream.clear} disabled={stream.rows.length === 0}>
                Clear
              </Button>
            </div>
          </div>
          <LiveTable rows={stream.rows} selectedId={opened?.id ?? null} onOpen={setOpened} />
          {stream.rows.length === 0 ? (
            stream.subscribeError ? (
              <EmptyState title="Not subscribed">
                <span>The server refused this filter: {stream.subscribeError.message}. Correct it above.</span>
              </EmptyState>
            ) : (
              <EmptyState title="Waiting for events…">
                <span>Showing {describeLiveFilter(filter)}.</span>
              </EmptyState>
            )
          ) : null}
        </div>
      </div>
      {opened ? <EventDetailDrawer eventId={opened.id} liveEvent={opened} onClose={() => setOpened(null)} /> : null}
    </>
  );
}

function Figure({ name, value, testId }: { name: string; value: string; testId?: string }) {
  return (
    <div className={`stat ${styles.figure}`}>
      <dt className="name">{name}</dt>
      <dd className="value" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}
