import { z } from "zod";
import { AppError } from "../errors/app-error.ts";
import { bucketArn, DEFAULT_EVENT_SOURCE, filterUserMetadata, normalizeETag } from "./build-record.ts";
import { addEventNameIssue, toInputError } from "./emit-input.ts";
import { categoryOf, eventVersionOf, isEventName, isRemovalEvent, type EventName } from "./event-names.ts";
import type { NewEvent } from "./new-event.ts";
import { decodeObjectKey } from "./object-key.ts";
import type { S3EventRecord } from "./s3-record.ts";

/**
 * Ceph RGW's lifecycle names have no `s3:` spelling of their own; these are
 * the S3 names that mean the same. AbortMultipartUpload has none and stays unknown.
 */
const CEPH_ALIASES: Readonly<Record<string, EventName>> = {
  "ObjectLifecycle:Expiration:Current": "s3:LifecycleExpiration:Delete",
  "ObjectLifecycle:Expiration:NonCurrent": "s3:LifecycleExpiration:Delete",
  "ObjectLifecycle:Expiration:DeleteMarker": "s3:LifecycleDelMarkerExpiration:Delete",
  "ObjectLifecycle:Transition:Current": "s3:LifecycleTransition",
  "ObjectLifecycle:Transition:NonCurrent": "s3:LifecycleTransition",
};

/**
 * AWS and Ceph records name events without the `s3:` prefix ("ObjectCreated:Put"),
 * MinIO and RustFS with it; all become the prefixed name Herald matches rules on.
 */
export function normalizeIngestEventName(value: string): EventName | undefined {
  const bare = value.startsWith("s3:") ? value.slice(3) : value;
  const prefixed = `s3:${bare}`;
  if (isEventName(prefixed)) return prefixed;
  return CEPH_ALIASES[bare];
}

const ingestEventName = z.string().transform((value, ctx): EventName => {
  const name = normalizeIngestEventName(value);
  if (name !== undefined) return name;
  addEventNameIssue(ctx, value);
  return z.NEVER;
});

// Go producers (MinIO) marshal nil maps and pointers as null; null means absent.
const optionalString = z.string().nullish();
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const stringMap = z
  .record(z.string(), scalar.nullable())
  .nullish()
  .transform((map) => {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(map ?? {})) if (value !== null) out[name] = String(value);
    return out;
  });

/** Ceph sends numbers as strings in some versions ("size":"1024"). */
const size = z.union([z.number().int().min(0), z.string().regex(/^\d+$/).transform(Number)]).nullish();

// Full ISO date-times, with or without fractions of any precision (Ceph sends microseconds).
const eventTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, "an ISO 8601 date-time with a zone")
  .transform((value, ctx) => {
    const ms = Date.parse(value.replace(" ", "T"));
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: "custom", message: "not a valid date-time", input: value });
      return z.NEVER;
    }
    return ms;
  });

const principal = z.object({ principalId: optionalString }).nullish();

/**
 * One record as AWS, MinIO, RustFS or Ceph sends it. Unknown fields are
 * stripped: what Herald delivers must have the S3EventRecord shape whatever
 * the producer added (Ceph's eventId, opaqueData, bucket.id, object.tags, ...).
 * The field order puts eventName first: it is the error a bad record reports.
 */
const ingestRecordSchema = z.object({
  eventName: ingestEventName,
  eventVersion: optionalString,
  eventSource: optionalString,
  awsRegion: optionalString,
  eventTime,
  userIdentity: principal,
  requestParameters: stringMap,
  responseElements: stringMap,
  s3: z.object({
    s3SchemaVersion: optionalString,
    configurationId: optionalString,
    bucket: z.object({
      name: z.string().min(1).max(255),
      ownerIdentity: principal,
      arn: optionalString,
    }),
    object: z.object({
      key: z.string(),
      size,
      eTag: optionalString,
      versionId: optionalString,
      sequencer: optionalString,
      contentType: optionalString,
      userMetadata: z.record(z.string(), z.string()).nullish(),
      /** Ceph's spelling of user metadata. */
      metadata: z.array(z.object({ key: z.string(), val: z.string() })).nullish(),
    }),
  }),
  source: z
    .object({ host: optionalString, port: z.union([z.string(), z.number()]).nullish(), userAgent: optionalString })
    .nullish(),
});

type IngestRecord = z.output<typeof ingestRecordSchema>;

const notificationSchema = z.object({ Records: z.array(ingestRecordSchema) });

export interface IngestOptions {
  /** NewEvent.source (default "ingest"). */
  source?: string;
  /** awsRegion for records that carry none (default ""). */
  region?: string;
}

/**
 * Parses the body of `POST /api/v1/ingest/s3`: AWS's `{Records}`, MinIO's
 * `{EventName, Key, Records}` (the top-level fields repeat the first record and
 * are ignored), Ceph RGW's records, or AWS's `s3:TestEvent`, which yields none.
 */
export function parseS3Notification(body: unknown, options: IngestOptions = {}): NewEvent[] {
  if (isTestEvent(body)) return [];
  if (typeof body !== "object" || body === null || !("Records" in body)) {
    throw new AppError("ValidationError", "Records: expected an S3 notification with Records, or an s3:TestEvent", {
      field: "Records",
    });
  }
  const parsed = notificationSchema.safeParse(body);
  if (!parsed.success) throw toInputError(parsed.error);
  return parsed.data.Records.map((record, index) => toIngestedEvent(record, index, options));
}

function isTestEvent(body: unknown): boolean {
  return typeof body === "object" && body !== null && (body as { Event?: unknown }).Event === "s3:TestEvent";
}

function toIngestedEvent(input: IngestRecord, index: number, options: IngestOptions): NewEvent {
  const eventName = input.eventName;
  const bucket = input.s3.bucket.name;
  const keyField = `Records[${index}].s3.object.key`;
  const key = decodeObjectKey(input.s3.object.key, keyField);
  if (key === "" && categoryOf(eventName) !== "Bucket") {
    throw new AppError("ValidationError", `${keyField}: required for object events`, { field: keyField });
  }
  const record = normalizeRecord(input, eventName, options);
  return { bucket, key, eventName, eventTime: input.eventTime, source: options.source ?? "ingest", record };
}

function normalizeRecord(input: IngestRecord, eventName: EventName, options: IngestOptions): S3EventRecord {
  const object = input.s3.object;
  const keep = !isRemovalEvent(eventName);
  // Ceph sends "" for "no value"; absent is how S3EventRecord says it.
  const present = (value: string | null | undefined): value is string => value !== undefined && value !== null && value !== "";
  const metadata = object.userMetadata ?? cephMetadata(object.metadata);
  const principalId = input.userIdentity?.principalId ?? "";
  const sourcePort = input.source?.port;
  return {
    eventVersion: present(input.eventVersion) ? input.eventVersion : eventVersionOf(eventName),
    eventSource: present(input.eventSource) ? input.eventSource : DEFAULT_EVENT_SOURCE,
    awsRegion: input.awsRegion ?? options.region ?? "",
    eventTime: new Date(input.eventTime).toISOString(),
    eventName,
    userIdentity: { principalId },
    requestParameters: input.requestParameters,
    responseElements: input.responseElements,
    s3: {
      s3SchemaVersion: present(input.s3.s3SchemaVersion) ? input.s3.s3SchemaVersion : "1.0",
      configurationId: input.s3.configurationId ?? "",
      bucket: {
        name: input.s3.bucket.name,
        ownerIdentity: { principalId: input.s3.bucket.ownerIdentity?.principalId ?? principalId },
        arn: present(input.s3.bucket.arn) ? input.s3.bucket.arn : bucketArn(input.s3.bucket.name),
      },
      object: {
        // Kept as the producer encoded it: receivers may compare it with what the producer sent them.
        key: object.key,
        ...(keep && object.size !== undefined && object.size !== null ? { size: object.size } : {}),
        ...(keep && present(object.eTag) ? { eTag: normalizeETag(object.eTag) } : {}),
        ...(present(object.versionId) ? { versionId: object.versionId } : {}),
        sequencer: object.sequencer ?? "",
        ...(keep && present(object.contentType) ? { contentType: object.contentType } : {}),
        ...(keep && metadata !== undefined ? { userMetadata: filterUserMetadata(metadata) } : {}),
      },
    },
    source: {
      host: input.source?.host ?? "",
      port: sourcePort === undefined || sourcePort === null ? "" : String(sourcePort),
      userAgent: input.source?.userAgent ?? "",
    },
  };
}

function cephMetadata(entries: { key: string; val: string }[] | null | undefined): Record<string, string> | undefined {
  if (!entries || entries.length === 0) return undefined;
  return Object.fromEntries(entries.map((entry) => [entry.key, entry.val]));
}
