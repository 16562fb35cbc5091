import { toNewEvent, type RecordInput } from "../../server/events/build-record.ts";
import type { HeraldEngine } from "../../server/engine/herald-engine.ts";
import type { DeliveryOptions } from "../../server/targets/delivery-options.ts";
import type { S3NotificationMessage } from "../../server/events/s3-record.ts";
import type { ReceivedRequest } from "./http-receiver.ts";

/** Creates a webhook target and a catch-all rule for `bucket`; returns the ARN. */
export async function routeBucketToWebhook(
  engine: HeraldEngine,
  options: { bucket: string; endpoint: string; id?: string; delivery?: Partial<DeliveryOptions>; events?: string[] },
): Promise<string> {
  const target = await engine.createTarget({
    id: options.id ?? "hook",
    type: "webhook",
    // No HEAD health checks: the tests count every request the receiver gets.
    config: { endpoint: options.endpoint, timeoutMs: 2000, healthCheck: "none" },
    delivery: { initialDelayMs: 20, maxDelayMs: 100, jitter: 0, ...options.delivery },
  });
  await engine.putBucketConfig(options.bucket, {
    rules: [{ id: `${options.id ?? "hook"}-rule`, events: options.events ?? ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"], targetArns: [target.arn] }],
  });
  return target.arn;
}

export function emitPuts(engine: HeraldEngine, bucket: string, keys: string[], extra: Partial<RecordInput> = {}) {
  const now = Date.now();
  return engine.submit(keys.map((key) => toNewEvent({ eventName: "s3:ObjectCreated:Put", bucket, key, size: 10, eTag: "abc", ...extra }, { region: "us-east-1", now })));
}

/** Records of every request the receiver got, flattened, in arrival order. */
export function receivedRecords(requests: readonly ReceivedRequest[]) {
  return requests.flatMap((r) => (r.body as S3NotificationMessage | undefined)?.Records ?? []);
}

export function receivedIds(requests: readonly ReceivedRequest[]): string[] {
  return receivedRecords(requests).map((r) => r.responseElements["x-herald-event-id"] ?? "");
}
