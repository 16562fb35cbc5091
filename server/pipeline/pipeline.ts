import { v7 as uuidv7 } from "uuid";
import { AppError } from "../errors/app-error.ts";
import type { AcceptedEvent, EventSink, NewEvent } from "../events/new-event.ts";
import type { HeraldEvent } from "../events/s3-record.ts";
import type { Logger } from "../logging/logger.ts";
import type { HeraldMetrics } from "../metrics/herald-metrics.ts";
import type { RuleIndex, RuleMatch } from "../rules/rule-index.ts";
import type { AcceptWriter, NewDelivery } from "../store/accept-writer.ts";
import type { QueuedDelivery } from "../store/delivery-store.ts";
import type { LiveHub } from "./live-hub.ts";
import type { LiveHistory } from "../live/live-history.ts";
import type { TargetPool } from "./target-pool.ts";

export interface PipelineDeps {
  writer: AcceptWriter;
  pool: TargetPool;
  history: LiveHistory;
  hub: LiveHub;
  metrics: HeraldMetrics;
  clock: () => number;
  logger: Logger;
  /** The highest sequence number already used (from the database). */
  lastSeq: number;
  ruleIndex: RuleIndex;
}

/**
 * Accepts events: matches them against the rule index, checks queue limits,
 * gives each its id and sequence number, commits events and deliveries in one
 * group-committed transaction, and only then hands them to the target
 * workers and the live stream.
 */
export class Pipeline implements EventSink {
  private seq: number;
  private index: RuleIndex;
  private closed = false;
  /** matchInto's working array, reused by every submit. */
  private readonly scratch: RuleMatch[] = [];

  constructor(private readonly deps: PipelineDeps) {
    this.seq = deps.lastSeq;
    this.index = deps.ruleIndex;
  }

  /** Rules changed: the new index replaces the old one in one assignment. */
  swapIndex(index: RuleIndex): void {
    this.index = index;
  }

  get ruleIndex(): RuleIndex {
    return this.index;
  }

  get lastSeq(): number {
    return this.seq;
  }

  close(): void {
    this.closed = true;
  }

  async submit(input: readonly NewEvent[]): Promise<AcceptedEvent[]> {
    const { metrics, pool, clock } = this.deps;
    if (this.closed) {
      metrics.eventsRejected.inc({ reason: "shutting_down" }, input.length);
      throw new AppError("ShuttingDown", "Herald is shutting down and accepts no new events");
    }
    if (input.length === 0) return [];
    const index = this.index;
    const now = clock();
    // One flat list of the batch's matches, event i's at [ends[i-1], ends[i]); matchInto starts with the O(1)
    // "anyone subscribed?" check itself.
    const matched: RuleMatch[] = [];
    const ends: number[] = [];
    const scratch = this.scratch;
    for (const e of input) {
      const count = index.matchInto(e.bucket, e.eventName, e.key, scratch);
      for (let j = 0; j < count; j++) if (pool.accepts(scratch[j]!.targetArn)) matched.push(scratch[j]!);
      ends.push(matched.length);
    }
    this.enforceQueueLimits(matched, input.length);

    const events: HeraldEvent[] = [];
    const deliveries: NewDelivery[] = [];
    const matchedCounts: number[] = [];
    input.forEach((e, i) => {
      const seq = ++this.seq;
      const id = uuidv7();
      // The sink owns submitted records (NewEvent contract), so no copy is made on the hot path.
      const record = e.record;
      if (!record.s3.object.sequencer) record.s3.object.sequencer = seq.toString(16).toUpperCase().padStart(16, "0");
      record.responseElements = { ...record.responseElements, "x-herald-event-id": id };
      const end = ends[i]!;
      const start = i === 0 ? 0 : ends[i - 1]!;
      events.push({ id, seq, bucket: e.bucket, key: e.key, eventName: e.eventName, eventTime: e.eventTime, receivedAt: now, source: e.source, record, matched: end - start });
      matchedCounts.push(end - start);
      for (let j = start; j < end; j++) deliveries.push({ eventSeq: seq, targetArn: matched[j]!.targetArn, ruleId: matched[j]!.ruleId });
    });

    let deliveryIds: number[];
    try {
      deliveryIds = await this.deps.writer.write({ events, deliveries, matchedCounts });
    } catch (error) {
      metrics.eventsRejected.inc({ reason: "storage" }, input.length);
      this.deps.logger.error({ err: error }, "could not commit accepted events");
      throw new AppError("InternalError", "the events could not be stored; nothing was accepted", { cause: error });
    }
    this.fanOut(events, deliveries, deliveryIds);
    return events.map((e, i) => ({ id: e.id, seq: e.seq, matched: matchedCounts[i] ?? 0 }));
  }

  private enforceQueueLimits(matched: readonly RuleMatch[], eventCount: number): void {
    const incoming = new Map<string, number>();
    for (const m of matched) incoming.set(m.targetArn, (incoming.get(m.targetArn) ?? 0) + 1);
    for (const [arn, count] of incoming) {
      const verdict = this.deps.pool.checkQueueLimit(arn, count);
      if (verdict === "reject") {
        this.deps.metrics.eventsRejected.inc({ reason: "queue_limit" }, eventCount);
        throw new AppError("SlowDown", `the queue of target ${arn} is at its limit; retry later`, {
          details: { targetArn: arn },
        });
      }
    }
  }

  private fanOut(events: HeraldEvent[], deliveries: NewDelivery[], deliveryIds: number[]): void {
    const { metrics, pool, history, hub, logger } = this.deps;
    const perTarget = new Map<string, QueuedDelivery[]>();
    const bySeq = new Map<number, HeraldEvent>();
    for (const e of events) bySeq.set(e.seq, e);
    deliveries.forEach((d, i) => {
      const item: QueuedDelivery = {
        deliveryId: deliveryIds[i]!,
        event: bySeq.get(d.eventSeq)!,
        ruleId: d.ruleId,
        attempts: 0,
        nextAttemptAt: 0,
      };
      const list = perTarget.get(d.targetArn);
      if (list) list.push(item);
      else perTarget.set(d.targetArn, [item]);
    });
    for (const [arn, items] of perTarget) pool.offer(arn, items);
    const counted = new Set<HeraldEvent>();
    for (const d of deliveries) counted.add(bySeq.get(d.eventSeq)!);
    for (const e of events) {
      metrics.eventsReceived.inc({ event_name: e.eventName, source: e.source });
      if (!counted.has(e)) metrics.eventsUnmatched.inc({ event_name: e.eventName });
      history.record(e);
      hub.publish(e, (error) => logger.warn({ err: error }, "live listener failed"));
    }
  }
}
