import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetBucketNotificationConfigurationCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpReceiver, type HttpReceiver } from "../../test/support/http-receiver.ts";
import { startTestHerald, waitUntil, type TestHerald } from "../../test/support/test-herald.ts";
import { createS3Endpoint, type S3Endpoint } from "./create-s3-endpoint.ts";

let herald: TestHerald;
let endpoint: S3Endpoint;
let receiver: HttpReceiver;
let url: string;
let s3: S3Client;
const ARN = "arn:herald:sqs:us-east-1:s3hook:webhook";
const ACCESS_KEY = "HERALDTESTKEY";
const SECRET = "herald-test-secret-0123456789";

interface DeliveredRecord {
  eventName: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer: string } };
}

/** Every record the webhook got, in arrival order. */
function records(): DeliveredRecord[] {
  return receiver.requests.flatMap((r) => ((r.body as { Records?: DeliveredRecord[] } | undefined)?.Records ?? []));
}

async function eventsFor(bucket: string, count: number): Promise<DeliveredRecord[]> {
  await waitUntil(() => records().filter((r) => r.s3.bucket.name === bucket).length >= count, `${count} events for ${bucket}`);
  return records().filter((r) => r.s3.bucket.name === bucket);
}

function md5(body: Buffer | string): string {
  return createHash("md5").update(body).digest("hex");
}

async function routeBucket(bucket: string): Promise<void> {
  await herald.engine.putBucketConfig(bucket, { rules: [{ id: "all", events: ["Everything"], targetArns: [ARN] }] });
}

beforeAll(async () => {
  herald = await startTestHerald({ HERALD_S3_ACCESS_KEYS: `${ACCESS_KEY}:${SECRET}` });
  receiver = await startHttpReceiver();
  await herald.engine.createTarget({ id: "s3hook", type: "webhook", config: { endpoint: receiver.url, healthCheck: "none" } });
  endpoint = await createS3Endpoint(herald);
  await new Promise<void>((resolve) => endpoint.server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(endpoint.server.address() as AddressInfo).port}`;
  s3 = new S3Client({ endpoint: url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET } });
});

afterAll(async () => {
  s3?.destroy();
  await endpoint?.close();
  await receiver?.stop();
  await herald?.stop();
});

describe("the S3 endpoint driven by the AWS SDK for JavaScript v3", () => {
  it("creates, lists, heads and deletes buckets, emitting bucket events", async () => {
    await routeBucket("life");
    await s3.send(new CreateBucketCommand({ Bucket: "life" }));
    await expect(s3.send(new CreateBucketCommand({ Bucket: "life" }))).rejects.toMatchObject({ name: "BucketAlreadyOwnedByYou" });
    await s3.send(new HeadBucketCommand({ Bucket: "life" }));
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    expect(Buckets?.map((b) => b.Name)).toContain("life");
    await s3.send(new PutObjectCommand({ Bucket: "life", Key: "k", Body: "x" }));
    await expect(s3.send(new DeleteBucketCommand({ Bucket: "life" }))).rejects.toMatchObject({ name: "BucketNotEmpty" });
    await s3.send(new DeleteObjectCommand({ Bucket: "life", Key: "k" }));
    await s3.send(new DeleteBucketCommand({ Bucket: "life" }));
    await expect(s3.send(new HeadBucketCommand({ Bucket: "life" }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    const events = await eventsFor("life", 4);
    expect(events.map((e) => e.eventName)).toEqual(["s3:BucketCreated:*", "s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete", "s3:BucketRemoved:*"]);
  });

  it("puts and gets objects with special keys; the event has the URL-encoded key, size, eTag and per-key sequencer order", async () => {
    await routeBucket("photos");
    await s3.send(new CreateBucketCommand({ Bucket: "photos" }));
    const keys = ["2026/my cat.jpg", "a+b%c/ü/日本.txt", "deep/dir/", "x"];
    for (const key of keys) {
      const body = `body of ${key}`;
      const put = await s3.send(new PutObjectCommand({ Bucket: "photos", Key: key, Body: body, ContentType: "text/plain", Metadata: { owner: "ann" } }));
      expect(put.ETag).toBe(`"${md5(body)}"`);
      const got = await s3.send(new GetObjectCommand({ Bucket: "photos", Key: key }));
      expect(await got.Body!.transformToString()).toBe(body);
      expect(got.ContentType).toBe("text/plain");
      expect(got.Metadata).toEqual({ owner: "ann" });
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "photos" }));
    expect(listed.Contents?.map((c) => c.Key).sort()).toEqual([...keys].sort());
    const events = (await eventsFor("photos", keys.length + 1)).filter((e) => e.eventName === "s3:ObjectCreated:Put");
    expect(events.map((e) => e.s3.object.key)).toEqual(keys.map((k) => encodeURIComponent(k).replace(/%2F/g, "/").replace(/%20/g, "+")));
    expect(events[0]!.s3.object).toMatchObject({ size: `body of ${keys[0]}`.length, eTag: md5(`body of ${keys[0]}`) });
    const sequencers = events.map((e) => e.s3.object.sequencer);
    expect([...sequencers].sort()).toEqual(sequencers);
  });

  it("serves ranges and conditional requests", async () => {
    await s3.send(new PutObjectCommand({ Bucket: "photos", Key: "range.bin", Body: "0123456789" }));
    const part = await s3.send(new GetObjectCommand({ Bucket: "photos", Key: "range.bin", Range: "bytes=2-5" }));
    expect(await part.Body!.transformToString()).toBe("2345");
    expect(part.ContentRange).toBe("bytes 2-5/10");
    const head = await s3.send(new HeadObjectCommand({ Bucket: "photos", Key: "range.bin" }));
    await expect(s3.send(new GetObjectCommand({ Bucket: "photos", Key: "range.bin", IfNoneMatch: head.ETag }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 304 } });
    await expect(s3.send(new GetObjectCommand({ Bucket: "photos", Key: "range.bin", IfMatch: '"nope"' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    await expect(s3.send(new GetObjectCommand({ Bucket: "photos", Key: "range.bin", Range: "bytes=50-60" }))).rejects.toMatchObject({ name: "InvalidRange" });
    await expect(s3.send(new GetObjectCommand({ Bucket: "photos", Key: "missing" }))).rejects.toMatchObject({ name: "NoSuchKey" });
  });

  it("copies with COPY and REPLACE metadata, tags, sets ACLs and deletes many, each with its event", async () => {
    await routeBucket("docs");
    await s3.send(new CreateBucketCommand({ Bucket: "docs" }));
    await s3.send(new PutObjectCommand({ Bucket: "docs", Key: "src", Body: "source", ContentType: "text/plain", Metadata: { a: "1" } }));
    await s3.send(new CopyObjectCommand({ Bucket: "docs", Key: "copy", CopySource: "docs/src" }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: "docs", Key: "copy" }))).Metadata).toEqual({ a: "1" });
    await s3.send(new CopyObjectCommand({ Bucket: "docs", Key: "replaced", CopySource: "docs/src", MetadataDirective: "REPLACE", Metadata: { b: "2" }, ContentType: "text/markdown" }));
    const replaced = await s3.send(new HeadObjectCommand({ Bucket: "docs", Key: "replaced" }));
    expect([replaced.Metadata, replaced.ContentType]).toEqual([{ b: "2" }, "text/markdown"]);
    await s3.send(new PutObjectTaggingCommand({ Bucket: "docs", Key: "src", Tagging: { TagSet: [{ Key: "team", Value: "ops" }] } }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: "docs", Key: "src" }))).TagSet).toEqual([{ Key: "team", Value: "ops" }]);
    await s3.send(new DeleteObjectTaggingCommand({ Bucket: "docs", Key: "src" }));
    await s3.send(new PutObjectAclCommand({ Bucket: "docs", Key: "src", ACL: "private" }));
    const deleted = await s3.send(new DeleteObjectsCommand({ Bucket: "docs", Delete: { Objects: [{ Key: "copy" }, { Key: "replaced" }] } }));
    expect(deleted.Deleted?.map((d) => d.Key).sort()).toEqual(["copy", "replaced"]);
    const events = await eventsFor("docs", 9);
    expect(events.map((e) => e.eventName)).toEqual([
      "s3:BucketCreated:*",
      "s3:ObjectCreated:Put",
      "s3:ObjectCreated:Copy",
      "s3:ObjectCreated:Copy",
      "s3:ObjectTagging:Put",
      "s3:ObjectTagging:Delete",
      "s3:ObjectAcl:Put",
      "s3:ObjectRemoved:Delete",
      "s3:ObjectRemoved:Delete",
    ]);
  });

  it("uploads in parts (and a copied part), with the multipart ETag and one CompleteMultipartUpload event", async () => {
    await routeBucket("big");
    await s3.send(new CreateBucketCommand({ Bucket: "big" }));
    const partSize = 5 * 1024 * 1024;
    const part1 = Buffer.alloc(partSize, "a");
    const part3 = Buffer.from("the end");
    await s3.send(new PutObjectCommand({ Bucket: "big", Key: "five-mib", Body: Buffer.alloc(partSize, "b") }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "big", Key: "movie.mp4", ContentType: "video/mp4" }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket: "big", Key: "movie.mp4", UploadId, PartNumber: 1, Body: part1 }));
    const p2 = await s3.send(new UploadPartCopyCommand({ Bucket: "big", Key: "movie.mp4", UploadId, PartNumber: 2, CopySource: "big/five-mib" }));
    const p3 = await s3.send(new UploadPartCommand({ Bucket: "big", Key: "movie.mp4", UploadId, PartNumber: 3, Body: part3 }));
    const parts = await s3.send(new ListPartsCommand({ Bucket: "big", Key: "movie.mp4", UploadId }));
    expect(parts.Parts?.map((p) => p.PartNumber)).toEqual([1, 2, 3]);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: "big" }))).Uploads?.map((u) => u.Key)).toEqual(["movie.mp4"]);
    await expect(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: "big", Key: "movie.mp4", UploadId, MultipartUpload: { Parts: [{ PartNumber: 3, ETag: p3.ETag }, { PartNumber: 1, ETag: p1.ETag }] } })),
    ).rejects.toMatchObject({ name: "InvalidPartOrder" });
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "big",
        Key: "movie.mp4",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.CopyPartResult?.ETag }, { PartNumber: 3, ETag: p3.ETag }] },
      }),
    );
    const partMd5s = Buffer.concat([part1, Buffer.alloc(partSize, "b"), part3].map((p) => createHash("md5").update(p).digest()));
    expect(done.ETag).toBe(`"${md5(partMd5s)}-3"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: "big", Key: "movie.mp4" }));
    expect([head.ContentLength, head.ContentType]).toEqual([2 * partSize + part3.length, "video/mp4"]);
    // Over 8 MiB, so served from memory maps of the stored file: whole, and from an unaligned offset.
    const whole = Buffer.concat([part1, Buffer.alloc(partSize, "b"), part3]);
    const got = await s3.send(new GetObjectCommand({ Bucket: "big", Key: "movie.mp4" }));
    expect(md5(Buffer.from(await got.Body!.transformToByteArray()))).toBe(md5(whole));
    const ranged = await s3.send(new GetObjectCommand({ Bucket: "big", Key: "movie.mp4", Range: `bytes=3-${whole.length - 2}` }));
    expect(md5(Buffer.from(await ranged.Body!.transformToByteArray()))).toBe(md5(whole.subarray(3, whole.length - 1)));
    const aborted = await s3.send(new CreateMultipartUploadCommand({ Bucket: "big", Key: "never" }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: "big", Key: "never", UploadId: aborted.UploadId }));
    const events = await eventsFor("big", 3);
    expect(events.map((e) => e.eventName)).toEqual(["s3:BucketCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload"]);
    expect(events[2]!.s3.object).toMatchObject({ key: "movie.mp4", size: 2 * partSize + part3.length, eTag: `${md5(partMd5s)}-3` });
  });

  it("streams a PUT of unknown length (aws-chunked) and accepts presigned GET and PUT URLs", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "stream" }));
    const chunks = Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024, String.fromCharCode(97 + (i % 26))));
    const whole = Buffer.concat(chunks);
    await s3.send(new PutObjectCommand({ Bucket: "stream", Key: "chunked", Body: Readable.from(chunks), ContentLength: whole.length }));
    const got = await s3.send(new GetObjectCommand({ Bucket: "stream", Key: "chunked" }));
    expect(md5(Buffer.from(await got.Body!.transformToByteArray()))).toBe(md5(whole));

    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: "stream", Key: "presigned put.txt" }), { expiresIn: 600 });
    expect((await fetch(putUrl, { method: "PUT", body: "via presigned url" })).status).toBe(200);
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: "stream", Key: "presigned put.txt" }), { expiresIn: 600 });
    const res = await fetch(getUrl);
    expect([res.status, await res.text()]).toEqual([200, "via presigned url"]);
  });

  it("answers bad requests with the right S3 error and keeps serving", async () => {
    const wrongSecret = new S3Client({ endpoint: url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: "wrong-secret-000000" } });
    await expect(wrongSecret.send(new ListBucketsCommand({}))).rejects.toMatchObject({ name: "SignatureDoesNotMatch" });
    wrongSecret.destroy();
    const unknown = new S3Client({ endpoint: url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "NOBODY", secretAccessKey: SECRET } });
    await expect(unknown.send(new ListBucketsCommand({}))).rejects.toMatchObject({ name: "InvalidAccessKeyId" });
    unknown.destroy();
    const skewed = new S3Client({ endpoint: url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET }, systemClockOffset: -60 * 60 * 1000 });
    await expect(skewed.send(new ListBucketsCommand({ }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    skewed.destroy();
    const anonymous = await fetch(`${url}/photos/x`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain("<Code>AccessDenied</Code>");
    const expired = await getSignedUrl(s3, new GetObjectCommand({ Bucket: "photos", Key: "x" }), { expiresIn: 1 });
    await new Promise((r) => setTimeout(r, 2100));
    const late = await fetch(expired);
    expect([late.status, (await late.text()).includes("Request has expired")]).toEqual([403, true]);
    // A traversal key is just a key: it round-trips and no file appears outside the objects directory.
    await s3.send(new PutObjectCommand({ Bucket: "photos", Key: "../../../../../../tmp/herald-escape", Body: "x" }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: "photos", Key: "../../../../../../tmp/herald-escape" }))).Body!.transformToString()).toBe("x");
    expect(existsSync("/tmp/herald-escape")).toBe(false);
    const nul = await fetch(`${url}/photos/a%00b`, { method: "PUT", body: "x" });
    expect([nul.status, (await nul.text()).includes("<Code>InvalidArgument</Code>")]).toEqual([400, true]);
    await expect(s3.send(new PutObjectCommand({ Bucket: "photos", Key: "bad-md5", Body: "x", ContentMD5: Buffer.from(md5("y"), "hex").toString("base64") }))).rejects.toMatchObject({ name: "BadDigest" });
    await expect(s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: "photos", NotificationConfiguration: { QueueConfigurations: [{ QueueArn: "arn:herald:sqs:us-east-1:nowhere:webhook", Events: ["s3:ObjectCreated:*"] }] } }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.length).toBeGreaterThan(0);
  });

  it("gets and puts the bucket notification configuration with Herald ARNs", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "notify" }));
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: "notify",
      NotificationConfiguration: { QueueConfigurations: [{ Id: "jpegs", QueueArn: ARN, Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "suffix", Value: ".jpg" }] } } }] },
    }));
    const config = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: "notify" }));
    expect(config.QueueConfigurations?.[0]).toMatchObject({ Id: "jpegs", QueueArn: ARN, Events: ["s3:ObjectCreated:*"] });
    await s3.send(new PutObjectCommand({ Bucket: "notify", Key: "a.jpg", Body: "jpg" }));
    await s3.send(new PutObjectCommand({ Bucket: "notify", Key: "a.txt", Body: "txt" }));
    const events = await eventsFor("notify", 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(records().filter((r) => r.s3.bucket.name === "notify").map((r) => r.s3.object.key)).toEqual(["a.jpg"]);
    expect(events[0]!.eventName).toBe("s3:ObjectCreated:Put");
  });
});
