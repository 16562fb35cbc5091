import type { HealthResult } from "../targets/target.ts";

export type HealthState = "healthy" | "degraded" | "failing" | "paused";

export interface TargetStatsSnapshot {
  attempts: number;
  delivered: number;
  failed: number;
  retried: number;
  deadLettered: number;
  discarded: number;
  queued: number;
  deadLetters: number;
  oldestQueuedAgeMs: number | null;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
  lastError: { message: string; at: number } | null;
  lastSuccessAt: number | null;
  lastHealthCheck: HealthResult | null;
  queueLimitAlarm: boolean;
  health: HealthState;
}

const LATENCY_WINDOW = 1024;
const OUTCOME_WINDOW = 50;

/**
 * Per-target counters for the console and /metrics. Totals start from the
 * database at boot, so they survive restarts; percentiles and health come from
 * a window of recent attempts.
 */
export class TargetStats {
  attempts = 0;
  delivered = 0;
  failed = 0;
  retried = 0;
  deadLettered = 0;
  discarded = 0;
  queued = 0;
  deadLetters = 0;
  lastError: { message: string; at: number } | null = null;
  lastSuccessAt: number | null = null;
  lastHealthCheck: HealthResult | null = null;
  queueLimitAlarm = false;
  private readonly latencies = new Float64Array(LATENCY_WINDOW);
  private latencyCount = 0;
  /** 1 = success, 0 = failure, newest last; a ring of OUTCOME_WINDOW. */
  private readonly outcomes = new Uint8Array(OUTCOME_WINDOW);
  private outcomeCount = 0;

  recordSuccess(count: number, latencyMs: number, at: number): void {
    this.attempts += count;
    this.delivered += count;
    this.queued -= count;
    this.lastSuccessAt = at;
    this.pushLatency(latencyMs);
    this.pushOutcome(1);
  }

  recordFailure(latencyMs: number, message: string, at: number): void {
    this.pushLatency(latencyMs);
    this.pushOutcome(0);
    this.lastError = { message, at };
  }

  /** Per item of a failed batch, after the retry decision. */
  recordFailedItem(result: "retry" | "dead" | "discarded"): void {
    this.attempts += 1;
    this.failed += 1;
    if (result === "retry") this.retried += 1;
    else {
      this.queued -= 1;
      if (result === "dead") {
        this.deadLettered += 1;
        this.deadLetters += 1;
      } else this.discarded += 1;
    }
  }

  private pushLatency(ms: number): void {
    this.latencies[this.latencyCount % LATENCY_WINDOW] = ms;
    this.latencyCount += 1;
  }

  private pushOutcome(ok: 0 | 1): void {
    this.outcomes[this.outcomeCount % OUTCOME_WINDOW] = ok;
    this.outcomeCount += 1;
  }

  percentile(p: number): number | null {
    const n = Math.min(this.latencyCount, LATENCY_WINDOW);
    if (n === 0) return null;
    const sorted = Array.from(this.latencies.subarray(0, n)).sort((a, b) => a - b);
    const index = Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
    return Math.round((sorted[index] ?? 0) * 100) / 100;
  }

  /**
   * failing: the last health check failed, or the last 5 attempts all failed;
   * degraded: some recent attempts failed, or the queue limit alarm is up.
   */
  health(paused: boolean): HealthState {
    if (paused) return "paused";
    const n = Math.min(this.outcomeCount, OUTCOME_WINDOW);
    let recentFailures = 0;
    let trailingFailures = 0;
    let trailingDone = false;
    for (let i = 0; i < n; i++) {
      const ok = this.outcomes[(this.outcomeCount - 1 - i) % OUTCOME_WINDOW] === 1;
      if (!ok) recentFailures += 1;
      if (!trailingDone) {
        if (ok) trailingDone = true;
        else trailingFailures += 1;
      }
    }
    const checkFailed = this.lastHealthCheck !== null && !this.lastHealthCheck.ok;
    const checkedAfterLastAttempt =
      this.lastHealthCheck !== null && this.lastHealthCheck.checkedAt >= Math.max(this.lastSuccessAt ?? 0, this.lastError?.at ?? 0);
    if ((checkFailed && (checkedAfterLastAttempt || trailingFailures > 0)) || trailingFailures >= 5) return "failing";
    if (recentFailures > 0 || this.queueLimitAlarm || (checkFailed && !checkedAfterLastAttempt)) return "degraded";
    return "healthy";
  }

  snapshot(paused: boolean, oldestQueuedAt: number | undefined, now: number): TargetStatsSnapshot {
    return {
      attempts: this.attempts,
      delivered: this.delivered,
      failed: this.failed,
      retried: this.retried,
      deadLettered: this.deadLettered,
      discarded: this.discarded,
      queued: this.queued,
      deadLetters: this.deadLetters,
      oldestQueuedAgeMs: oldestQueuedAt === undefined ? null : Math.max(0, now - oldestQueuedAt),
      latencyMs: { p50: this.percentile(50), p95: this.percentile(95), p99: this.percentile(99) },
      lastError: this.lastError,
      lastSuccessAt: this.lastSuccessAt,
      lastHealthCheck: this.lastHealthCheck,
      queueLimitAlarm: this.queueLimitAlarm,
      health: this.health(paused),
    };
  }
}
