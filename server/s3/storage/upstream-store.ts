import type { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { AppError } from "../../errors/app-error.ts";
import { ERROR_CODES, type ErrorCode } from "../../errors/error-codes.ts";
import type {
  BucketInfo,
  ByteRange,
  CopyOptions,
  ListObjectsOptions,
  ListObjectsResult,
  ListPartsResult,
  ListUploadsResult,
  ObjectInfo,
  ObjectRef,
  ObjectStore,
  PartInfo,
  PartOptions,
  PutOptions,
  RangeChoice,
} from "./object-store.ts";

export interface UpstreamOptions {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const KNOWN = new Set<string>(ERROR_CODES);
const STATUS_CODES: Record<number, ErrorCode> = { 404: "NoSuchKey", 403: "Forbidden", 412: "PreconditionFailed", 416: "InvalidRange", 304: "NotModified" };

/** The upstream's error as the same S3 error, so clients of Herald see what the store said. */
function translate(error: unknown): never {
  if (error instanceof AppError) throw error;
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode ?? 500;
    const code: ErrorCode = KNOWN.has(error.name) ? (error.name as ErrorCode) : error.name === "AccessDenied" ? "Forbidden" : (STATUS_CODES[status] ?? (status >= 500 ? "InternalError" : "InvalidRequest"));
    throw new AppError(code, error.message || code, { cause: error });
  }
  throw new AppError("InternalError", "the upstream store could not be reached", { cause: error });
}

async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    translate(error);
  }
}

const quoteless = (eTag: string) => eTag.replace(/^"|"$/g, "");
const copySource = (ref: ObjectRef) => `${ref.bucket}/${encodeURIComponent(ref.key).replace(/%2F/g, "/")}`;
const rangeHeader = (range: ByteRange | undefined) => (range ? `bytes=${range.start}-${range.end}` : undefined);

/**
 * Fronts another S3-compatible service: every operation is forwarded through
 * the AWS SDK, bodies streamed through, so Herald adds notifications to a
 * store it does not own.
 */
export class UpstreamStore implements ObjectStore {
  private readonly client: S3Client;

  constructor(options: UpstreamOptions) {
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      forcePathStyle: true,
      // Bodies are forwarded as they stream in, with their length known: no trailing checksums to compute.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const out = await call(() => this.client.send(new ListBucketsCommand({})));
    return (out.Buckets ?? []).map((b) => ({ name: b.Name ?? "", createdAt: b.CreationDate ?? new Date(0) }));
  }

  async createBucket(bucket: string): Promise<void> {
    await call(() => this.client.send(new CreateBucketCommand({ Bucket: bucket })));
  }

  async headBucket(bucket: string): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      // HEAD answers carry no error code: a 404 on a bucket is NoSuchBucket.
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) throw new AppError("NoSuchBucket", "The specified bucket does not exist");
      translate(error);
    }
  }

  async deleteBucket(bucket: string): Promise<void> {
    await call(() => this.client.send(new DeleteBucketCommand({ Bucket: bucket })));
  }

  async listObjects(bucket: string, options: ListObjectsOptions): Promise<ListObjectsResult> {
    const out = await call(() =>
      this.client.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: options.prefix,
          Delimiter: options.delimiter,
          MaxKeys: options.maxKeys,
          StartAfter: options.startAfter,
          ContinuationToken: options.continuationToken,
        }),
      ),
    );
    return {
      objects: (out.Contents ?? []).map((o) => ({
        bucket,
        key: o.Key ?? "",
        size: o.Size ?? 0,
        eTag: o.ETag ?? '""',
        lastModified: o.LastModified ?? new Date(0),
        contentType: "",
        metadata: {},
      })),
      commonPrefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? ""),
      isTruncated: out.IsTruncated ?? false,
      nextContinuationToken: out.NextContinuationToken,
    };
  }

  async putObject(bucket: string, key: string, body: Readable, options: PutOptions): Promise<ObjectInfo> {
    if (options.size === undefined) throw new AppError("MissingContentLength", "You must provide the Content-Length HTTP header");
    await call(() =>
      this.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentLength: options.size,
          ContentType: options.contentType,
          ContentMD5: options.contentMd5,
          Metadata: options.metadata,
        }),
      ),
    );
    return this.headObject(bucket, key);
  }

  async getObject(bucket: string, key: string, choice?: RangeChoice): Promise<{ info: ObjectInfo; body: Readable; range: ByteRange | undefined }> {
    // Choosing from metadata needs the upstream's HEAD first: it has no way to run our choice between its two steps.
    const range = typeof choice === "function" ? choice(await this.headObject(bucket, key)) : choice;
    const out = await call(() => this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: rangeHeader(range) })));
    const size = range ? Number(/\/(\d+)$/.exec(out.ContentRange ?? "")?.[1] ?? out.ContentLength ?? 0) : (out.ContentLength ?? 0);
    return {
      info: { bucket, key, size, eTag: out.ETag ?? '""', lastModified: out.LastModified ?? new Date(0), contentType: out.ContentType ?? "application/octet-stream", metadata: out.Metadata ?? {} },
      body: out.Body as Readable,
      range,
    };
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return { bucket, key, size: out.ContentLength ?? 0, eTag: out.ETag ?? '""', lastModified: out.LastModified ?? new Date(0), contentType: out.ContentType ?? "application/octet-stream", metadata: out.Metadata ?? {} };
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) {
        await this.headBucket(bucket);
        throw new AppError("NoSuchKey", "The specified key does not exist.");
      }
      translate(error);
    }
  }

  async deleteObject(bucket: string, key: string): Promise<{ existed: boolean }> {
    const existed = await this.headObject(bucket, key).then(
      () => true,
      (error: unknown) => {
        if (error instanceof AppError && error.code === "NoSuchKey") return false;
        throw error;
      },
    );
    await call(() => this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
    return { existed };
  }

  async copyObject(source: ObjectRef, target: ObjectRef, options: CopyOptions): Promise<ObjectInfo> {
    await call(() =>
      this.client.send(
        new CopyObjectCommand({
          Bucket: target.bucket,
          Key: target.key,
          CopySource: copySource(source),
          MetadataDirective: options.metadataDirective,
          ...(options.metadataDirective === "REPLACE" ? { ContentType: options.contentType, Metadata: options.metadata } : {}),
        }),
      ),
    );
    return this.headObject(target.bucket, target.key);
  }

  async createMultipartUpload(bucket: string, key: string, options: PutOptions): Promise<{ uploadId: string }> {
    const out = await call(() => this.client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: options.contentType, Metadata: options.metadata })));
    return { uploadId: out.UploadId ?? "" };
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, options: PartOptions): Promise<PartInfo> {
    if (options.size === undefined) throw new AppError("MissingContentLength", "You must provide the Content-Length HTTP header");
    const out = await call(() =>
      this.client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: options.size, ContentMD5: options.contentMd5 })),
    );
    return { partNumber, eTag: out.ETag ?? '""', size: options.size, lastModified: new Date() };
  }

  async uploadPartCopy(source: ObjectRef, bucket: string, key: string, uploadId: string, partNumber: number, range?: ByteRange): Promise<PartInfo> {
    const out = await call(() =>
      this.client.send(
        new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, CopySource: copySource(source), CopySourceRange: rangeHeader(range) }),
      ),
    );
    const size = range ? range.end - range.start + 1 : (await this.headObject(source.bucket, source.key)).size;
    return { partNumber, eTag: out.CopyPartResult?.ETag ?? '""', size, lastModified: out.CopyPartResult?.LastModified ?? new Date() };
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly { partNumber: number; eTag: string }[]): Promise<ObjectInfo> {
    await call(() =>
      this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: `"${quoteless(p.eTag)}"` })) },
        }),
      ),
    );
    return this.headObject(bucket, key);
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    await call(() => this.client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })));
  }

  async listParts(bucket: string, key: string, uploadId: string, options: { maxParts?: number; partNumberMarker?: number }): Promise<ListPartsResult> {
    const out = await call(() =>
      this.client.send(
        new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MaxParts: options.maxParts, PartNumberMarker: options.partNumberMarker?.toString() }),
      ),
    );
    return {
      parts: (out.Parts ?? []).map((p) => ({ partNumber: p.PartNumber ?? 0, eTag: p.ETag ?? '""', size: p.Size ?? 0, lastModified: p.LastModified ?? new Date(0) })),
      isTruncated: out.IsTruncated ?? false,
      nextPartNumberMarker: out.NextPartNumberMarker === undefined ? undefined : Number(out.NextPartNumberMarker),
    };
  }

  async listMultipartUploads(bucket: string, options: { prefix?: string; maxUploads?: number; keyMarker?: string; uploadIdMarker?: string }): Promise<ListUploadsResult> {
    const out = await call(() =>
      this.client.send(
        new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: options.prefix, MaxUploads: options.maxUploads, KeyMarker: options.keyMarker, UploadIdMarker: options.uploadIdMarker }),
      ),
    );
    return {
      uploads: (out.Uploads ?? []).map((u) => ({ key: u.Key ?? "", uploadId: u.UploadId ?? "", initiated: u.Initiated ?? new Date(0) })),
      isTruncated: out.IsTruncated ?? false,
    };
  }

  async getObjectTagging(bucket: string, key: string): Promise<Record<string, string>> {
    const out = await call(() => this.client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key })));
    return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  }

  async putObjectTagging(bucket: string, key: string, tags: Record<string, string>): Promise<void> {
    await call(() =>
      this.client.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } })),
    );
  }

  async deleteObjectTagging(bucket: string, key: string): Promise<void> {
    await call(() => this.client.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: key })));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
