import type { EventName } from "./event-names.ts";

/** One record of an S3 event notification, in the AWS message structure. */
export interface S3EventRecord {
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  /** ISO 8601 with milliseconds, UTC. */
  eventTime: string;
  eventName: EventName;
  userIdentity: { principalId: string };
  requestParameters: Record<string, string>;
  responseElements: Record<string, string>;
  s3: {
    s3SchemaVersion: string;
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: {
      /** URL-encoded (form encoding: space as `+`). */
      key: string;
      size?: number;
      eTag?: string;
      versionId?: string;
      sequencer: string;
      contentType?: string;
      userMetadata?: Record<string, string>;
    };
  };
  source: { host: string; port: string; userAgent: string };
}

/** The S3 notification message: what a webhook receives, as MinIO/RustFS send it. */
export interface S3NotificationMessage {
  EventName: EventName;
  /** `bucket/decoded key` of the first record. */
  Key: string;
  Records: S3EventRecord[];
}

/**
 * An event Herald has accepted: the record plus the identity Herald gives it.
 * `id` is stable and unique (receivers de-duplicate by it); `seq` is monotonic.
 */
export interface HeraldEvent {
  id: string;
  seq: number;
  bucket: string;
  /** Decoded object key. */
  key: string;
  eventName: EventName;
  /** Milliseconds since the epoch. */
  eventTime: number;
  receivedAt: number;
  /** Where the event came from: api, ingest, s3, replay... */
  source: string;
  record: S3EventRecord;
  /** Deliveries the event caused when accepted (targets matched); absent on events not yet matched. */
  matched?: number;
}
