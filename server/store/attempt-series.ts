import type { SqliteDatabase } from "../db/open-database.ts";

export const SERIES_WINDOWS = {
  "15m": { spanMs: 15 * 60_000, stepMs: 10_000 },
  "1h": { spanMs: 3_600_000, stepMs: 60_000 },
  "1d": { spanMs: 86_400_000, stepMs: 15 * 60_000 },
} as const;

export type SeriesWindow = keyof typeof SERIES_WINDOWS;

export interface SeriesPoint {
  /** Start of the step, ms since the epoch. */
  t: number;
  delivered: number;
  /** Attempts that failed: retried, dead-lettered, discarded or blocked. */
  failed: number;
  retried: number;
  /** Mean and maximum latency of the step's attempts, null without attempts. */
  avgLatencyMs: number | null;
  maxLatencyMs: number | null;
}

/**
 * A target's delivery attempts over a window, per step: one grouped scan of
 * the (targetArn, at) index, every step present (zeros where nothing
 * happened) so charts show quiet periods as quiet rather than skipping them.
 */
export function attemptSeries(db: SqliteDatabase, targetArn: string, window: SeriesWindow, now: number): SeriesPoint[] {
  const { spanMs, stepMs } = SERIES_WINDOWS[window];
  const end = Math.floor(now / stepMs) * stepMs + stepMs;
  const start = end - spanMs;
  const rows = db
    .prepare(
      `SELECT (at / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS t,
              SUM(outcome = 'success') AS delivered,
              SUM(outcome <> 'success') AS failed,
              SUM(outcome = 'retry') AS retried,
              AVG(latencyMs) AS avgLatencyMs,
              MAX(latencyMs) AS maxLatencyMs
         FROM Attempt
        WHERE targetArn = ? AND at >= ? AND at < ?
        GROUP BY 1`,
    )
    .all(stepMs, stepMs, targetArn, start, end) as { t: number; delivered: number; failed: number; retried: number; avgLatencyMs: number | null; maxLatencyMs: number | null }[];
  // better-sqlite3 binds JS numbers as REAL: the CASTs keep the step division integral.
  const byStep = new Map(rows.map((row) => [Number(row.t), row]));
  const points: SeriesPoint[] = [];
  for (let t = start; t < end; t += stepMs) {
    const row = byStep.get(t);
    points.push({
      t,
      delivered: Number(row?.delivered ?? 0),
      failed: Number(row?.failed ?? 0),
      retried: Number(row?.retried ?? 0),
      avgLatencyMs: row?.avgLatencyMs ?? null,
      maxLatencyMs: row?.maxLatencyMs ?? null,
    });
  }
  return points;
}
