import type { SqliteDatabase } from "../db/open-database.ts";
import type { Logger } from "../logging/logger.ts";
import type { HeraldMetrics } from "../metrics/herald-metrics.ts";
import { attemptTotals, type DeliveryStore, type QueuedDelivery } from "../store/delivery-store.ts";
import type { OutcomeWriter } from "../store/outcome-writer.ts";
import type { HealthResult, Target } from "../targets/target.ts";
import type { TargetRecord } from "./target-record.ts";
import { TargetStats, type TargetStatsSnapshot } from "./target-stats.ts";
import { TargetWorker } from "./target-worker.ts";

export interface TargetPoolDeps {
  db: SqliteDatabase;
  store: DeliveryStore;
  outcomes: OutcomeWriter;
  metrics: HeraldMetrics;
  clock: () => number;
  logger: Logger;
  createTarget: (record: TargetRecord) => Target;
  /** The target answered 410 Gone: persist its pause. */
  onGone: (arn: string) => void;
  memoryLimit: number;
  healthCheckIntervalMs: number;
  shutdownTimeoutMs: number;
}

interface Entry {
  record: TargetRecord;
  worker: TargetWorker;
  stats: TargetStats;
}

export type QueueLimitVerdict = "ok" | "alarm" | "reject";

/**
 * The running targets: one worker and one set of counters per enabled target,
 * reconciled with the configuration whenever it changes, without a restart.
 */
export class TargetPool {
  private readonly entries = new Map<string, Entry>();
  private healthTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: TargetPoolDeps) {}

  /** Brings the running set in line with `records`; returns when every change is in effect. */
  async reconcile(records: readonly TargetRecord[]): Promise<void> {
    const wanted = new Map(records.filter((r) => r.enabled).map((r) => [r.arn, r]));
    for (const [arn, entry] of this.entries) {
      if (!wanted.has(arn)) await this.remove(arn, entry);
    }
    for (const record of wanted.values()) {
      const entry = this.entries.get(record.arn);
      if (entry === undefined) {
        await this.add(record);
      } else if (JSON.stringify(entry.record.config) !== JSON.stringify(record.config) || entry.record.type !== record.type) {
        await this.remove(record.arn, entry);
        await this.add(record);
      } else {
        entry.record = record;
        entry.worker.updateOptions(record.delivery);
        entry.worker.setPaused(record.paused);
      }
    }
  }

  private async add(record: TargetRecord): Promise<void> {
    const { deps } = this;
    const target = deps.createTarget(record);
    const stats = this.loadStats(record.arn);
    try {
      await target.init();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      stats.lastHealthCheck = { ok: false, latencyMs: 0, error: message, checkedAt: deps.clock() };
      deps.logger.warn({ target: record.arn, err: error }, "target init failed; deliveries will retry");
    }
    const worker = new TargetWorker({
      target,
      options: record.delivery,
      store: deps.store,
      outcomes: deps.outcomes,
      stats,
      metrics: deps.metrics,
      clock: deps.clock,
      logger: deps.logger.child({ target: record.arn }),
      memoryLimit: deps.memoryLimit,
      paused: record.paused,
      onGone: (arn) => {
        const entry = this.entries.get(arn);
        if (entry) entry.record = { ...entry.record, paused: true };
        deps.onGone(arn);
      },
    });
    this.entries.set(record.arn, { record, worker, stats });
    worker.start();
  }

  private async remove(arn: string, entry: Entry): Promise<void> {
    this.entries.delete(arn);
    await entry.worker.stop(this.deps.shutdownTimeoutMs);
    await this.deps.outcomes.flush();
    await entry.worker.target.close().catch((error: unknown) => this.deps.logger.warn({ err: error, target: arn }, "target close failed"));
  }

  private loadStats(arn: string): TargetStats {
    const stats = new TargetStats();
    const states = this.deps.store.countsByState(arn);
    const attempts = attemptTotals(this.deps.db, arn);
    stats.queued = states.queued ?? 0;
    stats.deadLetters = states.dead ?? 0;
    stats.delivered = attempts.success ?? 0;
    stats.retried = (attempts.retry ?? 0) + (attempts.blocked ?? 0);
    stats.deadLettered = attempts.dead ?? 0;
    stats.discarded = attempts.discarded ?? 0;
    stats.failed = stats.retried + stats.deadLettered + stats.discarded;
    stats.attempts = stats.delivered + stats.failed;
    return stats;
  }

  /** Whether new events may be queued for this ARN (it exists and is enabled). */
  accepts(arn: string): boolean {
    return this.entries.has(arn);
  }

  checkQueueLimit(arn: string, incoming: number): QueueLimitVerdict {
    const entry = this.entries.get(arn);
    if (!entry) return "ok";
    const { queueLimit, queueLimitPolicy } = entry.record.delivery;
    const over = entry.stats.queued + incoming > queueLimit;
    if (!over) {
      entry.stats.queueLimitAlarm = false;
      return "ok";
    }
    if (queueLimitPolicy === "reject") return "reject";
    if (!entry.stats.queueLimitAlarm) this.deps.logger.warn({ target: arn, queued: entry.stats.queued, queueLimit }, "queue limit reached: accepting and raising the alarm");
    entry.stats.queueLimitAlarm = true;
    return "alarm";
  }

  offer(arn: string, items: QueuedDelivery[]): void {
    const entry = this.entries.get(arn);
    if (!entry) return;
    entry.stats.queued += items.length;
    entry.worker.offer(items);
  }

  /** Rows were queued in the database for this target (replay, dead-letter retry). */
  notifyQueued(arn: string, count: number, fromDeadLetters: number = 0): void {
    const entry = this.entries.get(arn);
    if (!entry) return;
    entry.stats.queued += count;
    entry.stats.deadLetters -= fromDeadLetters;
    entry.worker.notifyNewRows();
  }

  notifyPurged(arn: string, count: number): void {
    const entry = this.entries.get(arn);
    if (entry) entry.stats.deadLetters -= count;
  }

  has(arn: string): boolean {
    return this.entries.has(arn);
  }

  worker(arn: string): TargetWorker | undefined {
    return this.entries.get(arn)?.worker;
  }

  snapshot(arn: string): TargetStatsSnapshot | undefined {
    const entry = this.entries.get(arn);
    if (!entry) return undefined;
    const now = this.deps.clock();
    return entry.stats.snapshot(entry.worker.isPaused, this.deps.store.oldestQueuedAt(arn), now);
  }

  arns(): string[] {
    return [...this.entries.keys()];
  }

  typeOf(arn: string): string | undefined {
    return this.entries.get(arn)?.record.type;
  }

  async checkHealth(arn: string): Promise<HealthResult | undefined> {
    const entry = this.entries.get(arn);
    if (!entry) return undefined;
    let result: HealthResult;
    try {
      result = await entry.worker.target.healthCheck();
    } catch (error) {
      result = { ok: false, latencyMs: 0, error: error instanceof Error ? error.message : String(error), checkedAt: this.deps.clock() };
    }
    entry.stats.lastHealthCheck = result;
    return result;
  }

  startHealthChecks(): void {
    const run = async () => {
      await Promise.all(this.arns().map((arn) => this.checkHealth(arn)));
      if (!this.stopped) this.healthTimer = setTimeout(run, this.deps.healthCheckIntervalMs).unref();
    };
    this.healthTimer = setTimeout(run, 0).unref();
  }

  /** Graceful stop: in-flight deliveries get `timeoutMs` to finish; the rest stay queued. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.healthTimer);
    const entries = [...this.entries.values()];
    await Promise.all(entries.map((e) => e.worker.stop(timeoutMs)));
    await this.deps.outcomes.flush();
    await Promise.all(entries.map((e) => e.worker.target.close().catch(() => undefined)));
    this.entries.clear();
  }
}
