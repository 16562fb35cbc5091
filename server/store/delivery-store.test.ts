import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SqliteDatabase } from "../db/open-database.ts";
import { createTempDatabase, type TempDatabase } from "../../test/support/temp-database.ts";
import { attemptTotals, DeliveryStore } from "./delivery-store.ts";

const ARN = "arn:herald:sqs:us-east-1:hook:webhook";
const OTHER_ARN = "arn:herald:sqs:us-east-1:stream:redis";
const T0 = Date.UTC(2026, 0, 1);

let temp: TempDatabase;
let db: SqliteDatabase;
let store: DeliveryStore;

beforeEach(() => {
  temp = createTempDatabase("herald-deliveries");
  db = temp.db;
  store = new DeliveryStore(db);
});

afterEach(() => {
  temp.remove();
});

function insertEvent(seq: number, key = `k${seq}`): void {
  const record = { eventVersion: "2.1", eventName: "s3:ObjectCreated:Put", s3: { object: { key, sequencer: String(seq) } } };
  db.prepare(
    `INSERT INTO Event (seq, id, bucket, key, eventName, eventTime, receivedAt, source, record, matched) VALUES (?, ?, 'photos', ?, 's3:ObjectCreated:Put', ?, ?, 'api', ?, 1)`,
  ).run(seq, `evt-${seq}`, key, T0 + seq, T0 + seq + 1, JSON.stringify(record));
}

interface DeliverySpec {
  eventSeq: number;
  state: string;
  targetArn?: string;
  ruleId?: string;
  attempts?: number;
  createdAt?: number;
  lastError?: string;
}

function insertDelivery(spec: DeliverySpec): number {
  const createdAt = spec.createdAt ?? T0 + 10;
  return Number(
    db
      .prepare(
        `INSERT INTO Delivery (eventSeq, targetArn, ruleId, state, attempts, nextAttemptAt, createdAt, updatedAt, lastError) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(spec.eventSeq, spec.targetArn ?? ARN, spec.ruleId ?? "rule-1", spec.state, spec.attempts ?? 0, createdAt + 500, createdAt, createdAt + 1, spec.lastError ?? null)
      .lastInsertRowid,
  );
}

function insertAttempt(deliveryId: number, eventSeq: number, outcome: string, targetArn = ARN): void {
  db.prepare(`INSERT INTO Attempt (deliveryId, eventSeq, targetArn, attempt, outcome, statusCode, latencyMs, error, at) VALUES (?, ?, ?, 1, ?, 500, 3, 'HTTP 500', ?)`).run(
    deliveryId,
    eventSeq,
    targetArn,
    outcome,
    T0 + 50,
  );
}

interface DeliveryRow {
  id: number;
  eventSeq: number;
  targetArn: string;
  ruleId: string;
  state: string;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  updatedAt: number;
  lastError: string | null;
}

function deliveries(): DeliveryRow[] {
  return db.prepare(`SELECT * FROM Delivery ORDER BY id`).all() as DeliveryRow[];
}

describe("queuedAfter", () => {
  beforeEach(() => {
    for (let seq = 1; seq <= 6; seq++) insertEvent(seq);
    insertDelivery({ eventSeq: 1, state: "queued", attempts: 2 }); // 1
    insertDelivery({ eventSeq: 2, state: "delivered" }); // 2
    insertDelivery({ eventSeq: 3, state: "queued", targetArn: OTHER_ARN }); // 3
    insertDelivery({ eventSeq: 4, state: "queued", ruleId: "rule-2" }); // 4
    insertDelivery({ eventSeq: 5, state: "dead" }); // 5
    insertDelivery({ eventSeq: 6, state: "queued" }); // 6
  });

  it("lists only the target's queued deliveries, in id order, with their event", () => {
    const queued = store.queuedAfter(ARN, 0, 100);
    expect(queued.map((q) => q.deliveryId)).toEqual([1, 4, 6]);
    expect(queued[0]).toEqual({
      deliveryId: 1,
      ruleId: "rule-1",
      attempts: 2,
      nextAttemptAt: T0 + 510,
      event: {
        id: "evt-1",
        seq: 1,
        bucket: "photos",
        key: "k1",
        eventName: "s3:ObjectCreated:Put",
        eventTime: T0 + 1,
        receivedAt: T0 + 2,
        source: "api",
        record: { eventVersion: "2.1", eventName: "s3:ObjectCreated:Put", s3: { object: { key: "k1", sequencer: "1" } } },
      },
    });
    expect(queued[1]?.ruleId).toBe("rule-2");
  });

  it("continues after the cursor id, up to the limit", () => {
    expect(store.queuedAfter(ARN, 0, 2).map((q) => q.deliveryId)).toEqual([1, 4]);
    expect(store.queuedAfter(ARN, 4, 2).map((q) => q.deliveryId)).toEqual([6]);
    expect(store.queuedAfter(ARN, 6, 2)).toEqual([]);
    expect(store.queuedAfter(OTHER_ARN, 0, 10).map((q) => q.deliveryId)).toEqual([3]);
  });
});

describe("countsByState and oldestQueuedAt", () => {
  it("counts the target's deliveries by state", () => {
    insertEvent(1);
    for (const state of ["queued", "queued", "delivered", "dead", "dead", "dead", "retried"]) insertDelivery({ eventSeq: 1, state });
    insertDelivery({ eventSeq: 1, state: "queued", targetArn: OTHER_ARN });
    expect(store.countsByState(ARN)).toEqual({ queued: 2, delivered: 1, dead: 3, retried: 1 });
    expect(store.countsByState(OTHER_ARN)).toEqual({ queued: 1 });
    expect(store.countsByState("arn:herald:sqs:us-east-1:none:webhook")).toEqual({});
  });

  it("gives the creation time of the first queued delivery, ignoring other states and targets", () => {
    insertEvent(1);
    insertDelivery({ eventSeq: 1, state: "dead", createdAt: T0 - 9000 });
    insertDelivery({ eventSeq: 1, state: "queued", targetArn: OTHER_ARN, createdAt: T0 - 8000 });
    expect(store.oldestQueuedAt(ARN)).toBeUndefined();
    insertDelivery({ eventSeq: 1, state: "queued", createdAt: T0 + 300 });
    insertDelivery({ eventSeq: 1, state: "queued", createdAt: T0 + 400 });
    expect(store.oldestQueuedAt(ARN)).toBe(T0 + 300);
    expect(store.oldestQueuedAt(OTHER_ARN)).toBe(T0 - 8000);
  });
});

describe("deadLetters", () => {
  beforeEach(() => {
    for (let seq = 1; seq <= 5; seq++) {
      insertEvent(seq);
      insertDelivery({ eventSeq: seq, state: seq === 3 ? "delivered" : "dead", attempts: seq, lastError: `HTTP 50${seq}` });
    }
    insertDelivery({ eventSeq: 1, state: "dead", targetArn: OTHER_ARN });
  });

  it("lists the target's dead letters with their last error and event", () => {
    const dead = store.deadLetters(ARN, { limit: 10 });
    expect(dead.map((d) => d.deliveryId)).toEqual([1, 2, 4, 5]);
    expect(dead[0]).toMatchObject({ deliveryId: 1, ruleId: "rule-1", attempts: 1, lastError: "HTTP 501", updatedAt: T0 + 11, event: { id: "evt-1", seq: 1 } });
  });

  it("pages with limit and afterId without overlap", () => {
    const first = store.deadLetters(ARN, { limit: 2 });
    expect(first.map((d) => d.deliveryId)).toEqual([1, 2]);
    const second = store.deadLetters(ARN, { limit: 2, afterId: first[first.length - 1]?.deliveryId ?? 0 });
    expect(second.map((d) => d.deliveryId)).toEqual([4, 5]);
    expect(store.deadLetters(ARN, { limit: 2, afterId: 5 })).toEqual([]);
  });
});

describe("requeueDeadLetters", () => {
  const now = T0 + 60_000;

  beforeEach(() => {
    for (let seq = 1; seq <= 4; seq++) {
      insertEvent(seq);
      const id = insertDelivery({ eventSeq: seq, state: "dead", attempts: 8, ruleId: `rule-${seq}`, lastError: "HTTP 500" });
      insertAttempt(id, seq, "dead");
    }
    insertEvent(5);
    insertDelivery({ eventSeq: 5, state: "dead", targetArn: OTHER_ARN }); // 5
    insertDelivery({ eventSeq: 5, state: "delivered" }); // 6
  });

  it("queues the selected dead letters again as new rows and marks the old ones retried", () => {
    expect(store.requeueDeadLetters(ARN, [2, 4, 5, 6, 999], now)).toBe(2);
    const rows = deliveries();
    expect(rows.filter((r) => r.state === "retried").map((r) => [r.id, Number(r.updatedAt)])).toEqual([
      [2, now],
      [4, now],
    ]);
    const requeued = rows.filter((r) => r.id > 6);
    expect(requeued.map((r) => ({ ...r, nextAttemptAt: Number(r.nextAttemptAt), createdAt: Number(r.createdAt), updatedAt: Number(r.updatedAt) }))).toEqual([
      { id: 7, eventSeq: 2, targetArn: ARN, ruleId: "rule-2", state: "queued", attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now, lastError: null },
      { id: 8, eventSeq: 4, targetArn: ARN, ruleId: "rule-4", state: "queued", attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now, lastError: null },
    ]);
    // Unselected dead letters, other targets' rows and the attempt history are untouched.
    expect(rows.find((r) => r.id === 1)?.state).toBe("dead");
    expect(rows.find((r) => r.id === 5)?.state).toBe("dead");
    expect(rows.find((r) => r.id === 6)?.state).toBe("delivered");
    expect(db.prepare(`SELECT COUNT(*) AS n FROM Attempt`).get()).toEqual({ n: 4 });
  });

  it("gives new ids above the worker's cursor, so a running worker picks them up", () => {
    const cursor = Math.max(...deliveries().map((r) => r.id));
    store.requeueDeadLetters(ARN, undefined, now);
    expect(store.queuedAfter(ARN, cursor, 100).map((q) => q.event.seq)).toEqual([1, 2, 3, 4]);
  });

  it("requeues all of the target's dead letters when no ids are given", () => {
    expect(store.requeueDeadLetters(ARN, undefined, now)).toBe(4);
    expect(store.countsByState(ARN)).toEqual({ retried: 4, queued: 4, delivered: 1 });
    expect(store.countsByState(OTHER_ARN)).toEqual({ dead: 1 });
    expect(store.deadLetters(ARN, { limit: 10 })).toEqual([]);
  });

  it("does nothing for an empty selection or a second call", () => {
    expect(store.requeueDeadLetters(ARN, [], now)).toBe(0);
    expect(store.requeueDeadLetters(ARN, [1], now)).toBe(1);
    expect(store.requeueDeadLetters(ARN, [1], now)).toBe(0);
    expect(store.countsByState(ARN)).toEqual({ dead: 3, retried: 1, queued: 1, delivered: 1 });
  });
});

describe("purgeDeadLetters", () => {
  beforeEach(() => {
    for (let seq = 1; seq <= 3; seq++) {
      insertEvent(seq);
      const id = insertDelivery({ eventSeq: seq, state: "dead" });
      insertAttempt(id, seq, "failed");
      insertAttempt(id, seq, "dead");
    }
    const delivered = insertDelivery({ eventSeq: 1, state: "delivered" }); // 4
    insertAttempt(delivered, 1, "delivered");
    const other = insertDelivery({ eventSeq: 1, state: "dead", targetArn: OTHER_ARN }); // 5
    insertAttempt(other, 1, "dead", OTHER_ARN);
  });

  function attemptDeliveryIds(): number[] {
    return (db.prepare(`SELECT deliveryId FROM Attempt ORDER BY id`).all() as { deliveryId: number }[]).map((r) => r.deliveryId);
  }

  it("deletes the selected dead letters and their attempts, keeping the events", () => {
    expect(store.purgeDeadLetters(ARN, [1, 3, 4, 5])).toBe(2);
    expect(deliveries().map((r) => r.id)).toEqual([2, 4, 5]);
    expect(attemptDeliveryIds()).toEqual([2, 2, 4, 5]);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM Event`).get()).toEqual({ n: 3 });
  });

  it("deletes all of the target's dead letters when no ids are given", () => {
    expect(store.purgeDeadLetters(ARN, undefined)).toBe(3);
    expect(deliveries().map((r) => [r.id, r.state])).toEqual([
      [4, "delivered"],
      [5, "dead"],
    ]);
    expect(attemptDeliveryIds()).toEqual([4, 5]);
  });
});

describe("enqueueReplay", () => {
  it("queues each archived event again for the target under the replay rule", () => {
    for (let seq = 1; seq <= 3; seq++) insertEvent(seq);
    insertDelivery({ eventSeq: 2, state: "delivered" });
    const now = T0 + 5000;
    expect(store.enqueueReplay(ARN, [3, 1], "replay", now)).toBe(2);
    const queued = store.queuedAfter(ARN, 0, 10);
    expect(queued.map((q) => [q.deliveryId, q.event.seq, q.ruleId, q.attempts, q.nextAttemptAt])).toEqual([
      [2, 3, "replay", 0, now],
      [3, 1, "replay", 0, now],
    ]);
    expect(store.oldestQueuedAt(ARN)).toBe(now);
    expect(store.enqueueReplay(ARN, [], "replay", now)).toBe(0);
  });
});

describe("attemptTotals", () => {
  it("counts a target's attempts by outcome", () => {
    insertEvent(1);
    const id = insertDelivery({ eventSeq: 1, state: "delivered" });
    for (const outcome of ["failed", "failed", "delivered"]) insertAttempt(id, 1, outcome);
    insertAttempt(id, 1, "failed", OTHER_ARN);
    expect(attemptTotals(db, ARN)).toEqual({ failed: 2, delivered: 1 });
    expect(attemptTotals(db, "arn:herald:sqs:us-east-1:none:webhook")).toEqual({});
  });
});
