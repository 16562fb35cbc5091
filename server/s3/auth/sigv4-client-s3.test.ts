/**
 * End to end against the real client: @aws-sdk/client-s3 builds and signs
 * each request (its own path escaping, query strings, checksum headers,
 * aws-chunked bodies); a capturing request handler stands in for the network.
 */
import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { type HttpRequest, HttpResponse } from "@smithy/core/protocols";
import { afterEach, describe, expect, it } from "vitest";
import type { AwsChunkedDecoder } from "./aws-chunked-decoder.ts";
import { authenticate, sha256Verifier } from "./sigv4.ts";
import { ACCESS_KEY_ID, SECRET, asReceived, credentials, runThrough, splitRandomly } from "./sigv4-test-support.ts";

interface Captured {
  request: HttpRequest;
  body: Buffer;
  at: number;
}

let clients: S3Client[] = [];
afterEach(() => {
  for (const client of clients) client.destroy();
  clients = [];
});

function capturingClient(): { s3: S3Client; captured: Captured[] } {
  const captured: Captured[] = [];
  const s3 = new S3Client({
    region: "eu-central-1",
    endpoint: "http://herald.test:9000",
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
    requestHandler: {
      async handle(request: HttpRequest) {
        const chunks: Buffer[] = [];
        const body: unknown = request.body;
        if (body instanceof Readable) for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
        else if (typeof body === "string" || body instanceof Uint8Array) chunks.push(Buffer.from(body));
        captured.push({ request, body: Buffer.concat(chunks), at: Date.now() });
        return { response: new HttpResponse({ statusCode: 200, headers: {}, body: Readable.from([]) }) };
      },
    },
  });
  clients.push(s3);
  return { s3, captured };
}

/** Sends the command and returns the one request the client produced (the empty response may not parse). */
async function capture(send: (s3: S3Client) => Promise<unknown>): Promise<Captured> {
  const { s3, captured } = capturingClient();
  await send(s3).catch(() => undefined);
  expect(captured).toHaveLength(1);
  const [only] = captured;
  if (!only) throw new Error("nothing captured");
  return only;
}

const KEYS = ["plain.txt", "with space.txt", "a+b.txt", "100%.txt", "ünïcødé/日本語/😀.bin", "nested/deep/x.json", "sym!'()*~$@,;:=&?#.txt", "a//b/../c"];

describe("authenticate: requests built by @aws-sdk/client-s3", () => {
  it.each(KEYS)("accepts PutObject of key %j and the body passes the signed digest", async (key) => {
    const body = `the body of ${key}`;
    const { request, body: sent, at } = await capture((s3) => s3.send(new PutObjectCommand({ Bucket: "bucket", Key: key, Body: body })));
    const result = authenticate(asReceived(request), credentials, at);
    expect(result.accessKeyId).toBe(ACCESS_KEY_ID);
    expect(result.payload.kind).toBe("sha256");
    if (result.payload.kind !== "sha256") return;
    expect((await runThrough(sha256Verifier(result.payload.hex), [sent])).toString()).toBe(body);
  });

  it.each([
    ["GetObject with a range", (s3: S3Client) => s3.send(new GetObjectCommand({ Bucket: "bucket", Key: "ünï cødé+/x", Range: "bytes=0-9" }))],
    ["HeadObject", (s3: S3Client) => s3.send(new HeadObjectCommand({ Bucket: "bucket", Key: "100% real" }))],
    [
      "ListObjectsV2 with a prefix and a start key",
      (s3: S3Client) =>
        s3.send(new ListObjectsV2Command({ Bucket: "bucket", Prefix: "photos/2026 summer/ü+", Delimiter: "/", StartAfter: "photos/a&b=c", MaxKeys: 7 })),
    ],
    ["CreateMultipartUpload", (s3: S3Client) => s3.send(new CreateMultipartUploadCommand({ Bucket: "bucket", Key: "big file", Metadata: { owner: "Zoë" } }))],
    [
      "UploadPart",
      (s3: S3Client) => s3.send(new UploadPartCommand({ Bucket: "bucket", Key: "big file", UploadId: "id/with+odd=chars", PartNumber: 2, Body: "part" })),
    ],
    [
      "DeleteObjects",
      (s3: S3Client) => s3.send(new DeleteObjectsCommand({ Bucket: "bucket", Delete: { Objects: [{ Key: "a b" }, { Key: "c+d" }] } })),
    ],
    [
      "PutObjectTagging",
      (s3: S3Client) => s3.send(new PutObjectTaggingCommand({ Bucket: "bucket", Key: "k", Tagging: { TagSet: [{ Key: "team", Value: "a b" }] } })),
    ],
    [
      "CopyObject from a key that needs escaping",
      (s3: S3Client) => s3.send(new CopyObjectCommand({ Bucket: "bucket", Key: "copy", CopySource: "bucket/sp ace+ü" })),
    ],
  ])("accepts %s", async (_label, send) => {
    const { request, at } = await capture(send);
    expect(authenticate(asReceived(request), credentials, at).accessKeyId).toBe(ACCESS_KEY_ID);
  });

  it("refuses the same requests once tampered with", async () => {
    const { request, at } = await capture((s3) => s3.send(new GetObjectCommand({ Bucket: "bucket", Key: "secret.txt" })));
    const received = asReceived(request);
    expect(() => authenticate({ ...received, rawPath: "/bucket/other.txt" }, credentials, at)).toThrow(/signature/);
  });

  it("decodes a streamed PutObject (STREAMING-UNSIGNED-PAYLOAD-TRAILER, aws-chunked) split at every few bytes", async () => {
    const payload = Buffer.alloc(200_000);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + 3) % 251;
    const pieces = [payload.subarray(0, 65_536), payload.subarray(65_536, 65_541), payload.subarray(65_541)];
    const { request, body, at } = await capture((s3) =>
      s3.send(new PutObjectCommand({ Bucket: "bucket", Key: "streamed", Body: Readable.from(pieces), ContentLength: payload.length })),
    );
    const result = authenticate(asReceived(request), credentials, at);
    expect(result.payload.kind).toBe("unsigned-trailer");
    expect(result.decodedLength).toBe(payload.length);
    if (result.payload.kind !== "unsigned-trailer") return;

    for (const [min, max] of [
      [1, 7],
      [1000, 70_000],
    ] as const) {
      const decoder = result.payload.decoder();
      expect((await runThrough(decoder, splitRandomly(body, min, max, max))).equals(payload)).toBe(true);
      const checksum = Buffer.alloc(4);
      checksum.writeUInt32BE(crc32(payload));
      expect((decoder as AwsChunkedDecoder).trailers).toEqual({ "x-amz-checksum-crc32": checksum.toString("base64") });
    }
  });
});
