import type { S3EventRecord } from "../events/s3-record.ts";

/** Messages between the event loop and the commit thread (accept-commit-worker.ts). */
export interface CommitRequest {
  type: "commit";
  id: number;
  now: number;
  /** seq, id, bucket, key, eventName, eventTime, receivedAt, source, record, matched */
  events: [number, string, string, string, string, number, number, string, S3EventRecord, number][];
  /** eventSeq, targetArn, ruleId */
  deliveries: [number, string, string][];
}

export type CommitReply = { type: "committed"; id: number; deliveryIds: number[] } | { type: "failed"; id: number; message: string };

export interface CommitWorkerData {
  file: string;
  sync: "FULL" | "NORMAL";
}
