"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useEffectEvent, useState } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { ErrorState, LoadingState, Spinner } from "@/components/ui/states.tsx";
import type { SeriesWindow } from "@/server/store/attempt-series.ts";
import { SeriesCharts } from "./series-charts.tsx";
import { WindowTabs } from "./window-tabs.tsx";
import styles from "./health.module.css";

const WINDOWS: readonly { value: SeriesWindow; text: string; title: string }[] = [
  { value: "15m", text: "15m", title: "Last 15 minutes, per 10 seconds" },
  { value: "1h", text: "1h", title: "Last hour, per minute" },
  { value: "1d", text: "1d", title: "Last day, per 15 minutes" },
];

/** Fresh enough for each window: its steps are 10 s, 1 min and 15 min long. */
const REFRESH_MS: Record<SeriesWindow, number> = { "15m": 5_000, "1h": 30_000, "1d": 30_000 };

const PANEL_ID = "activity-panel";

/** Throughput, errors and latency over a chosen window, refreshed as stats ticks arrive. */
export function SeriesSection({ arn, tickAt }: { arn: string; tickAt: number | null }) {
  const trpc = useTRPC();
  const [span, setSpan] = useState<SeriesWindow>("15m");
  // keepPreviousData: the old curves stay on screen while the next ones load, instead of a spinner every few seconds.
  const series = useQuery(trpc.targets.series.queryOptions({ arn, window: span }, { placeholderData: keepPreviousData }));

  const maybeRefresh = useEffectEvent(() => {
    const last = Math.max(series.dataUpdatedAt, series.errorUpdatedAt);
    if (!series.isFetching && Date.now() - last >= REFRESH_MS[span]) void series.refetch();
  });
  useEffect(() => {
    if (tickAt !== null) maybeRefresh();
  }, [tickAt]);

  const selected = WINDOWS.find((w) => w.value === span);
  return (
    <section className="card" aria-labelledby="activity-heading">
      <div className={styles.sectionHeader}>
        <h2 id="activity-heading">Activity</h2>
        {series.isFetching && series.isPlaceholderData ? <Spinner label="Loading the selected window" /> : null}
      </div>
      <WindowTabs label="Time window" options={WINDOWS} value={span} onChange={setSpan} panelId={PANEL_ID} />
      <div id={PANEL_ID} role="tabpanel" aria-labelledby={`${PANEL_ID}-tab-${span}`} aria-busy={series.isFetching}>
        {series.data ? (
          <div className={series.isPlaceholderData ? styles.refreshing : undefined}>
            <SeriesCharts points={series.data} windowTitle={selected?.title ?? span} />
          </div>
        ) : series.isError ? (
          <ErrorState what="the activity series" error={series.error} onRetry={() => void series.refetch()} />
        ) : (
          <LoadingState what="activity" />
        )}
        {series.data && series.isError ? (
          <p className="small form-error" role="alert">
            Could not refresh: {series.error.message}. Showing the last figures.
          </p>
        ) : null}
      </div>
    </section>
  );
}
