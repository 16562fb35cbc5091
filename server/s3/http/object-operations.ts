import { pipeline } from "node:stream/promises";
import { text } from "node:stream/consumers";
import { AppError } from "../../errors/app-error.ts";
import type { ByteRange, ObjectInfo, ObjectRef } from "../storage/object-store.ts";
import type { S3Call } from "./s3-call.ts";
import { header, userMetadata } from "./s3-request.ts";
import { sendEmpty, sendXml } from "./s3-response.ts";
import { isoDate, parseS3Xml, s3Xml } from "./s3-xml.ts";

const MAX_KEY_BYTES = 1024;

export function checkKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) throw new AppError("KeyTooLongError", `Your key is too long: at most ${MAX_KEY_BYTES} bytes`);
}

function objectHeaders(info: ObjectInfo): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    etag: info.eTag,
    "last-modified": info.lastModified.toUTCString(),
    "content-type": info.contentType,
    "accept-ranges": "bytes",
  };
  for (const [name, value] of Object.entries(info.metadata)) headers[`x-amz-meta-${name}`] = value;
  return headers;
}

function eventObject(info: ObjectInfo) {
  return { key: info.key, size: info.size, eTag: info.eTag, contentType: info.contentType, metadata: info.metadata };
}

export async function putObject(call: S3Call, bucket: string, key: string): Promise<void> {
  checkKey(key);
  const info = await call.deps.store.putObject(bucket, key, call.body(), {
    contentType: header(call.req, "content-type") ?? "application/octet-stream",
    metadata: userMetadata(call.req.headers),
    contentMd5: header(call.req, "content-md5"),
    size: call.bodyLength(),
  });
  await call.emit("s3:ObjectCreated:Put", eventObject(info));
  sendEmpty(call.res, 200, { etag: info.eTag });
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` against the object size; anything else is ignored as S3 does, unsatisfiable is 416. */
export function parseRange(value: string | undefined, size: number): ByteRange | undefined {
  if (!value) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) throw new AppError("InvalidRange", "The requested range is not satisfiable");
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== "" && Number(match[2]) < start) return undefined;
  }
  if (start >= size || size === 0) throw new AppError("InvalidRange", "The requested range is not satisfiable");
  return { start, end };
}

const unquote = (etag: string) => etag.replace(/^"|"$/g, "");

/** If-Match / If-None-Match / If-(Un)Modified-Since, in the order and with the precedence S3 applies. */
function checkPreconditions(call: S3Call, info: ObjectInfo): void {
  const ifMatch = header(call.req, "if-match");
  const ifNoneMatch = header(call.req, "if-none-match");
  const ifModifiedSince = header(call.req, "if-modified-since");
  const ifUnmodifiedSince = header(call.req, "if-unmodified-since");
  const etag = unquote(info.eTag);
  const lastModified = Math.floor(info.lastModified.getTime() / 1000) * 1000;
  const matches = (list: string) => list.split(",").some((e) => e.trim() === "*" || unquote(e.trim()) === etag);
  if (ifMatch !== undefined && !matches(ifMatch)) throw new AppError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && Date.parse(ifUnmodifiedSince) < lastModified) {
    throw new AppError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold");
  }
  if (ifNoneMatch !== undefined && matches(ifNoneMatch)) throw new AppError("NotModified", "Not Modified");
  if (ifNoneMatch === undefined && ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= lastModified) {
    throw new AppError("NotModified", "Not Modified");
  }
}

export async function headObject(call: S3Call, bucket: string, key: string): Promise<void> {
  const info = await call.deps.store.headObject(bucket, key);
  checkPreconditions(call, info);
  if (call.deps.options.accessEvents) await call.emit("s3:ObjectAccessed:Head", eventObject(info));
  sendEmpty(call.res, 200, { ...objectHeaders(info), "content-length": info.size });
}

export async function getObject(call: S3Call, bucket: string, key: string): Promise<void> {
  // Preconditions and Range are judged against the version the store opened, in one open.
  const { info, body, range } = await call.deps.store.getObject(bucket, key, (head) => {
    checkPreconditions(call, head);
    try {
      return parseRange(header(call.req, "range"), head.size);
    } catch (error) {
      call.res.setHeader("content-range", `bytes */${head.size}`);
      throw error;
    }
  });
  if (call.deps.options.accessEvents) {
    try {
      await call.emit("s3:ObjectAccessed:Get", eventObject(info));
    } catch (error) {
      body.destroy();
      throw error;
    }
  }
  const headers = objectHeaders(info);
  if (range) {
    call.res.writeHead(206, { ...headers, "content-length": range.end - range.start + 1, "content-range": `bytes ${range.start}-${range.end}/${info.size}` });
  } else {
    call.res.writeHead(200, { ...headers, "content-length": info.size });
  }
  await pipeline(body, call.res);
}

export async function deleteObject(call: S3Call, bucket: string, key: string): Promise<void> {
  await call.deps.store.headBucket(bucket);
  await call.deps.store.deleteObject(bucket, key);
  await call.emit("s3:ObjectRemoved:Delete", { key });
  sendEmpty(call.res, 204);
}

/** `x-amz-copy-source: /bucket/key` or `bucket/key`, percent-encoded. */
export function copySource(call: S3Call): ObjectRef {
  const raw = header(call.req, "x-amz-copy-source") ?? "";
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw.split("?")[0] ?? "");
  } catch {
    throw new AppError("InvalidArgument", "x-amz-copy-source is not valid percent-encoding", { field: "x-amz-copy-source" });
  }
  const path = decoded.replace(/^\//, "");
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) throw new AppError("InvalidArgument", "x-amz-copy-source must be bucket/key", { field: "x-amz-copy-source" });
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

export async function copyObject(call: S3Call, bucket: string, key: string): Promise<void> {
  checkKey(key);
  const source = copySource(call);
  const directive = (header(call.req, "x-amz-metadata-directive") ?? "COPY").toUpperCase();
  if (directive !== "COPY" && directive !== "REPLACE") throw new AppError("InvalidArgument", "x-amz-metadata-directive must be COPY or REPLACE");
  await text(call.body());
  const info = await call.deps.store.copyObject(source, { bucket, key }, {
    metadataDirective: directive,
    contentType: header(call.req, "content-type"),
    metadata: userMetadata(call.req.headers),
  });
  await call.emit("s3:ObjectCreated:Copy", eventObject(info));
  sendXml(call.res, 200, s3Xml("CopyObjectResult", { LastModified: isoDate(info.lastModified), ETag: info.eTag }));
}

export async function getObjectTagging(call: S3Call, bucket: string, key: string): Promise<void> {
  const tags = await call.deps.store.getObjectTagging(bucket, key);
  sendXml(call.res, 200, s3Xml("Tagging", { TagSet: { Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } }));
}

export async function putObjectTagging(call: S3Call, bucket: string, key: string): Promise<void> {
  const doc = parseS3Xml(await text(call.body()), "Tagging");
  const tagSet = doc.TagSet as { Tag?: { Key?: unknown; Value?: unknown }[] } | undefined;
  const tags: Record<string, string> = {};
  for (const tag of tagSet?.Tag ?? []) {
    if (typeof tag.Key !== "string" || tag.Key === "") throw new AppError("MalformedXML", "every Tag needs a Key");
    if (tag.Key in tags) throw new AppError("InvalidArgument", `duplicate tag key ${tag.Key}`);
    tags[tag.Key] = typeof tag.Value === "string" ? tag.Value : "";
  }
  if (Object.keys(tags).length > 10) throw new AppError("InvalidArgument", "an object can have at most 10 tags");
  await call.deps.store.putObjectTagging(bucket, key, tags);
  const info = await call.deps.store.headObject(bucket, key);
  await call.emit("s3:ObjectTagging:Put", eventObject(info));
  sendEmpty(call.res, 200);
}

export async function deleteObjectTagging(call: S3Call, bucket: string, key: string): Promise<void> {
  await call.deps.store.deleteObjectTagging(bucket, key);
  const info = await call.deps.store.headObject(bucket, key);
  await call.emit("s3:ObjectTagging:Delete", eventObject(info));
  sendEmpty(call.res, 204);
}

/** ACLs are accepted for compatibility (Herald has one owner) and emit their event. */
export async function putObjectAcl(call: S3Call, bucket: string, key: string): Promise<void> {
  await text(call.body());
  const info = await call.deps.store.headObject(bucket, key);
  await call.emit("s3:ObjectAcl:Put", eventObject(info));
  sendEmpty(call.res, 200);
}

export async function getObjectAcl(call: S3Call, bucket: string, key: string): Promise<void> {
  await call.deps.store.headObject(bucket, key);
  const owner = { ID: "herald", DisplayName: "herald" };
  sendXml(
    call.res,
    200,
    s3Xml("AccessControlPolicy", {
      Owner: owner,
      AccessControlList: { Grant: { Grantee: { "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "@_xsi:type": "CanonicalUser", ...owner }, Permission: "FULL_CONTROL" } },
    }),
  );
}
