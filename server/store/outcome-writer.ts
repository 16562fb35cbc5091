import type { Logger } from "../logging/logger.ts";
import type { OutcomeRow } from "./commit-protocol.ts";
import type { CommitThread } from "./commit-thread.ts";

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

const FLUSH_AFTER_MS = 20;
const FLUSH_AT_COUNT = 2000;

/**
 * Records attempts and the resulting delivery states, batched, on the commit
 * thread. Losing an unflushed outcome in a crash only means the event is
 * delivered again after restart (at least once), never that it is lost.
 */
export class OutcomeWriter {
  private pending: OutcomeRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last: Promise<void> = Promise.resolve();

  constructor(
    private readonly thread: CommitThread,
    private readonly logger: Logger,
  ) {}

  record(a: AttemptRecord): void {
    this.pending.push([
      a.deliveryId,
      a.eventSeq,
      a.targetArn,
      a.attempt,
      a.outcome,
      a.statusCode ?? null,
      a.latencyMs,
      a.error ?? null,
      a.at,
      a.state,
      a.nextAttemptAt,
    ]);
    // Each commit rewrites the touched pages into the WAL, so commits are
    // spaced out: a few dozen per second of delivery-heavy load, not one per tick.
    if (this.pending.length >= FLUSH_AT_COUNT) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS);
  }

  /** Sends what is pending; resolves when it (and everything before it) is committed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length > 0) {
      const rows = this.pending;
      this.pending = [];
      this.last = this.thread.request({ type: "outcomes", rows }).then(
        () => undefined,
        (error: unknown) => this.logger.error({ err: error, rows: rows.length }, "could not record delivery outcomes"),
      );
    }
    return this.last;
  }
}
