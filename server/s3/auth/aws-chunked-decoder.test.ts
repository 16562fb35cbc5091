import { createHash } from "node:crypto";
import type { Transform } from "node:stream";
import { describe, expect, it } from "vitest";
import { type AwsChunkedDecoder, createAwsChunkedDecoder } from "./aws-chunked-decoder.ts";
import { deriveSigningKey } from "./signing-key.ts";
import { authenticate } from "./sigv4.ts";
import { NOW, credentials, objectPath, runThrough, sdkSigner, signWithSdk, splitRandomly } from "./sigv4-test-support.ts";

const EMPTY = new Uint8Array(0);
const SCOPE = "20261123/us-east-1/s3/aws4_request";
const AMZ_DATE = "20261123T093015Z";

function patterned(length: number): Buffer {
  const data = Buffer.alloc(length);
  for (let i = 0; i < length; i++) data[i] = (i * 31 + 7) % 256;
  return data;
}

/**
 * Builds a signed aws-chunked body as the AWS spec lays it out. Each chunk
 * signature comes from the SDK's own event signer, whose string to sign
 * ("AWS4-HMAC-SHA256-PAYLOAD", date, scope, previous signature,
 * sha256(headers), sha256(payload)) is the chunk's when the headers are empty.
 */
async function signedChunkedBody(
  payload: Buffer,
  chunkSize: number,
  seedSignature: string,
  trailers?: [string, string][],
): Promise<{ body: Buffer; signatures: string[] }> {
  const signer = sdkSigner();
  const signingDate = new Date(NOW);
  const parts: Buffer[] = [];
  const signatures: string[] = [];
  let previous = seedSignature;
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < payload.length; offset += chunkSize) chunks.push(payload.subarray(offset, offset + chunkSize));
  chunks.push(Buffer.alloc(0));
  for (const chunk of chunks) {
    previous = await signer.sign({ headers: EMPTY, payload: chunk }, { signingDate, priorSignature: previous });
    signatures.push(previous);
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), chunk);
    if (chunk.length > 0) parts.push(Buffer.from("\r\n"));
  }
  if (trailers) {
    const canonical = trailers.map(([name, value]) => `${name}:${value}\n`).join("");
    const stringToSign = ["AWS4-HMAC-SHA256-TRAILER", AMZ_DATE, SCOPE, previous, createHash("sha256").update(canonical).digest("hex")].join("\n");
    const trailerSignature = await signer.sign(stringToSign, { signingDate });
    for (const [name, value] of trailers) parts.push(Buffer.from(`${name}:${value}\r\n`));
    parts.push(Buffer.from(`x-amz-trailer-signature:${trailerSignature}\r\n\r\n`));
  } else {
    parts.push(Buffer.from("\r\n"));
  }
  return { body: Buffer.concat(parts), signatures };
}

/** A streaming PUT signed by the SDK: the decoder factory and the seed signature to chain from. */
async function streamingPut(length: number, trailer = false): Promise<{ decoder: () => Transform; seed: string }> {
  const request = await signWithSdk({
    method: "PUT",
    path: objectPath("bucket", "chunked object"),
    headers: {
      "x-amz-content-sha256": trailer ? "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" : "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
      "content-encoding": "aws-chunked",
      "x-amz-decoded-content-length": String(length),
      ...(trailer ? { "x-amz-trailer": "x-amz-checksum-sha256" } : {}),
    },
  });
  const result = authenticate(request, credentials, NOW);
  if (result.payload.kind !== "streaming") throw new Error(`expected streaming, got ${result.payload.kind}`);
  const seed = /Signature=([0-9a-f]{64})/.exec(String(request.headers.authorization))?.[1];
  if (!seed) throw new Error("no seed signature");
  return { decoder: result.payload.decoder, seed };
}

describe("aws-chunked decoder: signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)", () => {
  it.each([
    [0, 65_536],
    [1, 65_536],
    [65_536, 65_536],
    [200_003, 65_536],
    [100_000, 8_192],
  ])("decodes a %i-byte payload in %i-byte chunks, whatever the packet boundaries", async (length, chunkSize) => {
    const payload = patterned(length);
    const { decoder, seed } = await streamingPut(length);
    const { body } = await signedChunkedBody(payload, chunkSize, seed);
    for (const [min, max] of [
      [1, 7],
      [60_000, 300_000],
    ] as const) {
      expect((await runThrough(decoder(), splitRandomly(body, min, max, length + min))).equals(payload)).toBe(true);
    }
    expect((await runThrough(decoder(), [body])).equals(payload)).toBe(true);
  });

  it("passes a chunk's bytes on before the chunk has fully arrived", async () => {
    const payload = patterned(4 * 1024 * 1024);
    const { decoder, seed } = await streamingPut(payload.length);
    const { body } = await signedChunkedBody(payload, payload.length, seed);
    const transform = decoder();
    let received = 0;
    transform.on("data", (chunk: Buffer) => {
      received += chunk.length;
    });
    transform.write(body.subarray(0, 1024 * 1024));
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toBeGreaterThan(1000 * 1024);
    expect(received).toBeLessThan(payload.length);
    transform.destroy();
  });

  it("refuses a corrupted chunk signature", async () => {
    const payload = patterned(150_000);
    const { decoder, seed } = await streamingPut(payload.length);
    const { body, signatures } = await signedChunkedBody(payload, 65_536, seed);
    const second = signatures[1] ?? "";
    const corrupted = Buffer.from(body.toString("latin1").replace(second, second.replace(/^./, (c) => (c === "a" ? "b" : "a"))), "latin1");
    await expect(runThrough(decoder(), splitRandomly(corrupted, 1, 7))).rejects.toMatchObject({
      code: "SignatureDoesNotMatch",
      message: "The signature of aws-chunked chunk 2 does not match.",
    });
  });

  it("refuses a corrupted payload byte", async () => {
    const payload = patterned(150_000);
    const { decoder, seed } = await streamingPut(payload.length);
    const { body } = await signedChunkedBody(payload, 65_536, seed);
    const corrupted = Buffer.from(body);
    corrupted[corrupted.length - 200] = (corrupted[corrupted.length - 200] ?? 0) ^ 1;
    await expect(runThrough(decoder(), [corrupted])).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("refuses chunks signed for another request (another seed)", async () => {
    const payload = patterned(1000);
    const { decoder } = await streamingPut(payload.length);
    const { body } = await signedChunkedBody(payload, 65_536, "0".repeat(64));
    await expect(runThrough(decoder(), [body])).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("refuses chunks replayed in another order", async () => {
    const payload = patterned(3 * 8192);
    const { decoder, seed } = await streamingPut(payload.length);
    const { body } = await signedChunkedBody(payload, 8192, seed);
    const frame = body.indexOf("\r\n", body.indexOf("\r\n") + 2) + 2;
    const swapped = Buffer.concat([body.subarray(frame, frame * 2), body.subarray(0, frame), body.subarray(frame * 2)]);
    await expect(runThrough(decoder(), [swapped])).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("refuses a final chunk whose signature is dropped", async () => {
    const payload = patterned(10);
    const { decoder, seed } = await streamingPut(payload.length);
    const { body } = await signedChunkedBody(payload, 65_536, seed);
    const withoutSignature = Buffer.from(body.toString("latin1").replace(/0;chunk-signature=[0-9a-f]{64}\r\n\r\n$/, "0\r\n\r\n"), "latin1");
    await expect(runThrough(decoder(), [withoutSignature])).rejects.toMatchObject({ code: "InvalidRequest" });
  });

  it("errors IncompleteBody wherever the body is cut short", async () => {
    const payload = patterned(100_000);
    const { decoder, seed } = await streamingPut(payload.length);
    const { body } = await signedChunkedBody(payload, 65_536, seed);
    for (const cut of [0, 5, 90, 50_000, 65_536 + 90, 65_536 + 92 + 20, body.length - 90, body.length - 2, body.length - 1]) {
      await expect(runThrough(decoder(), splitRandomly(body.subarray(0, cut), 1, 4096, cut + 1)), `cut at ${cut}`).rejects.toMatchObject({
        code: "IncompleteBody",
      });
    }
  });

  it("errors when the payload is shorter or longer than x-amz-decoded-content-length", async () => {
    const { decoder: expectsMore, seed } = await streamingPut(101);
    const short = await signedChunkedBody(patterned(100), 65_536, seed);
    await expect(runThrough(expectsMore(), [short.body])).rejects.toMatchObject({ code: "IncompleteBody" });

    const { decoder: expectsLess, seed: otherSeed } = await streamingPut(99);
    const long = await signedChunkedBody(patterned(100), 65_536, otherSeed);
    await expect(runThrough(expectsLess(), [long.body])).rejects.toMatchObject({ code: "InvalidRequest" });
  });

  it.each([
    ["a size that is not hex", "zz\r\n", false],
    ["a chunk header without CR", "10\n", false],
    ["a chunk header that never ends", "1".repeat(5000), false],
    ["data not followed by CRLF", "1\r\nxyz", false],
    ["a chunk without its signature", "10\r\n", true],
    ["a signature that is not 64 hex digits", `10;chunk-signature=${"a".repeat(63)}\r\n`, true],
  ])("refuses %s as malformed", async (_label, text, signed) => {
    const signing = { signingKey: Buffer.alloc(32), amzDate: AMZ_DATE, scope: SCOPE, seedSignature: "0".repeat(64) };
    const decoder = createAwsChunkedDecoder(signed ? { trailer: false, signing } : { trailer: true });
    await expect(runThrough(decoder, [Buffer.from(text)])).rejects.toMatchObject({ code: "InvalidRequest" });
  });
});

describe("aws-chunked decoder: signed chunks with trailers (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)", () => {
  it("decodes the payload, verifies the trailer signature and exposes the trailers", async () => {
    const payload = patterned(70_000);
    const checksum = createHash("sha256").update(payload).digest("base64");
    const { decoder, seed } = await streamingPut(payload.length, true);
    const { body } = await signedChunkedBody(payload, 65_536, seed, [["x-amz-checksum-sha256", checksum]]);
    for (const [min, max] of [
      [1, 7],
      [10_000, 100_000],
    ] as const) {
      const transform = decoder();
      expect((await runThrough(transform, splitRandomly(body, min, max))).equals(payload)).toBe(true);
      expect((transform as AwsChunkedDecoder).trailers).toEqual({ "x-amz-checksum-sha256": checksum });
    }
  });

  it("refuses a trailer changed after signing", async () => {
    const payload = patterned(100);
    const { decoder, seed } = await streamingPut(payload.length, true);
    const { body } = await signedChunkedBody(payload, 65_536, seed, [["x-amz-checksum-crc32", "AAAAAA=="]]);
    const tampered = Buffer.from(body.toString("latin1").replace("AAAAAA==", "BBBBBB=="), "latin1");
    await expect(runThrough(decoder(), [tampered])).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("refuses trailers without their signature", async () => {
    const payload = patterned(100);
    const { decoder, seed } = await streamingPut(payload.length, true);
    const { body } = await signedChunkedBody(payload, 65_536, seed, [["x-amz-checksum-crc32", "AAAAAA=="]]);
    const unsigned = Buffer.from(body.toString("latin1").replace(/x-amz-trailer-signature:[0-9a-f]{64}\r\n/, ""), "latin1");
    await expect(runThrough(decoder(), [unsigned])).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  // aws-crt's chunk signing test: AWS's published chunk signatures, then trailers first/second/third.
  function crtTrailerExample(third: string): { decoder: AwsChunkedDecoder; body: Buffer } {
    const decoder = createAwsChunkedDecoder({
      trailer: true,
      decodedLength: 66_560,
      signing: {
        signingKey: deriveSigningKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3"),
        amzDate: "20130524T000000Z",
        scope: "20130524/us-east-1/s3/aws4_request",
        seedSignature: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
      },
    });
    const body = Buffer.concat([
      Buffer.from("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n"),
      Buffer.alloc(65_536, "a"),
      Buffer.from("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n"),
      Buffer.alloc(1024, "a"),
      Buffer.from("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n"),
      Buffer.from(`first:1st\r\nsecond:2nd\r\nthird:${third}\r\n`),
      Buffer.from("x-amz-trailer-signature:df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c\r\n\r\n"),
    ]);
    return { decoder, body };
  }

  it("reproduces the AWS CRT's trailer signature for the documented chunked upload", async () => {
    const { decoder, body } = crtTrailerExample("3rd");
    expect((await runThrough(decoder, splitRandomly(body, 1, 9))).equals(Buffer.alloc(66_560, "a"))).toBe(true);
    expect(decoder.trailers).toEqual({ first: "1st", second: "2nd", third: "3rd" });
  });

  it("refuses the CRT example with a trailer value changed", async () => {
    const { decoder, body } = crtTrailerExample("4th");
    await expect(runThrough(decoder, [body])).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
  });
});

describe("aws-chunked decoder: unsigned chunks with trailers (STREAMING-UNSIGNED-PAYLOAD-TRAILER)", () => {
  function unsignedBody(payload: Buffer, chunkSize: number, trailer = "x-amz-checksum-crc32:3wZ2dA==\r\n"): Buffer {
    const parts: Buffer[] = [];
    for (let offset = 0; offset < payload.length; offset += chunkSize) {
      const chunk = payload.subarray(offset, offset + chunkSize);
      parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n"));
    }
    parts.push(Buffer.from(`0\r\n${trailer}\r\n`));
    return Buffer.concat(parts);
  }

  it("decodes the payload and exposes the trailers, whatever the packet boundaries", async () => {
    const payload = patterned(150_000);
    for (const [min, max] of [
      [1, 7],
      [50_000, 200_000],
    ] as const) {
      const decoder = createAwsChunkedDecoder({ trailer: true, decodedLength: payload.length });
      expect((await runThrough(decoder, splitRandomly(unsignedBody(payload, 65_536), min, max))).equals(payload)).toBe(true);
      expect(decoder.trailers).toEqual({ "x-amz-checksum-crc32": "3wZ2dA==" });
    }
  });

  it("accepts a body with no trailer at all, as the SDK sends when it has no checksum", async () => {
    const payload = patterned(10);
    const body = Buffer.concat([Buffer.from("a\r\n"), payload, Buffer.from("\r\n0\r\n")]);
    expect((await runThrough(createAwsChunkedDecoder({ trailer: true }), [body])).equals(payload)).toBe(true);
  });

  it("errors IncompleteBody when cut short", async () => {
    const body = unsignedBody(patterned(1000), 256);
    for (const cut of [3, 500, body.length - 20, body.length - 1]) {
      await expect(runThrough(createAwsChunkedDecoder({ trailer: true }), [body.subarray(0, cut)]), `cut at ${cut}`).rejects.toMatchObject({
        code: "IncompleteBody",
      });
    }
  });

  it("refuses data after the end", async () => {
    const body = Buffer.concat([unsignedBody(patterned(10), 10), Buffer.from("extra")]);
    await expect(runThrough(createAwsChunkedDecoder({ trailer: true }), [body])).rejects.toMatchObject({ code: "InvalidRequest" });
  });
});
