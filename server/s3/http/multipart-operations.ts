import { text } from "node:stream/consumers";
import { AppError } from "../../errors/app-error.ts";
import { header, userMetadata } from "./s3-request.ts";
import type { S3Call } from "./s3-call.ts";
import { checkKey, copySource, parseRange } from "./object-operations.ts";
import { sendEmpty, sendXml } from "./s3-response.ts";
import { isoDate, parseS3Xml, s3Xml } from "./s3-xml.ts";

function partNumberOf(call: S3Call): number {
  const n = Number(call.target.query.get("partNumber"));
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new AppError("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", { field: "partNumber" });
  return n;
}

function uploadIdOf(call: S3Call): string {
  const id = call.target.query.get("uploadId");
  if (!id) throw new AppError("InvalidArgument", "uploadId is required", { field: "uploadId" });
  return id;
}

export async function createMultipartUpload(call: S3Call, bucket: string, key: string): Promise<void> {
  checkKey(key);
  await text(call.body());
  const { uploadId } = await call.deps.store.createMultipartUpload(bucket, key, {
    contentType: header(call.req, "content-type") ?? "application/octet-stream",
    metadata: userMetadata(call.req.headers),
  });
  sendXml(call.res, 200, s3Xml("InitiateMultipartUploadResult", { Bucket: bucket, Key: key, UploadId: uploadId }));
}

export async function uploadPart(call: S3Call, bucket: string, key: string): Promise<void> {
  const part = await call.deps.store.uploadPart(bucket, key, uploadIdOf(call), partNumberOf(call), call.body(), {
    contentMd5: header(call.req, "content-md5"),
    size: call.bodyLength(),
  });
  sendEmpty(call.res, 200, { etag: part.eTag });
}

export async function uploadPartCopy(call: S3Call, bucket: string, key: string): Promise<void> {
  const source = copySource(call);
  await text(call.body());
  const rangeHeader = header(call.req, "x-amz-copy-source-range");
  const range = rangeHeader ? parseRange(rangeHeader, (await call.deps.store.headObject(source.bucket, source.key)).size) : undefined;
  const part = await call.deps.store.uploadPartCopy(source, bucket, key, uploadIdOf(call), partNumberOf(call), range);
  sendXml(call.res, 200, s3Xml("CopyPartResult", { LastModified: isoDate(part.lastModified), ETag: part.eTag }));
}

export async function completeMultipartUpload(call: S3Call, bucket: string, key: string): Promise<void> {
  const doc = parseS3Xml(await text(call.body()), "CompleteMultipartUpload");
  const parts = ((doc.Part as { PartNumber?: unknown; ETag?: unknown }[] | undefined) ?? []).map((p) => ({
    partNumber: Number(p.PartNumber),
    eTag: String(p.ETag ?? ""),
  }));
  if (parts.length === 0 || parts.some((p) => !Number.isInteger(p.partNumber))) {
    throw new AppError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
  }
  const info = await call.deps.store.completeMultipartUpload(bucket, key, uploadIdOf(call), parts);
  await call.emit("s3:ObjectCreated:CompleteMultipartUpload", { key: info.key, size: info.size, eTag: info.eTag, contentType: info.contentType, metadata: info.metadata });
  sendXml(call.res, 200, s3Xml("CompleteMultipartUploadResult", { Location: `/${bucket}/${key}`, Bucket: bucket, Key: key, ETag: info.eTag }));
}

export async function abortMultipartUpload(call: S3Call, bucket: string, key: string): Promise<void> {
  await call.deps.store.abortMultipartUpload(bucket, key, uploadIdOf(call));
  sendEmpty(call.res, 204);
}

export async function listParts(call: S3Call, bucket: string, key: string): Promise<void> {
  const q = call.target.query;
  const maxParts = q.has("max-parts") ? Number(q.get("max-parts")) : 1000;
  const marker = q.has("part-number-marker") ? Number(q.get("part-number-marker")) : undefined;
  const uploadId = uploadIdOf(call);
  const result = await call.deps.store.listParts(bucket, key, uploadId, { maxParts, ...(marker === undefined ? {} : { partNumberMarker: marker }) });
  sendXml(
    call.res,
    200,
    s3Xml("ListPartsResult", {
      Bucket: bucket,
      Key: key,
      UploadId: uploadId,
      MaxParts: maxParts,
      IsTruncated: result.isTruncated,
      ...(result.nextPartNumberMarker === undefined ? {} : { NextPartNumberMarker: result.nextPartNumberMarker }),
      Part: result.parts.map((p) => ({ PartNumber: p.partNumber, LastModified: isoDate(p.lastModified), ETag: p.eTag, Size: p.size })),
    }),
  );
}

export async function listMultipartUploads(call: S3Call, bucket: string): Promise<void> {
  const q = call.target.query;
  const result = await call.deps.store.listMultipartUploads(bucket, {
    ...(q.has("prefix") ? { prefix: q.get("prefix")! } : {}),
    ...(q.has("max-uploads") ? { maxUploads: Number(q.get("max-uploads")) } : {}),
    ...(q.has("key-marker") ? { keyMarker: q.get("key-marker")! } : {}),
    ...(q.has("upload-id-marker") ? { uploadIdMarker: q.get("upload-id-marker")! } : {}),
  });
  sendXml(
    call.res,
    200,
    s3Xml("ListMultipartUploadsResult", {
      Bucket: bucket,
      IsTruncated: result.isTruncated,
      Upload: result.uploads.map((u) => ({ Key: u.key, UploadId: u.uploadId, Initiated: isoDate(u.initiated), StorageClass: "STANDARD" })),
    }),
  );
}
