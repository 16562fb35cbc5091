"use client";

import type { ReactElement } from "react";
import { Area, AreaChart, Bar, CartesianGrid, ComposedChart, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatMs, formatTime } from "@/components/ui/format.ts";
import type { SeriesPoint } from "./types.ts";
import styles from "./health.module.css";

const COLORS = { delivered: "#1a7f4b", failed: "#c0352b", retried: "#9a6200", rate: "#2456d6", avg: "#2456d6", max: "#c0352b" };

function clock(t: number): string {
  return new Date(t).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit", hour12: false });
}

function stepText(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

function countValue(value: unknown): string {
  return typeof value === "number" ? formatCount(value) : "—";
}

function msValue(value: unknown): string {
  return typeof value === "number" ? formatMs(value) : "no attempts";
}

function ChartFigure({ title, summary, children }: { title: string; summary: string; children: ReactElement }) {
  return (
    <figure className={styles.chart} aria-label={title}>
      <figcaption>
        {title} <span className="muted small">· {summary}</span>
      </figcaption>
      <div className={styles.chartBox}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

const xAxis = <XAxis dataKey="t" tickFormatter={clock} minTickGap={28} tick={{ fontSize: 11 }} />;
const grid = <CartesianGrid strokeDasharray="3 3" vertical={false} />;
const labelTime = (label: unknown) => formatTime(Number(label));

/** The three views of a target's attempts over a window: throughput, errors, latency. */
export function SeriesCharts({ points, windowTitle }: { points: readonly SeriesPoint[]; windowTitle: string }) {
  const step = points.length > 1 ? points[1]!.t - points[0]!.t : 0;
  const per = step > 0 ? `per ${stepText(step)}` : "per step";
  const rows = points.map((p) => ({
    ...p,
    // `failed` counts every failed attempt; the ones not retried were dead-lettered, discarded or blocked.
    otherFailures: Math.max(0, p.failed - p.retried),
    errorRate: p.delivered + p.failed > 0 ? Math.round((p.failed / (p.delivered + p.failed)) * 1000) / 10 : null,
  }));
  const delivered = points.reduce((n, p) => n + p.delivered, 0);
  const failed = points.reduce((n, p) => n + p.failed, 0);
  const retried = points.reduce((n, p) => n + p.retried, 0);
  const maxes = points.map((p) => p.maxLatencyMs).filter((v): v is number => v !== null);
  const peak = maxes.length > 0 ? Math.max(...maxes) : null;

  return (
    <div className="stack">
      {delivered + failed === 0 ? <p className="muted small">No delivery attempts in this window ({windowTitle.toLowerCase()}).</p> : null}
      <ChartFigure title={`Throughput ${per}`} summary={`${formatCount(delivered)} delivered, ${formatCount(failed)} failed in the window`}>
        <AreaChart data={rows} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
          {grid}
          {xAxis}
          <YAxis allowDecimals={false} width={48} tick={{ fontSize: 11 }} />
          <Tooltip labelFormatter={labelTime} formatter={countValue} />
          <Legend />
          <Area type="monotone" dataKey="delivered" name="Delivered" stroke={COLORS.delivered} fill={COLORS.delivered} fillOpacity={0.15} isAnimationActive={false} />
          <Area type="monotone" dataKey="failed" name="Failed" stroke={COLORS.failed} fill={COLORS.failed} fillOpacity={0.15} isAnimationActive={false} />
        </AreaChart>
      </ChartFigure>
      <div className={styles.chartGrid}>
        <ChartFigure title={`Failed attempts ${per}`} summary={`${formatCount(retried)} retried, ${formatCount(failed - retried)} not retried`}>
          <ComposedChart data={rows} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
            {grid}
            {xAxis}
            <YAxis yAxisId="count" allowDecimals={false} width={48} tick={{ fontSize: 11 }} />
            <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} unit="%" width={44} tick={{ fontSize: 11 }} />
            <Tooltip
              labelFormatter={labelTime}
              formatter={(value, name) => (name === "Error rate" ? (typeof value === "number" ? `${value}%` : "no attempts") : countValue(value))}
            />
            <Legend />
            <Bar yAxisId="count" dataKey="retried" name="Retried" stackId="failed" fill={COLORS.retried} isAnimationActive={false} />
            <Bar
              yAxisId="count"
              dataKey="otherFailures"
              name="Dead-lettered, discarded or blocked"
              stackId="failed"
              fill={COLORS.failed}
              isAnimationActive={false}
            />
            <Line yAxisId="rate" type="monotone" dataKey="errorRate" name="Error rate" stroke={COLORS.rate} dot={false} connectNulls={false} isAnimationActive={false} />
          </ComposedChart>
        </ChartFigure>
        <ChartFigure title={`Latency ${per} (average and maximum)`} summary={`highest ${formatMs(peak)}`}>
          <LineChart data={rows} margin={{ top: 4, right: 12, bottom: 0, left: 0 }}>
            {grid}
            {xAxis}
            <YAxis unit=" ms" width={64} tick={{ fontSize: 11 }} />
            <Tooltip labelFormatter={labelTime} formatter={msValue} />
            <Legend />
            <Line type="monotone" dataKey="avgLatencyMs" name="Average" stroke={COLORS.avg} dot={false} connectNulls={false} isAnimationActive={false} />
            <Line type="monotone" dataKey="maxLatencyMs" name="Maximum" stroke={COLORS.max} dot={false} connectNulls={false} isAnimationActive={false} />
          </LineChart>
        </ChartFigure>
      </div>
    </div>
  );
}
