import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteDatabase } from "../db/open-database.ts";
import { createTempDatabase, type TempDatabase } from "../../test/support/temp-database.ts";
import { AppError } from "../errors/app-error.ts";
import { archiveQuerySchema, EVENT_OUTCOMES, type ArchiveQuery, type EventOutcome } from "./archive-query.ts";
import { ArchiveStore } from "./archive-store.ts";

const ARN = "arn:herald:sqs:us-east-1:hook:webhook";
const OTHER_ARN = "arn:herald:sqs:us-east-1:stream:redis";
const T0 = Date.UTC(2026, 0, 1);

let temp: TempDatabase;
let db: SqliteDatabase;
let store: ArchiveStore;

beforeEach(() => {
  temp = createTempDatabase("herald-archive");
  db = temp.db;
  store = new ArchiveStore(db);
});

afterEach(() => {
  temp.remove();
});

interface EventSpec {
  seq: number;
  bucket?: string;
  key?: string;
  eventName?: string;
  receivedAt?: number;
  matched?: number;
}

function insertEvent(spec: EventSpec): void {
  const eventName = spec.eventName ?? "s3:ObjectCreated:Put";
  const bucket = spec.bucket ?? "photos";
  const key = spec.key ?? `k${spec.seq}`;
  const receivedAt = spec.receivedAt ?? T0 + spec.seq;
  const record = { eventVersion: "2.1", eventName, s3: { bucket: { name: bucket }, object: { key, sequencer: String(spec.seq) } } };
  db.prepare(
    `INSERT INTO Event (seq, id, bucket, key, eventName, eventTime, receivedAt, source, record, matched) VALUES (?, ?, ?, ?, ?, ?, ?, 'api', ?, ?)`,
  ).run(spec.seq, `evt-${spec.seq}`, bucket, key, eventName, receivedAt - 5, receivedAt, JSON.stringify(record), spec.matched ?? 1);
}

function insertDelivery(eventSeq: number, state: string, options: { targetArn?: string; attempts?: number; lastError?: string } = {}): number {
  return Number(
    db
      .prepare(
        `INSERT INTO Delivery (eventSeq, targetArn, ruleId, state, attempts, nextAttemptAt, createdAt, updatedAt, lastError) VALUES (?, ?, 'rule-1', ?, ?, ?, ?, ?, ?)`,
      )
      .run(eventSeq, options.targetArn ?? ARN, state, options.attempts ?? 0, T0 + 100, T0 + 10, T0 + 20, options.lastError ?? null).lastInsertRowid,
  );
}

function insertAttempt(deliveryId: number, eventSeq: number, attempt: number, outcome: string, options: { statusCode?: number; error?: string } = {}): number {
  return Number(
    db
      .prepare(`INSERT INTO Attempt (deliveryId, eventSeq, targetArn, attempt, outcome, statusCode, latencyMs, error, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(deliveryId, eventSeq, ARN, attempt, outcome, options.statusCode ?? null, 12.5, options.error ?? null, T0 + 1000 + attempt).lastInsertRowid,
  );
}

function query(input: Record<string, unknown> = {}): ArchiveQuery {
  return archiveQuerySchema.parse(input);
}

function seqs(input: Record<string, unknown> = {}): number[] {
  return store.search(query({ limit: 1000, ...input })).events.map((e) => e.seq);
}

function remainingSeqs(): number[] {
  return (db.prepare(`SELECT seq FROM Event ORDER BY seq`).all() as { seq: number }[]).map((r) => Number(r.seq));
}

describe("search", () => {
  it("returns newest first, rebuilding each event from its row", () => {
    insertEvent({ seq: 1, key: "a.jpg" });
    insertEvent({ seq: 2, key: "b.jpg", eventName: "s3:ObjectRemoved:Delete", matched: 0 });
    const { events, nextCursor } = store.search(query());
    expect(events.map((e) => e.seq)).toEqual([2, 1]);
    expect(nextCursor).toBeNull();
    expect(events[1]).toMatchObject({
      id: "evt-1",
      seq: 1,
      bucket: "photos",
      key: "a.jpg",
      eventName: "s3:ObjectCreated:Put",
      eventTime: T0 - 4,
      receivedAt: T0 + 1,
      source: "api",
      matched: 1,
      record: { eventName: "s3:ObjectCreated:Put", s3: { object: { key: "a.jpg" } } },
    });
    expect(events[0]).toMatchObject({ outcome: "unmatched", matched: 0 });
  });

  it("filters by bucket", () => {
    insertEvent({ seq: 1, bucket: "photos" });
    insertEvent({ seq: 2, bucket: "videos" });
    insertEvent({ seq: 3, bucket: "photos2" });
    expect(seqs({ bucket: "photos" })).toEqual([1]);
    expect(seqs({ bucket: "nothing" })).toEqual([]);
  });

  it("filters by key prefix, matching % and _ literally", () => {
    insertEvent({ seq: 1, key: "logs/100%_done.txt" });
    insertEvent({ seq: 2, key: "logs/100xydone.txt" });
    insertEvent({ seq: 3, key: "logs/100%_" });
    insertEvent({ seq: 4, key: "logs/1000_x" });
    insertEvent({ seq: 5, key: "logs/100%_😀/ü.txt" });
    insertEvent({ seq: 6, key: "logs/100%" });
    insertEvent({ seq: 7, key: "LOGS/100%_done.txt" });
    expect(seqs({ keyPrefix: "logs/100%_" })).toEqual([5, 3, 1]);
    expect(seqs({ keyPrefix: "logs/1000" })).toEqual([4]);
    expect(seqs({ keyPrefix: "logs/" })).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it("combines key prefix and bucket", () => {
    insertEvent({ seq: 1, bucket: "photos", key: "2026/a" });
    insertEvent({ seq: 2, bucket: "videos", key: "2026/b" });
    expect(seqs({ bucket: "videos", keyPrefix: "2026/" })).toEqual([2]);
  });

  it("filters by a single event name or a compound pattern", () => {
    insertEvent({ seq: 1, eventName: "s3:ObjectCreated:Put" });
    insertEvent({ seq: 2, eventName: "s3:ObjectCreated:Copy" });
    insertEvent({ seq: 3, eventName: "s3:ObjectRemoved:Delete" });
    insertEvent({ seq: 4, eventName: "s3:ObjectAccessed:Get" });
    expect(seqs({ eventName: "s3:ObjectCreated:Put" })).toEqual([1]);
    expect(seqs({ eventName: "s3:ObjectCreated:*" })).toEqual([2, 1]);
    expect(seqs({ eventName: "s3:ObjectRemoved:*" })).toEqual([3]);
    expect(seqs({ eventName: "Everything" })).toEqual([4, 3, 2, 1]);
  });

  it("refuses an unknown event name with InvalidEventName on the eventName field", () => {
    try {
      store.search(query({ eventName: "s3:ObjectCreated:Putt" }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "InvalidEventName", field: "eventName" });
    }
  });

  it("filters by received time, both bounds inclusive", () => {
    for (let seq = 1; seq <= 5; seq++) insertEvent({ seq, receivedAt: T0 + seq * 1000 });
    expect(seqs({ from: new Date(T0 + 2000).toISOString() })).toEqual([5, 4, 3, 2]);
    expect(seqs({ to: T0 + 2000 })).toEqual([2, 1]);
    expect(seqs({ from: T0 + 2000, to: T0 + 4000 })).toEqual([4, 3, 2]);
    expect(seqs({ from: T0 + 2001, to: T0 + 2999 })).toEqual([]);
  });

  describe("outcome", () => {
    // One event per situation; `shows` is the outcome the event is listed with.
    const cases: { seq: number; matched: number; deliveries: string[]; shows: EventOutcome; why: string }[] = [
      { seq: 1, matched: 0, deliveries: [], shows: "unmatched", why: "no rule matched" },
      { seq: 2, matched: 1, deliveries: ["queued"], shows: "pending", why: "queued" },
      { seq: 3, matched: 2, deliveries: ["delivered", "queued"], shows: "pending", why: "one still queued" },
      { seq: 4, matched: 1, deliveries: ["delivered"], shows: "delivered", why: "delivered" },
      { seq: 5, matched: 1, deliveries: ["retried", "delivered"], shows: "delivered", why: "delivered after a dead-letter retry" },
      { seq: 6, matched: 1, deliveries: ["dead"], shows: "dead", why: "dead-lettered" },
      { seq: 7, matched: 2, deliveries: ["delivered", "dead"], shows: "dead", why: "one dead-lettered" },
      { seq: 8, matched: 1, deliveries: ["discarded"], shows: "discarded", why: "discarded" },
      { seq: 9, matched: 2, deliveries: ["delivered", "discarded"], shows: "discarded", why: "one discarded" },
      { seq: 10, matched: 1, deliveries: [], shows: "discarded", why: "matched, but its dead letter was purged" },
      { seq: 11, matched: 0, deliveries: ["delivered"], shows: "delivered", why: "replayed to a target" },
    ];

    beforeEach(() => {
      for (const c of cases) {
        insertEvent({ seq: c.seq, matched: c.matched });
        for (const state of c.deliveries) insertDelivery(c.seq, state);
      }
    });

    it.each(cases)("lists event $seq ($why) as $shows", (c) => {
      expect(store.detail(String(c.seq))?.event.outcome).toBe(c.shows);
      expect(seqs({ outcome: c.shows })).toContain(c.seq);
    });

    it.each(EVENT_OUTCOMES)("finds exactly the %s events with outcome=%s", (outcome) => {
      const expected = cases.filter((c) => c.shows === outcome).map((c) => c.seq).sort((a, b) => b - a);
      const found = store.search(query({ outcome, limit: 1000 })).events;
      expect(found.map((e) => e.seq)).toEqual(expected);
      expect(found.every((e) => e.outcome === outcome)).toBe(true);
      expect(store.count(query({ outcome }))).toBe(expected.length);
    });

    it("lists an event with both a dead and a queued delivery as dead, the state needing an operator", () => {
      insertEvent({ seq: 20, matched: 2 });
      insertDelivery(20, "queued");
      insertDelivery(20, "dead", { targetArn: OTHER_ARN });
      expect(store.detail("20")?.event.outcome).toBe("dead");
      expect(seqs({ outcome: "dead" })).toContain(20);
    });

    it("counts each event under one outcome only", () => {
      const total = EVENT_OUTCOMES.reduce((sum, outcome) => sum + store.count(query({ outcome })), 0);
      expect(total).toBe(cases.length);
    });
  });

  describe("pagination", () => {
    beforeEach(() => {
      for (let seq = 1; seq <= 25; seq++) insertEvent({ seq, bucket: seq % 2 === 0 ? "even" : "odd" });
    });

    function walk(input: Record<string, unknown>): number[][] {
      const pages: number[][] = [];
      let cursor: number | null = null;
      do {
        const page: { events: { seq: number }[]; nextCursor: number | null } = store.search(query({ ...input, ...(cursor ? { cursor } : {}) }));
        pages.push(page.events.map((e) => e.seq));
        cursor = page.nextCursor;
      } while (cursor !== null && pages.length < 100);
      return pages;
    }

    it("walks every event once, newest first, with no overlap and no gap", () => {
      const pages = walk({ limit: 10 });
      expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
      expect(pages.flat()).toEqual(Array.from({ length: 25 }, (_, i) => 25 - i));
    });

    it("sets nextCursor to the last seq of a full page, and null on the last page", () => {
      const first = store.search(query({ limit: 10 }));
      expect(first.nextCursor).toBe(16);
      const last = store.search(query({ limit: 10, cursor: 6 }));
      expect(last.events.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
      expect(last.nextCursor).toBeNull();
    });

    it("does not promise a further page when the last page is exactly full", () => {
      const pages = walk({ limit: 5 });
      expect(pages).toHaveLength(5);
      expect(pages.flat()).toHaveLength(25);
    });

    it("pages within a filter", () => {
      const pages = walk({ bucket: "even", limit: 5 });
      expect(pages.flat()).toEqual([24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2]);
      expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
    });

    it("ignores cursor and limit when counting", () => {
      expect(store.count(query({ limit: 3, cursor: 5 }))).toBe(25);
      expect(store.count(query({ bucket: "odd", limit: 1 }))).toBe(13);
    });
  });
});

describe("seqsMatching", () => {
  it("lists matching seqs oldest first after a given seq, for replay", () => {
    for (let seq = 1; seq <= 10; seq++) insertEvent({ seq, bucket: seq <= 5 ? "a" : "b" });
    expect(store.seqsMatching({ bucket: "b" }, 0, 3)).toEqual([6, 7, 8]);
    expect(store.seqsMatching({ bucket: "b" }, 8, 3)).toEqual([9, 10]);
    expect(store.seqsMatching({}, 10, 3)).toEqual([]);
  });
});

describe("detail", () => {
  beforeEach(() => {
    insertEvent({ seq: 7, key: "cat.jpg" });
    insertEvent({ seq: 8 });
    const first = insertDelivery(7, "delivered", { attempts: 2 });
    const second = insertDelivery(7, "dead", { targetArn: OTHER_ARN, attempts: 1, lastError: "HTTP 404" });
    insertAttempt(first, 7, 1, "failed", { statusCode: 503, error: "HTTP 503" });
    insertAttempt(first, 7, 2, "delivered", { statusCode: 200 });
    insertAttempt(second, 7, 1, "dead", { statusCode: 404, error: "HTTP 404" });
    // Another event's rows must not leak into this detail.
    insertAttempt(insertDelivery(8, "delivered"), 8, 1, "delivered");
  });

  it("finds an event by id with its deliveries and attempts in order", () => {
    const detail = store.detail("evt-7");
    expect(detail?.event).toMatchObject({ id: "evt-7", seq: 7, key: "cat.jpg", outcome: "dead", matched: 1 });
    expect(detail?.deliveries).toEqual([
      { deliveryId: 1, targetArn: ARN, ruleId: "rule-1", state: "delivered", attempts: 2, nextAttemptAt: T0 + 100, lastError: null, createdAt: T0 + 10, updatedAt: T0 + 20 },
      { deliveryId: 2, targetArn: OTHER_ARN, ruleId: "rule-1", state: "dead", attempts: 1, nextAttemptAt: T0 + 100, lastError: "HTTP 404", createdAt: T0 + 10, updatedAt: T0 + 20 },
    ]);
    expect(detail?.attempts).toEqual([
      { id: 1, deliveryId: 1, targetArn: ARN, attempt: 1, outcome: "failed", statusCode: 503, latencyMs: 12.5, error: "HTTP 503", at: T0 + 1001 },
      { id: 2, deliveryId: 1, targetArn: ARN, attempt: 2, outcome: "delivered", statusCode: 200, latencyMs: 12.5, error: null, at: T0 + 1002 },
      { id: 3, deliveryId: 2, targetArn: ARN, attempt: 1, outcome: "dead", statusCode: 404, latencyMs: 12.5, error: "HTTP 404", at: T0 + 1001 },
    ]);
  });

  it("finds the same event by seq", () => {
    expect(store.detail("7")).toEqual(store.detail("evt-7"));
  });

  it("returns undefined for an unknown id or seq", () => {
    expect(store.detail("evt-99")).toBeUndefined();
    expect(store.detail("99")).toBeUndefined();
  });
});

describe("prune", () => {
  const DAY = 86_400_000;
  const now = T0 + 100 * DAY;

  it("drops events older than the age limit, with their deliveries and attempts", () => {
    insertEvent({ seq: 1, receivedAt: now - 10 * DAY });
    insertEvent({ seq: 2, receivedAt: now - 8 * DAY });
    insertEvent({ seq: 3, receivedAt: now - 6 * DAY });
    insertEvent({ seq: 4, receivedAt: now - DAY });
    const old = insertDelivery(1, "delivered");
    insertAttempt(old, 1, 1, "delivered");
    insertAttempt(insertDelivery(3, "delivered"), 3, 1, "delivered");

    expect(store.prune({ maxAgeMs: 7 * DAY, maxCount: 1000, now })).toBe(2);
    expect(remainingSeqs()).toEqual([3, 4]);
    expect(db.prepare(`SELECT eventSeq FROM Delivery`).all()).toEqual([{ eventSeq: 3 }]);
    expect(db.prepare(`SELECT eventSeq FROM Attempt`).all()).toEqual([{ eventSeq: 3 }]);
  });

  it("keeps only the newest maxCount events", () => {
    for (let seq = 1; seq <= 10; seq++) insertEvent({ seq, receivedAt: now });
    expect(store.prune({ maxAgeMs: 7 * DAY, maxCount: 4, now })).toBe(6);
    expect(remainingSeqs()).toEqual([7, 8, 9, 10]);
    expect(store.prune({ maxAgeMs: 7 * DAY, maxCount: 4, now })).toBe(0);
  });

  it("never drops an event with a queued or dead delivery, but does drop finished ones", () => {
    for (let seq = 1; seq <= 6; seq++) insertEvent({ seq, receivedAt: now - 30 * DAY });
    insertDelivery(1, "queued");
    insertDelivery(2, "dead");
    insertDelivery(3, "delivered");
    insertDelivery(3, "queued", { targetArn: OTHER_ARN });
    insertDelivery(4, "discarded");
    insertDelivery(5, "retried");

    expect(store.prune({ maxAgeMs: DAY, maxCount: 1, now })).toBe(2);
    expect(remainingSeqs()).toEqual([1, 2, 3, 6]);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM Delivery WHERE eventSeq = 3`).get()).toEqual({ n: 2 });
  });

  it("never drops the newest event, which carries the sequence across restarts", () => {
    insertEvent({ seq: 1, receivedAt: now - 30 * DAY });
    insertEvent({ seq: 2, receivedAt: now - 30 * DAY });
    expect(store.prune({ maxAgeMs: DAY, maxCount: 1, now })).toBe(1);
    expect(remainingSeqs()).toEqual([2]);
    expect(store.prune({ maxAgeMs: 0, maxCount: 1, now: now + 365 * DAY })).toBe(0);
    expect(store.maxSeq()).toBe(2);
  });

  it("works through more victims than one batch", () => {
    for (let seq = 1; seq <= 23; seq++) insertEvent({ seq, receivedAt: now - 30 * DAY });
    expect(store.prune({ maxAgeMs: DAY, maxCount: 1000, now, batch: 5 })).toBe(22);
    expect(remainingSeqs()).toEqual([23]);
  });

  it("does nothing on an empty archive", () => {
    expect(store.prune({ maxAgeMs: 0, maxCount: 1, now })).toBe(0);
    expect(store.maxSeq()).toBe(0);
  });
});

describe("outcome labels and filters agree", () => {
  it("puts every event under exactly the filter of the outcome it is shown with", async () => {
    const outcomeDb = createTempDatabase("herald-outcomes");
    const db = outcomeDb.db;
    const insertEvent = db.prepare(
      `INSERT INTO Event (seq, id, bucket, key, eventName, eventTime, receivedAt, source, record, matched) VALUES (?, ?, 'b', ?, 's3:ObjectCreated:Put', 0, 0, 'api', '{}', ?)`,
    );
    const insertDelivery = db.prepare(`INSERT INTO Delivery (eventSeq, targetArn, ruleId, state, attempts, nextAttemptAt, createdAt, updatedAt) VALUES (?, 'arn', 'r', ?, 0, 0, 0, 0)`);
    const cases: [number, string[]][] = [
      [0, []],
      [1, ["dead", "queued"]],
      [1, ["retried"]],
      [0, ["retried"]],
      [1, ["delivered", "discarded"]],
      [1, ["delivered"]],
      [1, ["queued", "delivered"]],
      [1, []],
    ];
    cases.forEach(([matched, states], i) => {
      insertEvent.run(i + 1, `id-${i}`, `k${i}`, matched);
      for (const state of states) insertDelivery.run(i + 1, state);
    });
    const archive = new ArchiveStore(db);
    const shown = new Map(archive.search({ limit: 100 }).events.map((e) => [e.seq, e.outcome]));
    expect([...shown.values()].sort()).toEqual(["dead", "delivered", "discarded", "discarded", "discarded", "discarded", "pending", "unmatched"].sort());
    for (const outcome of ["unmatched", "pending", "delivered", "dead", "discarded"] as const) {
      const filtered = archive.search({ outcome, limit: 100 }).events.map((e) => e.seq).sort();
      expect(filtered).toEqual([...shown].filter(([, o]) => o === outcome).map(([seq]) => seq).sort());
    }
    outcomeDb.remove();
  });
});
