import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpReceiver, type HttpReceiver } from "../../test/support/http-receiver.ts";
import { startTestHerald, waitUntil, type TestHerald } from "../../test/support/test-herald.ts";
import { createS3Endpoint, type S3Endpoint } from "./create-s3-endpoint.ts";

const KEY = "UPSTREAMKEY";
const SECRET = "upstream-secret-0123456789";
let upstream: { herald: TestHerald; endpoint: S3Endpoint; url: string };
let front: { herald: TestHerald; endpoint: S3Endpoint; url: string };
let receiver: HttpReceiver;

async function start(env: Record<string, string>) {
  const herald = await startTestHerald({ HERALD_S3_ACCESS_KEYS: `${KEY}:${SECRET}`, ...env });
  const endpoint = await createS3Endpoint(herald);
  await new Promise<void>((resolve) => endpoint.server.listen(0, "127.0.0.1", resolve));
  return { herald, endpoint, url: `http://127.0.0.1:${(endpoint.server.address() as AddressInfo).port}` };
}

function client(url: string): S3Client {
  return new S3Client({ endpoint: url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: KEY, secretAccessKey: SECRET } });
}

beforeAll(async () => {
  upstream = await start({});
  front = await start({
    HERALD_S3_BACKEND: "upstream",
    HERALD_S3_UPSTREAM_ENDPOINT: upstream.url,
    HERALD_S3_UPSTREAM_ACCESS_KEY: KEY,
    HERALD_S3_UPSTREAM_SECRET_KEY: SECRET,
  });
  receiver = await startHttpReceiver();
  const target = await front.herald.engine.createTarget({ id: "front", type: "webhook", config: { endpoint: receiver.url, healthCheck: "none" } });
  await front.herald.engine.putBucketConfig("fronted", { rules: [{ id: "all", events: ["Everything"], targetArns: [target.arn] }] });
});

afterAll(async () => {
  for (const side of [front, upstream]) {
    await side?.endpoint.close();
    await side?.herald.stop();
  }
  await receiver?.stop();
});

describe("the upstream backend, with a second Herald (local disk) as the upstream", () => {
  it("stores objects upstream while the front Herald emits the events", async () => {
    const viaFront = client(front.url);
    const direct = client(upstream.url);
    await viaFront.send(new CreateBucketCommand({ Bucket: "fronted" }));
    await viaFront.send(new PutObjectCommand({ Bucket: "fronted", Key: "docs/report 1.pdf", Body: "pdf bytes", ContentType: "application/pdf", Metadata: { owner: "ann" } }));
    await viaFront.send(new PutObjectCommand({ Bucket: "fronted", Key: "stream.bin", Body: Readable.from([Buffer.alloc(100_000, 1), Buffer.alloc(50_000, 2)]), ContentLength: 150_000 }));

    const stored = await direct.send(new GetObjectCommand({ Bucket: "fronted", Key: "docs/report 1.pdf" }));
    expect([await stored.Body!.transformToString(), stored.ContentType, stored.Metadata]).toEqual(["pdf bytes", "application/pdf", { owner: "ann" }]);
    expect((await direct.send(new HeadObjectCommand({ Bucket: "fronted", Key: "stream.bin" }))).ContentLength).toBe(150_000);
    const listed = await viaFront.send(new ListObjectsV2Command({ Bucket: "fronted" }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(["docs/report 1.pdf", "stream.bin"]);

    const { UploadId } = await viaFront.send(new CreateMultipartUploadCommand({ Bucket: "fronted", Key: "parts" }));
    const p1 = await viaFront.send(new UploadPartCommand({ Bucket: "fronted", Key: "parts", UploadId, PartNumber: 1, Body: Buffer.alloc(5 * 1024 * 1024, 3) }));
    const p2 = await viaFront.send(new UploadPartCommand({ Bucket: "fronted", Key: "parts", UploadId, PartNumber: 2, Body: "tail" }));
    await viaFront.send(new CompleteMultipartUploadCommand({ Bucket: "fronted", Key: "parts", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }));
    expect((await direct.send(new HeadObjectCommand({ Bucket: "fronted", Key: "parts" }))).ETag).toMatch(/-2"$/);
    await viaFront.send(new DeleteObjectCommand({ Bucket: "fronted", Key: "stream.bin" }));
    await expect(direct.send(new HeadObjectCommand({ Bucket: "fronted", Key: "stream.bin" }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(viaFront.send(new GetObjectCommand({ Bucket: "fronted", Key: "missing" }))).rejects.toMatchObject({ name: "NoSuchKey" });

    await waitUntil(() => receiver.requests.length >= 5, "five events from the front Herald");
    const names = receiver.requests.map((r) => (r.body as { Records: { eventName: string; s3: { object: { key: string } } }[] }).Records[0]!);
    expect(names.map((r) => [r.eventName, r.s3.object.key])).toEqual([
      ["s3:BucketCreated:*", ""],
      ["s3:ObjectCreated:Put", "docs/report+1.pdf"],
      ["s3:ObjectCreated:Put", "stream.bin"],
      ["s3:ObjectCreated:CompleteMultipartUpload", "parts"],
      ["s3:ObjectRemoved:Delete", "stream.bin"],
    ]);
    viaFront.destroy();
    direct.destroy();
  });
});
