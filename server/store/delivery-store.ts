import type { SqliteDatabase } from "../db/open-database.ts";
import type { HeraldEvent } from "../events/s3-record.ts";
import { EVENT_COLUMNS, eventFromRow, type EventRow } from "./event-rows.ts";

export interface QueuedDelivery {
  deliveryId: number;
  event: HeraldEvent;
  ruleId: string;
  /** Attempts made so far. */
  attempts: number;
  nextAttemptAt: number;
}

export interface DeadLetter {
  deliveryId: number;
  event: HeraldEvent;
  ruleId: string;
  attempts: number;
  lastError: string | null;
  updatedAt: number;
}

interface QueuedRow extends EventRow {
  deliveryId: number;
  ruleId: string;
  attempts: number;
  nextAttemptAt: number | bigint;
}

interface DeadRow extends EventRow {
  deliveryId: number;
  ruleId: string;
  attempts: number;
  lastError: string | null;
  updatedAt: number | bigint;
}

/** Queue reads and operator actions on deliveries; all set-based SQL, no per-row ORM. */
export class DeliveryStore {
  private readonly scanQueued;
  private readonly countByState;
  private readonly oldestQueued;

  constructor(private readonly db: SqliteDatabase) {
    this.scanQueued = db.prepare(
      `SELECT d.id AS deliveryId, d.ruleId AS ruleId, d.attempts AS attempts, d.nextAttemptAt AS nextAttemptAt, ${EVENT_COLUMNS}
       FROM Delivery d JOIN Event e ON e.seq = d.eventSeq
       WHERE d.targetArn = ? AND d.state = 'queued' AND d.id > ? ORDER BY d.id LIMIT ?`,
    );
    this.countByState = db.prepare(`SELECT state, COUNT(*) AS n FROM Delivery WHERE targetArn = ? GROUP BY state`);
    this.oldestQueued = db.prepare(`SELECT createdAt FROM Delivery WHERE targetArn = ? AND state = 'queued' ORDER BY id LIMIT 1`);
  }

  /** Queued deliveries of a target after `afterId`, in id (= acceptance) order. */
  queuedAfter(targetArn: string, afterId: number, limit: number): QueuedDelivery[] {
    return (this.scanQueued.all(targetArn, afterId, limit) as QueuedRow[]).map((row) => ({
      deliveryId: row.deliveryId,
      ruleId: row.ruleId,
      attempts: row.attempts,
      nextAttemptAt: Number(row.nextAttemptAt),
      event: eventFromRow(row),
    }));
  }

  countsByState(targetArn: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const row of this.countByState.all(targetArn) as { state: string; n: number }[]) out[row.state] = row.n;
    return out;
  }

  oldestQueuedAt(targetArn: string): number | undefined {
    const row = this.oldestQueued.get(targetArn) as { createdAt: number | bigint } | undefined;
    return row ? Number(row.createdAt) : undefined;
  }

  deadLetters(targetArn: string, options: { limit: number; afterId?: number }): DeadLetter[] {
    const rows = this.db
      .prepare(
        `SELECT d.id AS deliveryId, d.ruleId AS ruleId, d.attempts AS attempts, d.lastError AS lastError, d.updatedAt AS updatedAt, ${EVENT_COLUMNS}
         FROM Delivery d JOIN Event e ON e.seq = d.eventSeq
         WHERE d.targetArn = ? AND d.state = 'dead' AND d.id > ? ORDER BY d.id LIMIT ?`,
      )
      .all(targetArn, options.afterId ?? 0, options.limit) as DeadRow[];
    return rows.map((row) => ({
      deliveryId: row.deliveryId,
      ruleId: row.ruleId,
      attempts: row.attempts,
      lastError: row.lastError,
      updatedAt: Number(row.updatedAt),
      event: eventFromRow(row),
    }));
  }

  /**
   * Puts dead letters back in the queue as new deliveries (new ids, so the
   * worker's id cursor finds them) and marks the old rows `retried`, keeping
   * their attempt history. `ids` undefined means all of the target's.
   */
  requeueDeadLetters(targetArn: string, ids: readonly number[] | undefined, now: number): number {
    return this.db.transaction(() => {
      const selection = ids === undefined ? "" : ` AND id IN (SELECT value FROM json_each(?))`;
      const params: unknown[] = ids === undefined ? [targetArn] : [targetArn, JSON.stringify(ids)];
      const inserted = this.db
        .prepare(
          `INSERT INTO Delivery (eventSeq, targetArn, ruleId, state, attempts, nextAttemptAt, createdAt, updatedAt)
           SELECT eventSeq, targetArn, ruleId, 'queued', 0, ${now}, ${now}, ${now} FROM Delivery
           WHERE targetArn = ? AND state = 'dead'${selection} ORDER BY id`,
        )
        .run(...params).changes;
      this.db
        .prepare(`UPDATE Delivery SET state = 'retried', updatedAt = ${now} WHERE targetArn = ? AND state = 'dead'${selection}`)
        .run(...params);
      return inserted;
    })();
  }

  /** Deletes dead letters (and their attempts); the events stay in the archive. */
  purgeDeadLetters(targetArn: string, ids: readonly number[] | undefined): number {
    return this.db.transaction(() => {
      const selection = ids === undefined ? "" : ` AND id IN (SELECT value FROM json_each(?))`;
      const params: unknown[] = ids === undefined ? [targetArn] : [targetArn, JSON.stringify(ids)];
      this.db
        .prepare(`DELETE FROM Attempt WHERE deliveryId IN (SELECT id FROM Delivery WHERE targetArn = ? AND state = 'dead'${selection})`)
        .run(...params);
      return this.db.prepare(`DELETE FROM Delivery WHERE targetArn = ? AND state = 'dead'${selection}`).run(...params).changes;
    })();
  }

  /** Queues archived events again for a target (replay); `eventSeqs` come from an archive query. */
  enqueueReplay(targetArn: string, eventSeqs: readonly number[], ruleId: string, now: number): number {
    const insert = this.db.prepare(
      `INSERT INTO Delivery (eventSeq, targetArn, ruleId, state, attempts, nextAttemptAt, createdAt, updatedAt)
       VALUES (?, ?, ?, 'queued', 0, ?, ?, ?)`,
    );
    return this.db.transaction(() => {
      for (const seq of eventSeqs) insert.run(seq, targetArn, ruleId, now, now, now);
      return eventSeqs.length;
    })();
  }
}

/** Attempt totals by outcome for one target, to seed its counters at boot. */
export function attemptTotals(db: import("../db/open-database.ts").SqliteDatabase, targetArn: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of db.prepare(`SELECT outcome, COUNT(*) AS n FROM Attempt WHERE targetArn = ? GROUP BY outcome`).all(targetArn) as {
    outcome: string;
    n: number;
  }[])
    out[row.outcome] = row.n;
  return out;
}
