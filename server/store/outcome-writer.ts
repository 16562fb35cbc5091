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
export class OutcomeWriter {
  private pending: AttemptRecord[] = [];
  private scheduled = false;
  private readonly insertAttempt;
  private readonly updateDelivery;

  constructor(private readonly db: SqliteDatabase) {
    this.insertAttempt = db.prepare(
      `INSERT INTO Attempt (deliveryId, eventSeq, targetArn, attempt, outcome, statusCode, latencyMs, error, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateDelivery = db.prepare(
      `UPDATE Delivery SET state = ?, attempts = ?, nextAttemptAt = ?, updatedAt = ?, lastError = ? WHERE id = ?`,
    );
  }

  record(attempt: AttemptRecord): void {
    this.pending.push(attempt);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    this.db.transaction(() => {
      for (const a of pending) {
        this.insertAttempt.run(a.deliveryId, a.eventSeq, a.targetArn, a.attempt, a.outcome, a.statusCode ?? null, a.latencyMs, a.error ?? null, a.at);
        this.updateDelivery.run(a.state, a.attempt, a.nextAttemptAt, a.at, a.error ?? null, a.deliveryId);
      }
    })();
  }
}
