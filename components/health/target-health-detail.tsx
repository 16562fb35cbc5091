"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";
import { ErrorState, LoadingState } from "@/components/ui/states.tsx";
import { DeadLettersSection } from "./dead-letters-section.tsx";
import { HealthBadge } from "./health-badge.tsx";
import { healthOf } from "./health-summary.tsx";
import { LiveIndicator } from "./live-indicator.tsx";
import { ReplaySection } from "./replay-section.tsx";
import { SeriesSection } from "./series-section.tsx";
import { TargetControls } from "./target-controls.tsx";
import { TargetStatsGrid } from "./target-stats-grid.tsx";
import type { HealthTarget, TargetStats } from "./types.ts";
import { useNow } from "./use-now.ts";
import { useStatsTicks } from "./use-stats-ticks.ts";
import styles from "./health.module.css";

const RESYNC_MS = 10_000;

function BackLink() {
  return (
    <Link href="/health" className={styles.back}>
      ← All targets
    </Link>
  );
}

/** /health/[arn]: loads the target, then its live view; an unknown ARN says so and leads back. */
export function TargetHealthDetail({ arn }: { arn: string }) {
  const trpc = useTRPC();
  const target = useQuery(trpc.targets.get.queryOptions({ arn }));
  if (target.isPending) {
    return (
      <>
        <BackLink />
        <LoadingState what="target" />
      </>
    );
  }
  if (target.isError) {
    if (target.error.data?.code === "NOT_FOUND") {
      return (
        <>
          <BackLink />
          <div className="card">
            <div className="state error" role="alert">
              <div className="title">Target not found</div>
              <p>{target.error.message}</p>
              <Link href="/health">Back to target health</Link>
            </div>
          </div>
        </>
      );
    }
    return (
      <>
        <BackLink />
        <ErrorState what="the target" error={target.error} onRetry={() => void target.refetch()} />
      </>
    );
  }
  return <TargetHealthView key={target.data.arn} target={target.data} />;
}

function TargetHealthView({ target }: { target: HealthTarget }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [live, setLive] = useState<{ at: number; stats: TargetStats } | null>(null);
  const [tickAt, setTickAt] = useState<number | null>(null);
  const lastResync = useRef(0);
  const now = useNow();

  const status = useStatsTicks((tick) => {
    setTickAt(tick.at);
    const mine = tick.targets.find((t) => t.arn === target.arn);
    if (mine) setLive({ at: tick.at, stats: mine.stats });
    // Ticks cover enabled targets only: a mismatch means the target was enabled or disabled elsewhere.
    if (Boolean(mine) !== target.enabled && Date.now() - lastResync.current >= RESYNC_MS) {
      lastResync.current = Date.now();
      void queryClient.invalidateQueries({ queryKey: trpc.targets.get.queryKey({ arn: target.arn }) });
    }
  });

  const stats = target.enabled ? (live?.stats ?? target.stats) : null;
  const state = healthOf({ enabled: target.enabled, stats });
  // The worker may have paused itself (410 Gone) before this page's copy of the target knew.
  const paused = stats ? stats.health === "paused" : target.paused;

  return (
    <>
      <BackLink />
      <PageHeader
        title={target.name}
        description={
          <span className="row">
            <HealthBadge state={state} /> <span className="mono small">{target.arn}</span> <span className="small">({target.type})</span>
          </span>
        }
        actions={
          <>
            <LiveIndicator status={status} />
            <TargetControls arn={target.arn} paused={paused} />
          </>
        }
      />
      <div className="stack">
        <section className="card" aria-labelledby="health-stats-heading">
          <h2 id="health-stats-heading">Delivery</h2>
          {stats ? (
            <TargetStatsGrid stats={stats} now={now} />
          ) : target.enabled ? (
            <LoadingState what="live stats" />
          ) : (
            <p className="muted">
              This target is disabled: it delivers nothing and has no live stats. Enable it on the <Link href="/targets">Targets</Link> page. Its history
              below still shows what it did while enabled.
            </p>
          )}
        </section>
        <SeriesSection arn={target.arn} tickAt={tickAt} />
        <DeadLettersSection arn={target.arn} liveCount={stats?.deadLetters ?? null} tickAt={tickAt} />
        <ReplaySection arn={target.arn} enabled={target.enabled} />
      </div>
    </>
  );
}
