import type { EventName } from "./event-names.ts";
import type { S3EventRecord } from "./s3-record.ts";

/**
 * An event built but not yet accepted. The pipeline gives it its id and
 * sequence number when it commits it; an empty `record.s3.object.sequencer`
 * is then filled from the sequence number.
 */
export interface NewEvent {
  bucket: string;
  /** Decoded object key (empty for bucket events). */
  key: string;
  eventName: EventName;
  /** Milliseconds since the epoch. */
  eventTime: number;
  /** api, ingest, s3, emitter, ... */
  source: string;
  record: S3EventRecord;
}

/**
 * Where built events go: the pipeline implements it; it resolves once they are
 * durably accepted. The sink takes ownership of the submitted records (it
 * fills in the sequencer and Herald's event id), so callers must not reuse them.
 */
export interface EventSink {
  submit(events: readonly NewEvent[]): Promise<AcceptedEvent[]>;
}

export interface AcceptedEvent {
  id: string;
  seq: number;
  /** How many targets it was queued for. */
  matched: number;
}
