import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../db/open-database.ts";
import type { CommitReply, CommitRequest, CommitWorkerData } from "./accept-commit-protocol.ts";

/**
 * The commit thread: runs the accept transactions, with their fsync, off the
 * event loop, and checkpoints the WAL. A commit under synchronous=FULL takes
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
const commit = db.transaction((request: CommitRequest): number[] => {
  for (const e of request.events) {
    insertEvent.run(e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7], JSON.stringify(e[8]), e[9]);
  }
  const now = request.now;
  return request.deliveries.map((d) => Number(insertDelivery.run(d[0], d[1], d[2], now, now, now).lastInsertRowid));
});

const CHECKPOINT_EVERY_MS = 1000;
let lastCheckpoint = Date.now();

parentPort!.on("message", (request: CommitRequest) => {
  let reply: CommitReply;
  try {
    reply = { type: "committed", id: request.id, deliveryIds: commit(request) };
  } catch (error) {
    reply = { type: "failed", id: request.id, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
  if (Date.now() - lastCheckpoint > CHECKPOINT_EVERY_MS) {
    lastCheckpoint = Date.now();
    // PASSIVE never waits for readers or writers; whatever it cannot copy now it copies next time.
    db.pragma("wal_checkpoint(PASSIVE)");
  }
});
