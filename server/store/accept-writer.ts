import type { SqliteDatabase } from "../db/open-database.ts";
import type { HeraldEvent } from "../events/s3-record.ts";

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

export interface CommittedBatch extends AcceptBatch {
  deliveryIds: number[];
}

interface Pending {
  batch: AcceptBatch;
  resolve: (ids: number[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for accepted events: every submission that arrives while the
 * previous commit runs is written in the next single transaction, so the
 * fsync cost is shared and a caller is answered only after its events are on
 * disk.
 */
export class AcceptWriter {
  private pending: Pending[] = [];
  private scheduled = false;
  private readonly insertEvent;
  private readonly insertDelivery;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: () => number,
  ) {
    this.insertEvent = db.prepare(
      `INSERT INTO Event (seq, id, bucket, key, eventName, eventTime, receivedAt, source, record, matched)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertDelivery = db.prepare(
      `INSERT INTO Delivery (eventSeq, targetArn, ruleId, state, attempts, nextAttemptAt, createdAt, updatedAt)
       VALUES (?, ?, ?, 'queued', 0, ?, ?, ?)`,
    );
  }

  write(batch: AcceptBatch): Promise<number[]> {
    return new Promise((resolve, reject) => {
      this.pending.push({ batch, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes everything pending now; also used at shutdown. */
  flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    const now = this.clock();
    let results: number[][];
    try {
      results = this.db.transaction(() => pending.map((p) => this.writeOne(p.batch, now)))();
    } catch (error) {
      for (const p of pending) p.reject(error);
      return;
    }
    pending.forEach((p, i) => p.resolve(results[i] ?? []));
  }

  private writeOne(batch: AcceptBatch, now: number): number[] {
    batch.events.forEach((event, i) => {
      this.insertEvent.run(
        event.seq,
        event.id,
        event.bucket,
        event.key,
        event.eventName,
        event.eventTime,
        event.receivedAt,
        event.source,
        JSON.stringify(event.record),
        batch.matchedCounts[i] ?? 0,
      );
    });
    return batch.deliveries.map((d) => Number(this.insertDelivery.run(d.eventSeq, d.targetArn, d.ruleId, now, now, now).lastInsertRowid));
  }
}
