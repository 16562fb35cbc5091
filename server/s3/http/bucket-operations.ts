import { text } from "node:stream/consumers";
import { AppError } from "../../errors/app-error.ts";
import type { S3Call } from "./s3-call.ts";
import { sendEmpty, sendXml } from "./s3-response.ts";
import { isoDate, parseS3Xml, s3Xml } from "./s3-xml.ts";

const OWNER = { ID: "herald", DisplayName: "herald" };

export async function listBuckets(call: S3Call): Promise<void> {
  const buckets = await call.deps.store.listBuckets();
  sendXml(
    call.res,
    200,
    s3Xml("ListAllMyBucketsResult", {
      Owner: OWNER,
      Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: isoDate(b.createdAt) })) },
    }),
  );
}

export async function createBucket(call: S3Call, bucket: string): Promise<void> {
  // A CreateBucketConfiguration (LocationConstraint) is accepted and ignored: Herald has one region.
  await text(call.body());
  await call.deps.store.createBucket(bucket);
  await call.emit("s3:BucketCreated:*");
  sendEmpty(call.res, 200, { location: `/${bucket}` });
}

export async function headBucket(call: S3Call, bucket: string): Promise<void> {
  await call.deps.store.headBucket(bucket);
  sendEmpty(call.res, 200, { "x-amz-bucket-region": call.deps.options.region });
}

export async function deleteBucket(call: S3Call, bucket: string): Promise<void> {
  await call.deps.store.deleteBucket(bucket);
  await call.emit("s3:BucketRemoved:*");
  sendEmpty(call.res, 204);
}

export async function getBucketLocation(call: S3Call, bucket: string): Promise<void> {
  await call.deps.store.headBucket(bucket);
  const region = call.deps.options.region;
  sendXml(call.res, 200, s3Xml("LocationConstraint", region === "us-east-1" ? {} : { "#text": region }));
}

/** ListObjectsV2 (`list-type=2`) and the original ListObjects (marker), from one store listing. */
export async function listObjects(call: S3Call, bucket: string): Promise<void> {
  const q = call.target.query;
  const v2 = q.get("list-type") === "2";
  const maxKeysRaw = q.get("max-keys");
  const maxKeys = maxKeysRaw === null ? 1000 : Number(maxKeysRaw);
  if (!Number.isInteger(maxKeys) || maxKeys < 0) throw new AppError("InvalidArgument", "max-keys must be a non-negative integer", { field: "max-keys" });
  const urlEncode = q.get("encoding-type") === "url";
  const encode = (value: string) => (urlEncode ? encodeURIComponent(value).replace(/%2F/g, "/") : value);
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? undefined;
  const result = await call.deps.store.listObjects(bucket, {
    prefix,
    delimiter,
    maxKeys: Math.min(maxKeys, 1000),
    startAfter: (v2 ? q.get("start-after") : q.get("marker")) ?? undefined,
    continuationToken: (v2 ? q.get("continuation-token") : undefined) ?? undefined,
  });
  const contents = result.objects.map((o) => ({
    Key: encode(o.key),
    LastModified: isoDate(o.lastModified),
    ETag: o.eTag,
    Size: o.size,
    StorageClass: "STANDARD",
    ...(v2 ? {} : { Owner: OWNER }),
  }));
  const common = result.commonPrefixes.map((p) => ({ Prefix: encode(p) }));
  const shared = {
    Name: bucket,
    Prefix: encode(prefix),
    ...(delimiter === undefined ? {} : { Delimiter: encode(delimiter) }),
    MaxKeys: maxKeys,
    ...(urlEncode ? { EncodingType: "url" } : {}),
    IsTruncated: result.isTruncated,
    Contents: contents,
    CommonPrefixes: common,
  };
  const body = v2
    ? {
        ...shared,
        KeyCount: contents.length + common.length,
        ...(q.has("continuation-token") ? { ContinuationToken: q.get("continuation-token") } : {}),
        ...(result.nextContinuationToken ? { NextContinuationToken: result.nextContinuationToken } : {}),
        ...(q.has("start-after") ? { StartAfter: encode(q.get("start-after") ?? "") } : {}),
      }
    : {
        ...shared,
        Marker: encode(q.get("marker") ?? ""),
        ...(result.isTruncated && delimiter !== undefined
          ? { NextMarker: encode([...result.objects.map((o) => o.key), ...result.commonPrefixes].sort().at(-1) ?? "") }
          : {}),
      };
  sendXml(call.res, 200, s3Xml("ListBucketResult", body));
}

export async function getBucketNotification(call: S3Call, bucket: string): Promise<void> {
  await call.deps.store.headBucket(bucket);
  sendXml(call.res, 200, await call.deps.engine.bucketConfigXml(bucket));
}

/** PutBucketNotificationConfiguration: the engine's XML import, validation and Herald ARNs. */
export async function putBucketNotification(call: S3Call, bucket: string): Promise<void> {
  await call.deps.store.headBucket(bucket);
  const xml = await text(call.body());
  await call.deps.engine.putBucketConfigXml(bucket, xml);
  sendEmpty(call.res, 200);
}

/** DeleteObjects: every key is deleted (a missing one counts as deleted, as in S3) and gets its event. */
export async function deleteObjects(call: S3Call, bucket: string): Promise<void> {
  const doc = parseS3Xml(await text(call.body()), "Delete");
  const objects = (doc.Object as { Key?: unknown }[] | undefined) ?? [];
  if (objects.length > 1000) throw new AppError("MalformedXML", "a DeleteObjects request names at most 1000 keys");
  const quiet = String(doc.Quiet ?? "false").toLowerCase() === "true";
  await call.deps.store.headBucket(bucket);
  const deleted: { Key: string }[] = [];
  const errors: { Key: string; Code: string; Message: string }[] = [];
  for (const object of objects) {
    const key = typeof object.Key === "string" ? object.Key : undefined;
    if (!key) {
      errors.push({ Key: "", Code: "InvalidArgument", Message: "an Object without a Key" });
      continue;
    }
    try {
      await call.deps.store.deleteObject(bucket, key);
      await call.emit("s3:ObjectRemoved:Delete", { key });
      deleted.push({ Key: key });
    } catch (error) {
      const app = error instanceof AppError ? error : new AppError("InternalError", "internal error");
      errors.push({ Key: key, Code: app.code, Message: app.message });
    }
  }
  sendXml(call.res, 200, s3Xml("DeleteResult", { ...(quiet ? {} : { Deleted: deleted }), Error: errors }));
}
