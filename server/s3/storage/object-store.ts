import type { Readable } from "node:stream";

/**
 * What the S3 endpoint stores objects in. Two implementations: local disk
 * (the embedded default) and upstream (another S3-compatible service). Every
 * method throws AppError with the S3 code a client expects (NoSuchBucket,
 * NoSuchKey, BucketNotEmpty, InvalidPart, ...). Bodies stream: nothing here
 * holds a whole object in memory.
 */
export interface ObjectStore {
  listBuckets(): Promise<BucketInfo[]>;
  /** BucketAlreadyOwnedByYou when it exists. */
  createBucket(bucket: string): Promise<void>;
  /** NoSuchBucket when it does not exist. */
  headBucket(bucket: string): Promise<void>;
  /** BucketNotEmpty while it holds objects (or unfinished multipart uploads). */
  deleteBucket(bucket: string): Promise<void>;
  listObjects(bucket: string, options: ListObjectsOptions): Promise<ListObjectsResult>;

  /** Stores the body atomically: readers see the old object or the new one, never part of one. */
  putObject(bucket: string, key: string, body: Readable, options: PutOptions): Promise<ObjectInfo>;
  /**
   * The object's bytes, all or `range`. A function chooses the range from the
   * metadata of the very version about to be read (and may throw, e.g. for a
   * failed precondition), so a caller needs no separate HEAD that a concurrent
   * put could make stale. Returns the range read.
   */
  getObject(bucket: string, key: string, range?: RangeChoice): Promise<{ info: ObjectInfo; body: Readable; range: ByteRange | undefined }>;
  headObject(bucket: string, key: string): Promise<ObjectInfo>;
  /** Idempotent, as S3: deleting a missing key succeeds; `existed` tells whether anything was removed. */
  deleteObject(bucket: string, key: string): Promise<{ existed: boolean }>;
  copyObject(source: ObjectRef, target: ObjectRef, options: CopyOptions): Promise<ObjectInfo>;

  createMultipartUpload(bucket: string, key: string, options: PutOptions): Promise<{ uploadId: string }>;
  uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, options: PartOptions): Promise<PartInfo>;
  uploadPartCopy(source: ObjectRef, bucket: string, key: string, uploadId: string, partNumber: number, range?: ByteRange): Promise<PartInfo>;
  /** InvalidPart, InvalidPartOrder (ascending part numbers), EntityTooSmall (every part but the last at least 5 MiB). */
  completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly { partNumber: number; eTag: string }[]): Promise<ObjectInfo>;
  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void>;
  listParts(bucket: string, key: string, uploadId: string, options: { maxParts?: number; partNumberMarker?: number }): Promise<ListPartsResult>;
  listMultipartUploads(bucket: string, options: { prefix?: string; maxUploads?: number; keyMarker?: string; uploadIdMarker?: string }): Promise<ListUploadsResult>;

  getObjectTagging(bucket: string, key: string): Promise<Record<string, string>>;
  putObjectTagging(bucket: string, key: string, tags: Record<string, string>): Promise<void>;
  deleteObjectTagging(bucket: string, key: string): Promise<void>;

  close(): Promise<void>;

  /**
   * Local disk only: hard-links the object's file at `destination` (see
   * LocalDiskStore.linkObjectFile); undefined when that is not possible.
   */
  linkObjectFile?(bucket: string, key: string, destination: string): Promise<{ info: ObjectInfo; tail: Buffer } | undefined>;
}

export interface BucketInfo {
  name: string;
  createdAt: Date;
}

export interface ObjectRef {
  bucket: string;
  key: string;
}

export interface ByteRange {
  /** Inclusive. */
  start: number;
  /** Inclusive. */
  end: number;
}

/** A fixed range, or one chosen once the object's metadata is known. */
export type RangeChoice = ByteRange | ((info: ObjectInfo) => ByteRange | undefined);

export interface ObjectInfo {
  bucket: string;
  key: string;
  size: number;
  /** Quoted, as S3 sends it: `"<md5 hex>"` or `"<md5 of part md5s>-<parts>"`. */
  eTag: string;
  lastModified: Date;
  contentType: string;
  /** User metadata without the `x-amz-meta-` prefix, names lower-case. */
  metadata: Record<string, string>;
}

export interface PutOptions {
  contentType?: string | undefined;
  metadata?: Record<string, string> | undefined;
  /** Content-MD5 (base64): BadDigest when the body does not match. */
  contentMd5?: string | undefined;
  /** Declared length: IncompleteBody when the body is shorter. */
  size?: number | undefined;
}

export interface PartOptions {
  contentMd5?: string | undefined;
  size?: number | undefined;
}

export interface CopyOptions {
  /** COPY keeps the source's content type and metadata; REPLACE takes these. */
  metadataDirective: "COPY" | "REPLACE";
  contentType?: string | undefined;
  metadata?: Record<string, string> | undefined;
}

export interface PartInfo {
  partNumber: number;
  eTag: string;
  size: number;
  lastModified: Date;
}

export interface ListObjectsOptions {
  prefix?: string | undefined;
  delimiter?: string | undefined;
  /** Default and maximum 1000. */
  maxKeys?: number | undefined;
  startAfter?: string | undefined;
  /** Opaque; from a previous result's nextContinuationToken. */
  continuationToken?: string | undefined;
}

export interface ListObjectsResult {
  objects: ObjectInfo[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextContinuationToken: string | undefined;
}

export interface ListPartsResult {
  parts: PartInfo[];
  isTruncated: boolean;
  nextPartNumberMarker: number | undefined;
}

export interface ListUploadsResult {
  uploads: { key: string; uploadId: string; initiated: Date }[];
  isTruncated: boolean;
}
