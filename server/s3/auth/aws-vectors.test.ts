/**
 * The worked examples in AWS's S3 documentation (sig-v4-header-based-auth,
 * sigv4-query-string-auth, sigv4-streaming): the signatures AWS itself
 * published, so passing means agreeing with the real service, not merely
 * with our own signer.
 */
import { describe, expect, it } from "vitest";
import { authenticate, type SignedRequest } from "./sigv4.ts";
import { expectAppError, runThrough, splitRandomly } from "./sigv4-test-support.ts";

const ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
const awsExampleCredentials = {
  secretFor: (id: string) => (id === ACCESS_KEY_ID ? "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" : undefined),
};
const EXAMPLE_TIME = Date.UTC(2013, 4, 24);
const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const HOST = "examplebucket.s3.amazonaws.com";
const SCOPE = `${ACCESS_KEY_ID}/20130524/us-east-1/s3/aws4_request`;

function headerSigned(method: string, rawPath: string, rawQuery: string, headers: Record<string, string>, signedHeaders: string, signature: string): SignedRequest {
  return {
    method,
    rawPath,
    rawQuery,
    headers: { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${SCOPE},SignedHeaders=${signedHeaders},Signature=${signature}` },
  };
}

describe("AWS's published Signature Version 4 examples", () => {
  it.each([
    [
      "GET Object with a range",
      headerSigned(
        "GET",
        "/test.txt",
        "",
        { host: HOST, range: "bytes=0-9", "x-amz-content-sha256": EMPTY, "x-amz-date": "20130524T000000Z" },
        "host;range;x-amz-content-sha256;x-amz-date",
        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
      ),
    ],
    [
      "PUT Object with a '$' in the key and both Date headers",
      headerSigned(
        "PUT",
        "/test%24file.text",
        "",
        {
          host: HOST,
          date: "Fri, 24 May 2013 00:00:00 GMT",
          "x-amz-date": "20130524T000000Z",
          "x-amz-storage-class": "REDUCED_REDUNDANCY",
          "x-amz-content-sha256": "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
        },
        "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
        "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd",
      ),
    ],
    [
      "GET Bucket Lifecycle (a parameter without a value)",
      headerSigned(
        "GET",
        "/",
        "lifecycle",
        { host: HOST, "x-amz-content-sha256": EMPTY, "x-amz-date": "20130524T000000Z" },
        "host;x-amz-content-sha256;x-amz-date",
        "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543",
      ),
    ],
    [
      "GET Bucket (List Objects), its query sent unsorted",
      headerSigned(
        "GET",
        "/",
        "prefix=J&max-keys=2",
        { host: HOST, "x-amz-content-sha256": EMPTY, "x-amz-date": "20130524T000000Z" },
        "host;x-amz-content-sha256;x-amz-date",
        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
      ),
    ],
    [
      "a presigned GET valid for a day",
      {
        method: "GET",
        rawPath: "/test.txt",
        rawQuery:
          "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
        headers: { host: HOST },
      },
    ],
  ])("accepts %s", (_label, request) => {
    expect(authenticate(request, awsExampleCredentials, EXAMPLE_TIME).accessKeyId).toBe(ACCESS_KEY_ID);
  });
});

describe("AWS's published chunked upload (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)", () => {
  const SIGNATURES = {
    seed: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
    chunk1: "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
    chunk2: "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
    final: "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
  };
  const request = headerSigned(
    "PUT",
    "/examplebucket/chunkObject.txt",
    "",
    {
      host: "s3.amazonaws.com",
      "x-amz-date": "20130524T000000Z",
      "x-amz-storage-class": "REDUCED_REDUNDANCY",
      "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
      "content-encoding": "aws-chunked",
      "x-amz-decoded-content-length": "66560",
      "content-length": "66824",
    },
    "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
    SIGNATURES.seed,
  );

  function body(corruptByte = -1): Buffer {
    const data = Buffer.alloc(66560, "a");
    if (corruptByte >= 0) data[corruptByte] = 0x62;
    return Buffer.concat([
      Buffer.from(`10000;chunk-signature=${SIGNATURES.chunk1}\r\n`),
      data.subarray(0, 65536),
      Buffer.from(`\r\n400;chunk-signature=${SIGNATURES.chunk2}\r\n`),
      data.subarray(65536),
      Buffer.from(`\r\n0;chunk-signature=${SIGNATURES.final}\r\n\r\n`),
    ]);
  }

  it("has the documented Content-Length", () => {
    expect(body().length).toBe(66824);
  });

  it.each([
    [1, 7],
    [1, 1],
    [4096, 70_000],
  ])("authenticates the request and decodes its body fed in pieces of %i..%i bytes", async (min, max) => {
    const result = authenticate(request, awsExampleCredentials, EXAMPLE_TIME);
    expect(result.decodedLength).toBe(66560);
    expect(result.payload.kind).toBe("streaming");
    if (result.payload.kind !== "streaming") return;
    const decoded = await runThrough(result.payload.decoder(), splitRandomly(body(), min, max));
    expect(decoded.equals(Buffer.alloc(66560, "a"))).toBe(true);
  });

  it.each([10, 65_536 + 10])("refuses the body with byte %i changed", async (index) => {
    const result = authenticate(request, awsExampleCredentials, EXAMPLE_TIME);
    if (result.payload.kind !== "streaming") throw new Error("expected streaming");
    await expect(runThrough(result.payload.decoder(), [body(index)])).rejects.toMatchObject({ code: "SignatureDoesNotMatch" });
  });

  it("refuses the request itself with another storage class", () => {
    const tampered = { ...request, headers: { ...request.headers, "x-amz-storage-class": "STANDARD" } };
    expectAppError(() => authenticate(tampered, awsExampleCredentials, EXAMPLE_TIME), "SignatureDoesNotMatch");
  });
});
