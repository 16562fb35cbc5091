import { buildNotificationMessage } from "../notification-payload.ts";
import type { DeliveryItem } from "../target.ts";

/** One row of the access format: when the event happened, and the whole message as JSON. */
export interface AccessRow {
  eventTime: Date;
  data: string;
}

export interface NamespaceChanges {
  /** `bucket/key` → the latest message for it, in first-seen order. */
  upserts: { key: string; value: string }[];
  /** `bucket/key`s whose last event in the batch removed them. */
  deletes: string[];
}

/** The message a row holds: the same JSON a webhook receives for this one event. */
export function rowMessage(item: DeliveryItem): string {
  return JSON.stringify(buildNotificationMessage([item]));
}

export function accessRows(batch: readonly DeliveryItem[]): AccessRow[] {
  return batch.map((item) => ({ eventTime: new Date(item.event.eventTime), data: rowMessage(item) }));
}

/** The namespace key of an event, as MinIO and RustFS write it. */
export function namespaceKey(item: DeliveryItem): string {
  return `${item.event.bucket}/${item.event.key}`;
}

/**
 * The batch's net effect on the namespace table. Applying each event in order
 * (upsert on create, delete on removal) leaves every key as its last event in
 * the batch says, so only that last event is written: one upsert statement and
 * one delete statement give the same table, and an upsert never has to touch
 * the same row twice (PostgreSQL refuses that within one INSERT ... ON CONFLICT).
 */
export function namespaceChanges(batch: readonly DeliveryItem[]): NamespaceChanges {
  const last = new Map<string, DeliveryItem>();
  for (const item of batch) {
    const key = namespaceKey(item);
    // Re-inserted so the map's order is the order of each key's last event.
    last.delete(key);
    last.set(key, item);
  }
  const changes: NamespaceChanges = { upserts: [], deletes: [] };
  for (const [key, item] of last) {
    if (item.event.eventName.startsWith("s3:ObjectRemoved:")) changes.deletes.push(key);
    else changes.upserts.push({ key, value: rowMessage(item) });
  }
  return changes;
}
