import { randomUUID } from "node:crypto";
import { buildS3Record, type RecordInput } from "../../server/events/build-record.ts";
import type { EventName } from "../../server/events/event-names.ts";
import type { HeraldEvent } from "../../server/events/s3-record.ts";
import type { DeliveryItem } from "../../server/targets/target.ts";

let nextSeq = 1;

export interface ItemInput extends Partial<Omit<RecordInput, "eventName">> {
  eventName?: EventName;
  ruleId?: string;
  id?: string;
  attempt?: number;
}

/** A HeraldEvent as the pipeline would have accepted it, built with the real record builder. */
export function makeEvent(input: ItemInput = {}): HeraldEvent {
  const seq = nextSeq++;
  const id = input.id ?? randomUUID();
  const eventName = input.eventName ?? "s3:ObjectCreated:Put";
  const bucket = input.bucket ?? "photos";
  const key = input.key ?? `albums/2024/img ${seq}.jpg`;
  const now = Date.now();
  const record = buildS3Record(
    { size: 1024, eTag: '"d41d8cd98f00b204e9800998ecf8427e"', ...input, eventName, bucket, key },
    { region: "us-east-1", now },
  );
  record.s3.object.sequencer = seq.toString(16).toUpperCase().padStart(16, "0");
  record.responseElements = { ...record.responseElements, "x-herald-event-id": id };
  return { id, seq, bucket, key, eventName, eventTime: now, receivedAt: now, source: "api", record };
}

export function makeItem(input: ItemInput = {}): DeliveryItem {
  const event = makeEvent(input);
  return { deliveryId: event.seq, event, ruleId: input.ruleId ?? "rule-1", attempt: input.attempt ?? 1 };
}
