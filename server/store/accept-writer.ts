import type { HeraldEvent } from "../events/s3-record.ts";
import type { AcceptRequest } from "./commit-protocol.ts";
import type { CommitThread } from "./commit-thread.ts";

export interface NewDelivery {
  eventSeq: number;
  targetArn: string;
  ruleId: string;
}

export interface AcceptBatch {
  events: readonly HeraldEvent[];
  /** Matched (event, target) pairs; the writer assigns their delivery ids. */
  deliveries: readonly NewDelivery[];
  matchedCounts: readonly number[];
}

interface Pending {
  batch: AcceptBatch;
  resolve: (ids: number[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for accepted events: while one transaction (and its fsync)
 * runs on the commit thread, every submission that arrives waits for the
 * next one, so the fsync cost is shared and the event loop never blocks on
 * disk. A caller is answered only after its events are committed.
 */
export class AcceptWriter {
  private pending: Pending[] = [];
  private inFlight = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly thread: CommitThread,
    private readonly clock: () => number,
  ) {}

  write(batch: AcceptBatch): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once everything written so far is committed (or failed). */
  async drain(): Promise<void> {
    if (!this.inFlight && this.pending.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private kick(): void {
    if (this.inFlight || this.pending.length === 0) return;
    const group = this.pending;
    this.pending = [];
    const request: Omit<AcceptRequest, "id"> = { type: "accept", now: this.clock(), events: [], deliveries: [] };
    for (const { batch } of group) {
      batch.events.forEach((e, i) => {
        request.events.push([e.seq, e.id, e.bucket, e.key, e.eventName, e.eventTime, e.receivedAt, e.source, e.record, batch.matchedCounts[i] ?? 0]);
      });
      for (const d of batch.deliveries) request.deliveries.push([d.eventSeq, d.targetArn, d.ruleId]);
    }
    this.inFlight = true;
    this.thread.request(request).then(
      (reply) => {
        const ids = reply.deliveryIds ?? [];
        let offset = 0;
        for (const p of group) {
          const n = p.batch.deliveries.length;
          p.resolve(ids.slice(offset, offset + n));
          offset += n;
        }
        this.settled();
      },
      (error: unknown) => {
        for (const p of group) p.reject(error);
        this.settled();
      },
    );
  }

  private settled(): void {
    this.inFlight = false;
    this.kick();
    if (!this.inFlight && this.pending.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
