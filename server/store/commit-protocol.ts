import type { S3EventRecord } from "../events/s3-record.ts";

/** Messages between the event loop and the commit thread (commit-worker.ts). */
export interface AcceptRequest {
  type: "accept";
  id: number;
  now: number;
  /** seq, id, bucket, key, eventName, eventTime, receivedAt, source, record, matched */
  events: [number, string, string, string, string, number, number, string, S3EventRecord, number][];
  /** eventSeq, targetArn, ruleId */
  deliveries: [number, string, string][];
}

/** deliveryId, eventSeq, targetArn, attempt, outcome, statusCode, latencyMs, error, at, state, nextAttemptAt */
export type OutcomeRow = [number, number, string, number, string, number | null, number, string | null, number, string, number];

export interface OutcomesRequest {
  type: "outcomes";
  id: number;
  rows: OutcomeRow[];
}

export type CommitRequest = AcceptRequest | OutcomesRequest;

export type CommitReply = { id: number; ok: true; deliveryIds?: number[] } | { id: number; ok: false; message: string };

export interface CommitWorkerData {
  file: string;
  /** Durability of accepted events; outcomes are always written with NORMAL. */
  sync: "FULL" | "NORMAL";
}
