import type { HeraldEvent, S3EventRecord } from "../events/s3-record.ts";
import type { EventName } from "../events/event-names.ts";

/** Column names shared by every query that rebuilds a HeraldEvent from the Event table. */
export const EVENT_COLUMNS = `e.seq AS seq, e.id AS eventId, e.bucket AS bucket, e.key AS key, e.eventName AS eventName,
  e.eventTime AS eventTime, e.receivedAt AS receivedAt, e.source AS source, e.record AS record`;

export interface EventRow {
  seq: number | bigint;
  eventId: string;
  bucket: string;
  key: string;
  eventName: string;
  eventTime: number | bigint;
  receivedAt: number | bigint;
  source: string;
  record: string;
}

export function eventFromRow(row: EventRow): HeraldEvent {
  return {
    id: row.eventId,
    seq: Number(row.seq),
    bucket: row.bucket,
    key: row.key,
    eventName: row.eventName as EventName,
    eventTime: Number(row.eventTime),
    receivedAt: Number(row.receivedAt),
    source: row.source,
    record: JSON.parse(row.record) as S3EventRecord,
  };
}
