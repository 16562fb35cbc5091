import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../db/open-database.ts";
import type { AcceptRequest, CommitReply, CommitRequest, CommitWorkerData, OutcomeRow } from "./commit-protocol.ts";

/**
 * The commit thread: every hot-path write (accepted events and their
 * deliveries, delivery attempts and outcomes) runs here, off the event loop,
 * and so does WAL checkpointing. A commit under synchronous=FULL takes
 * milliseconds of blocking I/O; here it delays only the callers waiting for it.
 */
const { file, sync } = workerData as CommitWorkerData;
const db = openDatabase(file, { sync, autoCheckpoint: false });

const insertEvent = db.prepare(
  `INSERT INTO Event (seq, id, bucket, key, eventName, eventTime, receivedAt, source, record, matched)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const insertDelivery = db.prepare(
  `INSERT INTO Delivery (eventSeq, targetArn, ruleId, state, attempts, nextAttemptAt, createdAt, updatedAt)
   VALUES (?, ?, ?, 'queued', 0, ?, ?, ?)`,
);
const ROWS_PER_INSERT = 100;
const ATTEMPT_COLUMNS = "(deliveryId, eventSeq, targetArn, attempt, outcome, statusCode, latencyMs, error, at)";
const insertAttempt = db.prepare(`INSERT INTO Attempt ${ATTEMPT_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
// One statement per hundred attempts: per-statement overhead dominates rows this small.
const insertAttempts = db.prepare(
  `INSERT INTO Attempt ${ATTEMPT_COLUMNS} VALUES ${Array.from({ length: ROWS_PER_INSERT }, () => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
);
const markDelivered = db.prepare(
  `UPDATE Delivery SET state = 'delivered', attempts = attempts + 1, updatedAt = ?, lastError = NULL
   WHERE id IN (SELECT value FROM json_each(?))`,
);
const updateDelivery = db.prepare(`UPDATE Delivery SET state = ?, attempts = ?, nextAttemptAt = ?, updatedAt = ?, lastError = ? WHERE id = ?`);

const accept = db.transaction((request: AcceptRequest): number[] => {
  for (const e of request.events) {
    insertEvent.run(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], JSON.stringify(e[8]), e[9]);
  }
  const now = request.now;
  return request.deliveries.map((d) => Number(insertDelivery.run(d[0], d[1], d[2], now, now, now).lastInsertRowid));
});

const outcomes = db.transaction((rows: OutcomeRow[]): void => {
  let i = 0;
  for (; i + ROWS_PER_INSERT <= rows.length; i += ROWS_PER_INSERT) {
    const params: unknown[] = [];
    for (let j = i; j < i + ROWS_PER_INSERT; j++) params.push(...rows[j]!.slice(0, 9));
    insertAttempts.run(...params);
  }
  for (; i < rows.length; i++) insertAttempt.run(...rows[i]!.slice(0, 9));
  const delivered: number[] = [];
  let at = 0;
  for (const r of rows) {
    if (r[9] === "delivered") {
      delivered.push(r[0]);
      at = Math.max(at, r[8]);
    } else {
      updateDelivery.run(r[9], r[3], r[10], r[8], r[7], r[0]);
    }
  }
  if (delivered.length > 0) markDelivered.run(at, JSON.stringify(delivered));
});

const CHECKPOINT_EVERY_MS = 1000;
let lastCheckpoint = Date.now();

parentPort!.on("message", (request: CommitRequest) => {
  let reply: CommitReply;
  try {
    if (request.type === "accept") {
      reply = { id: request.id, ok: true, deliveryIds: accept(request) };
    } else {
      // Losing an outcome in a power cut only means a second delivery, never a lost event: no fsync.
      if (sync === "FULL") db.pragma("synchronous = NORMAL");
      try {
        outcomes(request.rows);
      } finally {
        if (sync === "FULL") db.pragma("synchronous = FULL");
      }
      reply = { id: request.id, ok: true };
    }
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
  if (Date.now() - lastCheckpoint > CHECKPOINT_EVERY_MS) {
    lastCheckpoint = Date.now();
    // PASSIVE never waits for readers or writers; whatever it cannot copy now it copies next time.
    db.pragma("wal_checkpoint(PASSIVE)");
  }
});
