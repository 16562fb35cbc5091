import type { S3EventRecord, S3NotificationMessage } from "../events/s3-record.ts";
import type { DeliveryItem } from "./target.ts";

/**
 * The record as this item's target receives it. One stored event fans out to
 * several rules and targets, each with its own configurationId, so the shared
 * record is copied (only the parts that differ) rather than edited in place.
 */
export function serializeRecordForDelivery(item: DeliveryItem): S3EventRecord {
  const record = item.event.record;
  return {
    ...record,
    // Receivers de-duplicate by this id; set here too so a record built
    // outside the pipeline (replay, tests) carries it as the README promises.
    responseElements: { ...record.responseElements, "x-herald-event-id": item.event.id },
    s3: { ...record.s3, configurationId: item.ruleId },
  };
}

/**
 * The webhook body MinIO and RustFS send (`{EventName, Key, Records}`), with
 * the AWS `Records` array inside so AWS-style consumers work unchanged.
 * EventName and Key describe the first record, as theirs do.
 */
export function buildNotificationMessage(batch: readonly DeliveryItem[]): S3NotificationMessage {
  const first = batch[0];
  if (first === undefined) throw new Error("buildNotificationMessage: empty batch");
  return {
    EventName: first.event.eventName,
    Key: `${first.event.bucket}/${first.event.key}`,
    Records: batch.map(serializeRecordForDelivery),
  };
}
