import { randomBytes } from "node:crypto";
import { eventVersionOf, isRemovalEvent, type EventName } from "./event-names.ts";
import type { NewEvent } from "./new-event.ts";
import { encodeObjectKey } from "./object-key.ts";
import type { S3EventRecord } from "./s3-record.ts";

/** What a producer knows about one S3 operation; everything else is filled in. */
export interface RecordInput {
  eventName: EventName;
  bucket: string;
  /** Decoded object key; empty for bucket events. */
  key: string;
  size?: number | undefined;
  eTag?: string | undefined;
  versionId?: string | undefined;
  contentType?: string | undefined;
  /**
   * User metadata, stored with the keys exactly as given (with or without the
   * `x-amz-meta-` prefix): producers differ (AWS strips the prefix, MinIO keeps
   * it) and rewriting keys would surprise receivers matching on them.
   */
  metadata?: Record<string, string> | undefined;
  /** Empty or absent: the pipeline fills it from the event's sequence number. */
  sequencer?: string | undefined;
  /** Milliseconds since the epoch; defaults to the context's `now`. */
  eventTime?: number | undefined;
  principalId?: string | undefined;
  /** The bucket owner; defaults to principalId, the best Herald can know. */
  ownerPrincipalId?: string | undefined;
  /** x-amz-request-id; generated when absent so every record carries one. */
  requestId?: string | undefined;
  /** x-amz-id-2. */
  hostId?: string | undefined;
  sourceIp?: string | undefined;
  source?: { host?: string | undefined; port?: string | number | undefined; userAgent?: string | undefined } | undefined;
  /** Defaults to DEFAULT_EVENT_SOURCE. */
  eventSource?: string | undefined;
}

export interface BuildContext {
  region: string;
  /** Milliseconds since the epoch, used when the input has no eventTime. */
  now: number;
  /** NewEvent.source: api, emitter, ... (default "api"). */
  source?: string;
}

export const DEFAULT_EVENT_SOURCE = "herald:s3";

// Internal metadata is storage bookkeeping (MinIO/RustFS convention), never the user's.
const INTERNAL_METADATA = /^(x-amz-meta-)?internal-/i;

/** Drops `x-amz-meta-internal-*` (and unprefixed `internal-*`) keys, case-insensitively. */
export function filterUserMetadata(metadata: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata)) {
    if (!INTERNAL_METADATA.test(name)) kept[name] = value;
  }
  return kept;
}

/** S3 returns ETags quoted in headers but event records carry them bare. */
export function normalizeETag(eTag: string): string {
  return eTag.length >= 2 && eTag.startsWith('"') && eTag.endsWith('"') ? eTag.slice(1, -1) : eTag;
}

export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

/** An AWS-looking request id (16 upper-case hex digits). */
// A random per-process prefix and a counter: unique like AWS's 16-hex request ids,
// without paying for random bytes on every event.
const REQUEST_ID_PREFIX = randomBytes(3).toString("hex").toUpperCase();
let requestCounter = 0;

export function generateRequestId(): string {
  requestCounter = (requestCounter + 1) % 0x10000000000;
  return REQUEST_ID_PREFIX + requestCounter.toString(16).toUpperCase().padStart(10, "0");
}

export function buildS3Record(input: RecordInput, ctx: BuildContext): S3EventRecord {
  const removal = isRemovalEvent(input.eventName);
  const principalId = input.principalId ?? "";
  const eventTime = input.eventTime ?? ctx.now;
  const keep = !removal;
  // Spreads rather than `undefined` values: absent fields must be absent from the JSON
  // receivers get, and the order follows AWS's records.
  const object: S3EventRecord["s3"]["object"] = {
    key: encodeObjectKey(input.key),
    ...(keep && input.size !== undefined ? { size: input.size } : {}),
    ...(keep && input.eTag !== undefined ? { eTag: normalizeETag(input.eTag) } : {}),
    ...(input.versionId !== undefined ? { versionId: input.versionId } : {}),
    sequencer: input.sequencer ?? "",
    ...(keep && input.contentType !== undefined ? { contentType: input.contentType } : {}),
    ...(keep && input.metadata !== undefined ? { userMetadata: filterUserMetadata(input.metadata) } : {}),
  };

  return {
    eventVersion: eventVersionOf(input.eventName),
    eventSource: input.eventSource ?? DEFAULT_EVENT_SOURCE,
    awsRegion: ctx.region,
    eventTime: new Date(eventTime).toISOString(),
    eventName: input.eventName,
    userIdentity: { principalId },
    requestParameters: { sourceIPAddress: input.sourceIp ?? "" },
    responseElements: {
      "x-amz-request-id": input.requestId ?? generateRequestId(),
      ...(input.hostId === undefined ? {} : { "x-amz-id-2": input.hostId }),
    },
    s3: {
      s3SchemaVersion: "1.0",
      // Each rule that matches gets its own id at delivery time.
      configurationId: "",
      bucket: {
        name: input.bucket,
        ownerIdentity: { principalId: input.ownerPrincipalId ?? principalId },
        arn: bucketArn(input.bucket),
      },
      object,
    },
    source: {
      host: input.source?.host ?? "",
      port: input.source?.port === undefined ? "" : String(input.source.port),
      userAgent: input.source?.userAgent ?? "",
    },
  };
}

export function toNewEvent(input: RecordInput, ctx: BuildContext): NewEvent {
  const record = buildS3Record(input, ctx);
  return {
    bucket: input.bucket,
    key: input.key,
    eventName: input.eventName,
    // Taken back from the record so both agree to the millisecond.
    eventTime: Date.parse(record.eventTime),
    source: ctx.source ?? "api",
    record,
  };
}
