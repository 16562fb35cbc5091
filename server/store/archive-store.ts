import type { SqliteDatabase } from "../db/open-database.ts";
import { isCompoundEventName, expandEventPattern, parseEventPattern } from "../events/event-names.ts";
import type { HeraldEvent } from "../events/s3-record.ts";
import type { ArchiveQuery, EventOutcome } from "./archive-query.ts";
import { EVENT_COLUMNS, eventFromRow, type EventRow } from "./event-rows.ts";

export interface ArchivedEvent extends HeraldEvent {
  outcome: EventOutcome;
  matched: number;
}

export interface DeliveryView {
  deliveryId: number;
  targetArn: string;
  ruleId: string;
  state: string;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AttemptView {
  id: number;
  deliveryId: number;
  targetArn: string;
  attempt: number;
  outcome: string;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  at: number;
}

export interface EventDetail {
  event: ArchivedEvent;
  deliveries: DeliveryView[];
  attempts: AttemptView[];
}

interface ArchiveRow extends EventRow {
  matched: number;
  outcome: EventOutcome;
}

const hasDelivery = (state: string) => `EXISTS (SELECT 1 FROM Delivery d WHERE d.eventSeq = e.seq AND d.state = '${state}')`;

/**
 * An event's outcome, derived from its deliveries in one place so the label
 * shown and the filter applied always agree. Dead letters and queued work win
 * over finished states; a matched event with no live delivery left (dead
 * letters purged, only `retried` rows) counts as discarded.
 */
const OUTCOME_SQL = `CASE
  WHEN ${hasDelivery("dead")} THEN 'dead'
  WHEN ${hasDelivery("queued")} THEN 'pending'
  WHEN ${hasDelivery("discarded")} THEN 'discarded'
  WHEN ${hasDelivery("delivered")} THEN 'delivered'
  WHEN e.matched > 0 OR EXISTS (SELECT 1 FROM Delivery d WHERE d.eventSeq = e.seq) THEN 'discarded'
  ELSE 'unmatched' END`;

/** The event archive: search, detail with every delivery attempt, and retention. */
export class ArchiveStore {
  constructor(private readonly db: SqliteDatabase) {}

  search(query: ArchiveQuery): { events: ArchivedEvent[]; nextCursor: number | null } {
    const { where, params } = this.filters(query);
    const rows = this.db
      .prepare(`SELECT ${EVENT_COLUMNS}, e.matched AS matched, (${OUTCOME_SQL}) AS outcome FROM Event e ${where} ORDER BY e.seq DESC LIMIT ?`)
      .all(...params, query.limit + 1) as ArchiveRow[];
    const page = rows.slice(0, query.limit).map(toArchived);
    const nextCursor = rows.length > query.limit ? (page[page.length - 1]?.seq ?? null) : null;
    return { events: page, nextCursor };
  }

  count(query: ArchiveQuery): number {
    const { where, params } = this.filters({ ...query, cursor: undefined });
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM Event e ${where}`).get(...params) as { n: number }).n;
  }

  /** Sequence numbers matching a query, oldest first (replay walks them in order). */
  seqsMatching(query: Omit<ArchiveQuery, "limit" | "cursor">, afterSeq: number, limit: number): number[] {
    const { where, params } = this.filters({ ...query, limit, cursor: undefined }, afterSeq);
    return (this.db.prepare(`SELECT e.seq AS seq FROM Event e ${where} ORDER BY e.seq ASC LIMIT ?`).all(...params, limit) as {
      seq: number | bigint;
    }[]).map((r) => Number(r.seq));
  }

  detail(idOrSeq: string): EventDetail | undefined {
    const bySeq = /^\d+$/.test(idOrSeq);
    const row = this.db
      .prepare(`SELECT ${EVENT_COLUMNS}, e.matched AS matched, (${OUTCOME_SQL}) AS outcome FROM Event e WHERE ${bySeq ? "e.seq" : "e.id"} = ?`)
      .get(bySeq ? Number(idOrSeq) : idOrSeq) as ArchiveRow | undefined;
    if (!row) return undefined;
    const seq = Number(row.seq);
    const deliveries = (this.db
      .prepare(`SELECT id AS deliveryId, targetArn, ruleId, state, attempts, nextAttemptAt, lastError, createdAt, updatedAt FROM Delivery WHERE eventSeq = ? ORDER BY id`)
      .all(seq) as DeliveryView[]).map((d) => ({
      ...d,
      nextAttemptAt: Number(d.nextAttemptAt),
      createdAt: Number(d.createdAt),
      updatedAt: Number(d.updatedAt),
    }));
    const attempts = (this.db
      .prepare(`SELECT id, deliveryId, targetArn, attempt, outcome, statusCode, latencyMs, error, at FROM Attempt WHERE eventSeq = ? ORDER BY id`)
      .all(seq) as AttemptView[]).map((a) => ({ ...a, at: Number(a.at) }));
    return { event: toArchived(row), deliveries, attempts };
  }

  /**
   * Retention: drops events older than maxAgeMs or beyond the newest maxCount,
   * but never one with a delivery still queued or dead-lettered (that would
   * lose an accepted event), nor the newest event (it carries the sequence).
   */
  prune(options: { maxAgeMs: number; maxCount: number; now: number; batch?: number }): number {
    const batch = options.batch ?? 5000;
    const cutoff = options.now - options.maxAgeMs;
    const countRow = this.db.prepare(`SELECT COUNT(*) AS n, MAX(seq) AS maxSeq FROM Event`).get() as { n: number; maxSeq: number | bigint | null };
    if (countRow.maxSeq === null) return 0;
    const excess = Math.max(0, countRow.n - options.maxCount);
    const seqLimitRow =
      excess > 0 ? (this.db.prepare(`SELECT seq FROM Event ORDER BY seq ASC LIMIT 1 OFFSET ?`).get(excess - 1) as { seq: number | bigint } | undefined) : undefined;
    const countCutoffSeq = seqLimitRow ? Number(seqLimitRow.seq) : 0;
    const maxSeq = Number(countRow.maxSeq);
    const selectVictims = this.db.prepare(
      `SELECT seq FROM Event e WHERE (e.receivedAt < ? OR e.seq <= ?) AND e.seq < ?
         AND NOT EXISTS (SELECT 1 FROM Delivery d WHERE d.eventSeq = e.seq AND d.state IN ('queued', 'dead'))
       ORDER BY e.seq LIMIT ?`,
    );
    let removed = 0;
    for (;;) {
      const seqs = (selectVictims.all(cutoff, countCutoffSeq, maxSeq, batch) as { seq: number | bigint }[]).map((r) => Number(r.seq));
      if (seqs.length === 0) break;
      const list = JSON.stringify(seqs);
      this.db.transaction(() => {
        this.db.prepare(`DELETE FROM Attempt WHERE eventSeq IN (SELECT value FROM json_each(?))`).run(list);
        this.db.prepare(`DELETE FROM Delivery WHERE eventSeq IN (SELECT value FROM json_each(?))`).run(list);
        this.db.prepare(`DELETE FROM Event WHERE seq IN (SELECT value FROM json_each(?))`).run(list);
      })();
      removed += seqs.length;
      if (seqs.length < batch) break;
    }
    return removed;
  }

  maxSeq(): number {
    const row = this.db.prepare(`SELECT MAX(seq) AS m FROM Event`).get() as { m: number | bigint | null };
    return row.m === null ? 0 : Number(row.m);
  }

  private filters(query: Partial<ArchiveQuery>, afterSeq?: number): { where: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (query.bucket) {
      clauses.push("e.bucket = ?");
      params.push(query.bucket);
    }
    if (query.keyPrefix) {
      // Range scan on the (bucket, key) index instead of LIKE, which would treat % and _ as wildcards.
      clauses.push("e.key >= ? AND e.key < ?");
      params.push(query.keyPrefix, `${query.keyPrefix}\u{10FFFF}`);
    }
    if (query.eventName) {
      const pattern = parseEventPattern(query.eventName, "eventName");
      if (isCompoundEventName(pattern)) {
        clauses.push("e.eventName IN (SELECT value FROM json_each(?))");
        params.push(JSON.stringify(expandEventPattern(pattern)));
      } else {
        clauses.push("e.eventName = ?");
        params.push(pattern);
      }
    }
    if (query.from) {
      clauses.push("e.receivedAt >= ?");
      params.push(query.from.getTime());
    }
    if (query.to) {
      clauses.push("e.receivedAt <= ?");
      params.push(query.to.getTime());
    }
    if (query.outcome) {
      clauses.push(`(${OUTCOME_SQL}) = ?`);
      params.push(query.outcome);
    }
    if (query.cursor) {
      clauses.push("e.seq < ?");
      params.push(query.cursor);
    }
    if (afterSeq !== undefined) {
      clauses.push("e.seq > ?");
      params.push(afterSeq);
    }
    return { where: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
  }
}

function toArchived(row: ArchiveRow): ArchivedEvent {
  return { ...eventFromRow(row), outcome: row.outcome, matched: row.matched };
}
