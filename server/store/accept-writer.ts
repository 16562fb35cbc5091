import { Worker } from "node:worker_threads";
import type { HeraldEvent } from "../events/s3-record.ts";
import type { CommitReply, CommitRequest, CommitWorkerData } from "./accept-commit-protocol.ts";

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
 * Group commit for accepted events, on a commit thread: while one transaction
 * (and its fsync) runs, every submission that arrives waits for the next one,
 * so the fsync cost is shared and the event loop never blocks on disk. A
 * caller is answered only after its events are committed.
 */
export class AcceptWriter {
  private pending: Pending[] = [];
  private inFlight: { id: number; group: Pending[] } | undefined;
  private nextId = 1;
  private readonly worker: Worker;
  private idleWaiters: (() => void)[] = [];
  private dead: Error | undefined;

  constructor(
    options: CommitWorkerData,
    private readonly clock: () => number,
  ) {
    this.worker = new Worker(new URL("./accept-commit-worker-entry.mjs", import.meta.url), { workerData: options });
    this.worker.on("message", (reply: CommitReply) => this.settle(reply));
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => {
      if (code !== 0 || this.inFlight || this.pending.length > 0) this.fail(new Error(`commit thread exited with code ${code}`));
    });
  }

  write(batch: AcceptBatch): Promise<number[]> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once everything written so far is committed. */
  async drain(): Promise<void> {
    if (!this.inFlight && this.pending.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    await this.drain();
    await this.worker.terminate();
  }

  private kick(): void {
    if (this.inFlight || this.pending.length === 0) return;
    const group = this.pending;
    this.pending = [];
    const id = this.nextId++;
    const request: CommitRequest = { type: "commit", id, now: this.clock(), events: [], deliveries: [] };
    for (const { batch } of group) {
      batch.events.forEach((e, i) => {
        request.events.push([e.seq, e.id, e.bucket, e.key, e.eventName, e.eventTime, e.receivedAt, e.source, e.record, batch.matchedCounts[i] ?? 0]);
      });
      for (const d of batch.deliveries) request.deliveries.push([d.eventSeq, d.targetArn, d.ruleId]);
    }
    this.inFlight = { id, group };
    this.worker.postMessage(request);
  }

  private settle(reply: CommitReply): void {
    const inFlight = this.inFlight;
    if (!inFlight || inFlight.id !== reply.id) return;
    this.inFlight = undefined;
    if (reply.type === "failed") {
      const error = new Error(reply.message);
      for (const p of inFlight.group) p.reject(error);
    } else {
      let offset = 0;
      for (const p of inFlight.group) {
        const n = p.batch.deliveries.length;
        p.resolve(reply.deliveryIds.slice(offset, offset + n));
        offset += n;
      }
    }
    this.kick();
    if (!this.inFlight && this.pending.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private fail(error: Error): void {
    this.dead = error;
    const failed = [...(this.inFlight?.group ?? []), ...this.pending];
    this.inFlight = undefined;
    this.pending = [];
    for (const p of failed) p.reject(error);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
