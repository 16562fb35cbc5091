import { describe, expect, it } from "vitest";
import { TargetStats } from "./target-stats.ts";

describe("counters", () => {
  it("counts a delivered batch once per item and takes it off the queue", () => {
    const stats = new TargetStats();
    stats.queued = 10;
    stats.recordSuccess(3, 12, 1000);
    expect(stats).toMatchObject({ attempts: 3, delivered: 3, queued: 7, failed: 0, lastSuccessAt: 1000 });
  });

  it("counts a failed send only through its items, so a batch is not counted twice", () => {
    const stats = new TargetStats();
    stats.queued = 3;
    stats.recordFailure(50, "connect ECONNREFUSED", 2000);
    expect(stats.attempts).toBe(0);
    expect(stats.failed).toBe(0);
    expect(stats.lastError).toEqual({ message: "connect ECONNREFUSED", at: 2000 });

    stats.recordFailedItem("retry");
    stats.recordFailedItem("dead");
    stats.recordFailedItem("discarded");
    expect(stats).toMatchObject({ attempts: 3, failed: 3, retried: 1, deadLettered: 1, deadLetters: 1, discarded: 1, delivered: 0 });
    // A retried item stays queued; dead and discarded ones leave the queue.
    expect(stats.queued).toBe(1);
  });
});

describe("percentile", () => {
  it("is null before any attempt", () => {
    expect(new TargetStats().percentile(50)).toBeNull();
  });

  it("uses the nearest rank over the recorded latencies", () => {
    const stats = new TargetStats();
    // Out of order, to show the values are sorted before ranking.
    for (let ms = 100; ms >= 1; ms--) stats.recordSuccess(1, ms, ms);
    expect(stats.percentile(50)).toBe(50);
    expect(stats.percentile(95)).toBe(95);
    expect(stats.percentile(99)).toBe(99);
    expect(stats.percentile(100)).toBe(100);
    expect(stats.percentile(0)).toBe(1);
  });

  it("includes failed attempts and rounds to two decimals", () => {
    const stats = new TargetStats();
    stats.recordSuccess(1, 1.23456, 1);
    stats.recordFailure(9.87654, "timeout", 2);
    expect(stats.percentile(50)).toBe(1.23);
    expect(stats.percentile(99)).toBe(9.88);
  });

  it("forgets latencies older than the last 1024 attempts", () => {
    const stats = new TargetStats();
    for (let i = 0; i < 1024; i++) stats.recordSuccess(1, 10_000, i);
    for (let i = 0; i < 1024; i++) stats.recordSuccess(1, 5, i);
    expect(stats.percentile(99)).toBe(5);
  });
});

describe("health", () => {
  it("is healthy with no history", () => {
    expect(new TargetStats().health(false)).toBe("healthy");
  });

  it("is paused whatever else is true", () => {
    const stats = new TargetStats();
    for (let i = 0; i < 5; i++) stats.recordFailure(1, "down", i);
    stats.queueLimitAlarm = true;
    expect(stats.health(true)).toBe("paused");
  });

  it("is healthy after successes only", () => {
    const stats = new TargetStats();
    for (let i = 0; i < 10; i++) stats.recordSuccess(1, 5, i);
    expect(stats.health(false)).toBe("healthy");
  });

  it("is degraded while a failure is within the last 50 attempts, then healthy again", () => {
    const stats = new TargetStats();
    stats.recordSuccess(1, 5, 1);
    stats.recordFailure(5, "500", 2);
    stats.recordSuccess(1, 5, 3);
    expect(stats.health(false)).toBe("degraded");
    for (let i = 0; i < 48; i++) stats.recordSuccess(1, 5, 10 + i);
    // 49 successes after the failure: still inside the window of 50.
    expect(stats.health(false)).toBe("degraded");
    stats.recordSuccess(1, 5, 100);
    expect(stats.health(false)).toBe("healthy");
  });

  it("is failing after 5 consecutive failures, not after 4", () => {
    const stats = new TargetStats();
    stats.recordSuccess(1, 5, 0);
    for (let i = 1; i <= 4; i++) stats.recordFailure(5, "503", i);
    expect(stats.health(false)).toBe("degraded");
    stats.recordFailure(5, "503", 5);
    expect(stats.health(false)).toBe("failing");
    stats.recordSuccess(1, 5, 6);
    expect(stats.health(false)).toBe("degraded");
  });

  it("is failing when the last health check failed after the last attempt", () => {
    const stats = new TargetStats();
    stats.recordSuccess(1, 5, 1000);
    stats.lastHealthCheck = { ok: false, latencyMs: 3, error: "ECONNREFUSED", checkedAt: 2000 };
    expect(stats.health(false)).toBe("failing");
  });

  it("is only degraded when a success came after the failed health check", () => {
    const stats = new TargetStats();
    stats.lastHealthCheck = { ok: false, latencyMs: 3, error: "ECONNREFUSED", checkedAt: 2000 };
    stats.recordSuccess(1, 5, 3000);
    expect(stats.health(false)).toBe("degraded");
  });

  it("is failing when a failed health check is followed by a failed attempt", () => {
    const stats = new TargetStats();
    stats.lastHealthCheck = { ok: false, latencyMs: 3, checkedAt: 2000 };
    stats.recordFailure(5, "refused", 3000);
    expect(stats.health(false)).toBe("failing");
  });

  it("is healthy when the last health check passed", () => {
    const stats = new TargetStats();
    stats.recordSuccess(1, 5, 1000);
    stats.lastHealthCheck = { ok: true, latencyMs: 3, checkedAt: 2000 };
    expect(stats.health(false)).toBe("healthy");
  });

  it("is degraded while the queue-limit alarm is up", () => {
    const stats = new TargetStats();
    stats.recordSuccess(1, 5, 1);
    stats.queueLimitAlarm = true;
    expect(stats.health(false)).toBe("degraded");
    stats.queueLimitAlarm = false;
    expect(stats.health(false)).toBe("healthy");
  });
});

describe("snapshot", () => {
  it("carries every counter, the percentiles, the last events and the health", () => {
    const stats = new TargetStats();
    stats.queued = 5;
    stats.recordSuccess(2, 10, 1000);
    stats.recordFailure(30, "HTTP 500", 2000);
    stats.recordFailedItem("retry");
    const check = { ok: true, latencyMs: 2, checkedAt: 1500 };
    stats.lastHealthCheck = check;

    expect(stats.snapshot(false, 4000, 10_000)).toEqual({
      attempts: 3,
      delivered: 2,
      failed: 1,
      retried: 1,
      deadLettered: 0,
      discarded: 0,
      queued: 3,
      deadLetters: 0,
      oldestQueuedAgeMs: 6000,
      latencyMs: { p50: 10, p95: 30, p99: 30 },
      lastError: { message: "HTTP 500", at: 2000 },
      lastSuccessAt: 1000,
      lastHealthCheck: check,
      queueLimitAlarm: false,
      health: "degraded",
    });
  });

  it("reports no queue age for an empty queue and never a negative one", () => {
    const stats = new TargetStats();
    expect(stats.snapshot(false, undefined, 5000).oldestQueuedAgeMs).toBeNull();
    // Clocks of the writer and the reader may differ by a little.
    expect(stats.snapshot(false, 5010, 5000).oldestQueuedAgeMs).toBe(0);
    expect(stats.snapshot(true, undefined, 5000).health).toBe("paused");
  });

  it("reports null percentiles and nulls for a fresh target", () => {
    expect(new TargetStats().snapshot(false, undefined, 0)).toMatchObject({
      latencyMs: { p50: null, p95: null, p99: null },
      lastError: null,
      lastSuccessAt: null,
      lastHealthCheck: null,
      health: "healthy",
    });
  });
});
