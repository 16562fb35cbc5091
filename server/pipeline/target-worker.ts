import type { Logger } from "../logging/logger.ts";
import type { HeraldMetrics } from "../metrics/herald-metrics.ts";
import type { DeliveryStore, QueuedDelivery } from "../store/delivery-store.ts";
import type { OutcomeWriter } from "../store/outcome-writer.ts";
import { asDeliveryError } from "../targets/delivery-error.ts";
import type { DeliveryOptions } from "../targets/delivery-options.ts";
import type { DeliveryItem, Target } from "../targets/target.ts";
import { decideRetry } from "./backoff.ts";
import { MinHeap } from "./min-heap.ts";
import type { TargetStats } from "./target-stats.ts";

export interface TargetWorkerDeps {
  target: Target;
  options: DeliveryOptions;
  store: DeliveryStore;
  outcomes: OutcomeWriter;
  stats: TargetStats;
  metrics: HeraldMetrics;
  clock: () => number;
  logger: Logger;
  /** Most deliveries held in memory; the rest wait in the database. */
  memoryLimit: number;
  paused: boolean;
  /** The target answered 410 Gone: persist the pause. */
  onGone: (arn: string) => void;
  random?: () => number;
}

/**
 * Delivers one target's queue. The database holds the queue; the worker keeps
 * a bounded window of it in memory. Invariant: every queued delivery of this
 * target with id <= `cursor` is in memory (ready, waiting, delayed or in
 * flight) and none above it is; when `spilled`, the database holds queued
 * deliveries above the cursor that are read in id order as room frees up.
 */
export class TargetWorker {
  readonly arn: string;
  private options: DeliveryOptions;
  private paused: boolean;
  private stopping = false;
  private cursor = 0;
  private spilled = true;
  private inMemory = 0;
  /** Due items in id order; `readyHead` avoids O(n) shifts. */
  private ready: QueuedDelivery[] = [];
  private readyHead = 0;
  private readonly delayed = new MinHeap<QueuedDelivery>((d) => d.nextAttemptAt);
  /** orderByKey: the delivery that owns each key, and the ones waiting behind it. */
  private readonly keyOwner = new Map<string, number>();
  private readonly keyWaiting = new Map<string, QueuedDelivery[]>();
  private inFlightBatches = 0;
  private inFlightItems = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryTimerAt = Infinity;
  private batchTimer: NodeJS.Timeout | undefined;
  private pumpScheduled = false;
  private idleWaiters: (() => void)[] = [];
  /** Metric children bound once: label validation on every delivery shows in profiles. */
  private readonly durationMetric;
  private readonly outcomeMetrics = new Map<string, { inc(n?: number): void }>();

  constructor(private readonly deps: TargetWorkerDeps) {
    this.arn = deps.target.arn;
    this.options = deps.options;
    this.paused = deps.paused;
    this.durationMetric = deps.metrics.deliveryDuration.labels({ target: this.arn, type: deps.target.type });
  }

  private countOutcome(outcome: string, n = 1): void {
    let child = this.outcomeMetrics.get(outcome);
    if (child === undefined) {
      child = this.deps.metrics.deliveries.labels({ target: this.arn, type: this.deps.target.type, outcome });
      this.outcomeMetrics.set(outcome, child);
    }
    child.inc(n);
  }

  get target(): Target {
    return this.deps.target;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get deliveryOptions(): DeliveryOptions {
    return this.options;
  }

  /** Deliveries just committed for this target, in id order. */
  offer(items: readonly QueuedDelivery[]): void {
    if (items.length === 0) return;
    if (!this.spilled && this.inMemory + items.length <= this.deps.memoryLimit) {
      for (const item of items) this.pushReady(item);
      this.inMemory += items.length;
      this.cursor = items[items.length - 1]!.deliveryId;
    } else {
      this.spilled = true;
    }
    this.schedulePump();
  }

  /** Rows were queued behind the worker's back (replay, dead-letter retry): read them from the database. */
  notifyNewRows(): void {
    this.spilled = true;
    this.schedulePump();
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused) this.schedulePump();
  }

  updateOptions(options: DeliveryOptions): void {
    this.options = options;
    this.schedulePump();
  }

  start(): void {
    this.schedulePump();
  }

  /**
   * Stops taking work and waits up to `timeoutMs` for in-flight sends. Whatever
   * is not finished stays queued in the database for the next start.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.batchTimer);
    if (this.inFlightBatches > 0) {
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
      ]);
    }
  }

  /** Resolves when nothing is in flight (tests and shutdown). */
  get inFlight(): number {
    return this.inFlightItems;
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.stopping) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.stopping) return;
    const now = this.deps.clock();
    this.promoteDue(now);
    this.refill(now);
    if (this.paused) return;
    const { inFlightLimit, failurePolicy } = this.options;
    const limit = failurePolicy === "block" ? 1 : inFlightLimit;
    while (this.inFlightBatches < limit) {
      // Under `block` the oldest delivery must succeed before anything else moves.
      if (failurePolicy === "block" && this.delayed.size > 0) break;
      const batch = this.takeBatch(now);
      if (batch === undefined) break;
      void this.send(batch);
    }
    this.armRetryTimer();
  }

  private promoteDue(now: number): void {
    while (this.delayed.size > 0 && this.delayed.peek()!.nextAttemptAt <= now) {
      this.insertReadySorted(this.delayed.pop()!);
    }
  }

  private refill(now: number): void {
    if (!this.spilled) return;
    const room = this.deps.memoryLimit - this.inMemory;
    if (room < Math.max(1, this.deps.memoryLimit / 4)) return;
    const rows = this.deps.store.queuedAfter(this.arn, this.cursor, room);
    for (const row of rows) {
      if (row.nextAttemptAt > now) this.delayed.push(row);
      else this.pushReady(row);
    }
    this.inMemory += rows.length;
    if (rows.length > 0) this.cursor = rows[rows.length - 1]!.deliveryId;
    if (rows.length < room) this.spilled = false;
  }

  private pushReady(item: QueuedDelivery): void {
    this.ready.push(item);
  }

  private insertReadySorted(item: QueuedDelivery): void {
    let lo = this.readyHead;
    let hi = this.ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ready[mid]!.deliveryId < item.deliveryId) lo = mid + 1;
      else hi = mid;
    }
    this.ready.splice(lo, 0, item);
  }

  private shiftReady(): QueuedDelivery | undefined {
    if (this.readyHead >= this.ready.length) return undefined;
    const item = this.ready[this.readyHead]!;
    this.readyHead += 1;
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
    return item;
  }

  private get readyCount(): number {
    return this.ready.length - this.readyHead;
  }

  private takeBatch(now: number): QueuedDelivery[] | undefined {
    const { batchSize, batchTimeoutMs, orderByKey } = this.options;
    if (this.readyCount === 0) return undefined;
    if (batchSize > 1 && this.readyCount < batchSize && batchTimeoutMs > 0 && !this.spilled) {
      const oldest = this.ready[this.readyHead]!;
      const waited = now - oldest.event.receivedAt;
      if (waited < batchTimeoutMs) {
        if (this.batchTimer === undefined) {
          this.batchTimer = setTimeout(() => {
            this.batchTimer = undefined;
            this.schedulePumpForce();
          }, batchTimeoutMs - waited);
        }
        return undefined;
      }
    }
    const batch: QueuedDelivery[] = [];
    while (batch.length < batchSize) {
      const item = this.shiftReady();
      if (item === undefined) break;
      if (orderByKey) {
        const key = orderKeyOf(item);
        const owner = this.keyOwner.get(key);
        if (owner !== undefined && owner !== item.deliveryId) {
          const waiting = this.keyWaiting.get(key);
          if (waiting) waiting.push(item);
          else this.keyWaiting.set(key, [item]);
          continue;
        }
        this.keyOwner.set(key, item.deliveryId);
      }
      batch.push(item);
    }
    return batch.length > 0 ? batch : undefined;
  }

  private schedulePumpForce(): void {
    this.schedulePump();
  }

  private async send(batch: QueuedDelivery[]): Promise<void> {
    this.inFlightBatches += 1;
    this.inFlightItems += batch.length;
    const items: DeliveryItem[] = batch.map((d) => ({
      deliveryId: d.deliveryId,
      event: d.event,
      ruleId: d.ruleId,
      attempt: d.attempts + 1,
    }));
    const started = performance.now();
    let statusCode: number | undefined;
    let failure: ReturnType<typeof asDeliveryError> | undefined;
    try {
      statusCode = (await this.deps.target.send(items)).statusCode;
    } catch (error) {
      failure = asDeliveryError(error);
      statusCode = failure.statusCode;
    }
    const latencyMs = performance.now() - started;
    this.inFlightBatches -= 1;
    this.inFlightItems -= batch.length;
    this.complete(batch, latencyMs, statusCode, failure);
    if (this.inFlightBatches === 0 && this.idleWaiters.length > 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
    this.schedulePump();
  }

  private complete(
    batch: QueuedDelivery[],
    latencyMs: number,
    statusCode: number | undefined,
    failure: ReturnType<typeof asDeliveryError> | undefined,
  ): void {
    const { stats, outcomes } = this.deps;
    const now = this.deps.clock();
    this.durationMetric.observe(latencyMs / 1000);
    if (failure === undefined) {
      stats.recordSuccess(batch.length, latencyMs, now);
      this.countOutcome("success", batch.length);
      for (const d of batch) {
        outcomes.record({
          deliveryId: d.deliveryId,
          eventSeq: d.event.seq,
          targetArn: this.arn,
          attempt: d.attempts + 1,
          outcome: "success",
          statusCode,
          latencyMs,
          error: undefined,
          at: now,
          state: "delivered",
          nextAttemptAt: d.nextAttemptAt,
        });
        this.finish(d);
      }
      return;
    }
    stats.recordFailure(latencyMs, failure.message, now);
    if (failure.pauseTarget && !this.paused) {
      this.paused = true;
      this.deps.logger.warn({ target: this.arn }, "target answered 410 Gone: paused");
      this.deps.onGone(this.arn);
    }
    for (const d of batch) {
      const attempt = d.attempts + 1;
      const decision = decideRetry({
        attempt,
        retryable: failure.retryable,
        eventAgeMs: now - d.event.receivedAt,
        options: this.options,
        ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
        ...(this.deps.random ? { random: this.deps.random } : {}),
      });
      const outcome = decision.retry
        ? this.options.failurePolicy === "block"
          ? "blocked"
          : "retry"
        : this.options.failurePolicy === "discard"
          ? "discarded"
          : "dead";
      const error = decision.retry ? failure.message : `${failure.message} (gave up: ${decision.reason})`;
      this.countOutcome(outcome);
      stats.recordFailedItem(outcome === "blocked" ? "retry" : outcome);
      const nextAttemptAt = decision.retry ? now + decision.delayMs : d.nextAttemptAt;
      outcomes.record({
        deliveryId: d.deliveryId,
        eventSeq: d.event.seq,
        targetArn: this.arn,
        attempt,
        outcome,
        statusCode,
        latencyMs,
        error,
        at: now,
        state: decision.retry ? "queued" : outcome === "discarded" ? "discarded" : "dead",
        nextAttemptAt,
      });
      if (decision.retry) {
        d.attempts = attempt;
        d.nextAttemptAt = nextAttemptAt;
        this.delayed.push(d);
      } else {
        this.finish(d);
      }
    }
  }

  /** A delivery left the queue for good: free its memory slot and its key. */
  private finish(d: QueuedDelivery): void {
    this.inMemory -= 1;
    if (!this.options.orderByKey && this.keyOwner.size === 0) return;
    const key = orderKeyOf(d);
    if (this.keyOwner.get(key) !== d.deliveryId) return;
    this.keyOwner.delete(key);
    const waiting = this.keyWaiting.get(key);
    if (waiting && waiting.length > 0) {
      const next = waiting.shift()!;
      if (waiting.length === 0) this.keyWaiting.delete(key);
      this.insertReadySorted(next);
    }
  }

  private armRetryTimer(): void {
    const next = this.delayed.peek();
    if (next === undefined) return;
    if (next.nextAttemptAt >= this.retryTimerAt && this.retryTimer !== undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimerAt = next.nextAttemptAt;
    const delay = Math.max(0, next.nextAttemptAt - this.deps.clock());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retryTimerAt = Infinity;
      this.schedulePump();
    }, delay);
  }
}

function orderKeyOf(d: QueuedDelivery): string {
  return `${d.event.bucket}\u0000${d.event.key}`;
}
