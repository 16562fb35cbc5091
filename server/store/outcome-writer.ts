import type { SqliteDatabase } from "../db/open-database.ts";

export type AttemptOutcome = "success" | "retry" | "dead" | "discarded" | "blocked";

export interface AttemptRecord {
  deliveryId: number;
  eventSeq: number;
  targetArn: string;
  attempt: number;
  outcome: AttemptOutcome;
  statusCode: number | undefined;
  latencyMs: number;
  error: string | undefined;
  at: number;
  /** The delivery's new state and, when retried, when it is due again. */
  state: "queued" | "delivered" | "dead" | "discarded";
  nextAttemptAt: number;
}

/**
 * Records attempts and the resulting delivery states in batched
 * transactions. Losing an unflushed outcome in a crash only means the event is
 * delivered again after restart (at least once), never that it is lost.
 */
const ROWS_PER_INSERT = 100;
const FLUSH_AFTER_MS = 20;
const FLUSH_AT_COUNT = 2000;
const ATTEMPT_COLUMNS = "(deliveryId, eventSeq, targetArn, attempt, outcome, statusCode, latencyMs, error, at)";

export class OutcomeWriter {
  private pending: AttemptRecord[] = [];
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly insertOne;
  private readonly insertMany;
  private readonly markDelivered;
  private readonly updateDelivery;

  constructor(private readonly db: SqliteDatabase) {
    this.insertOne = db.prepare(`INSERT INTO Attempt ${ATTEMPT_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    // One statement per hundred attempts: per-statement overhead dominates rows this small.
    this.insertMany = db.prepare(
      `INSERT INTO Attempt ${ATTEMPT_COLUMNS} VALUES ${Array.from({ length: ROWS_PER_INSERT }, () => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
    );
    this.markDelivered = db.prepare(
      `UPDATE Delivery SET state = 'delivered', attempts = attempts + 1, updatedAt = ?, lastError = NULL
       WHERE id IN (SELECT value FROM json_each(?))`,
    );
    this.updateDelivery = db.prepare(
      `UPDATE Delivery SET state = ?, attempts = ?, nextAttemptAt = ?, updatedAt = ?, lastError = ? WHERE id = ?`,
    );
  }

  record(attempt: AttemptRecord): void {
    this.pending.push(attempt);
    // Each commit rewrites the touched pages into the WAL, so commits are
    // spaced out: a few per second of delivery-heavy load, not one per tick.
    if (this.pending.length >= FLUSH_AT_COUNT) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      this.timer = setTimeout(() => this.flush(), FLUSH_AFTER_MS);
    }
  }

  flush(): void {
    this.scheduled = false;
    clearTimeout(this.timer);
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    this.db.transaction(() => {
      let i = 0;
      for (; i + ROWS_PER_INSERT <= pending.length; i += ROWS_PER_INSERT) {
        const params: unknown[] = [];
        for (let j = i; j < i + ROWS_PER_INSERT; j++) params.push(...attemptParams(pending[j]!));
        this.insertMany.run(...params);
      }
      for (; i < pending.length; i++) this.insertOne.run(...attemptParams(pending[i]!));
      const delivered: number[] = [];
      let at = 0;
      for (const a of pending) {
        if (a.state === "delivered") {
          delivered.push(a.deliveryId);
          at = Math.max(at, a.at);
        } else {
          this.updateDelivery.run(a.state, a.attempt, a.nextAttemptAt, a.at, a.error ?? null, a.deliveryId);
        }
      }
      if (delivered.length > 0) this.markDelivered.run(at, JSON.stringify(delivered));
    })();
  }
}

function attemptParams(a: AttemptRecord): unknown[] {
  return [a.deliveryId, a.eventSeq, a.targetArn, a.attempt, a.outcome, a.statusCode ?? null, a.latencyMs, a.error ?? null, a.at];
}
