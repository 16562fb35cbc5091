import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { authenticate, type SignedRequest } from "./sigv4.ts";
import {
  ACCESS_KEY_ID,
  NOW,
  SECRET,
  credentials,
  expectAppError,
  objectPath,
  sdkSigner,
  signWithSdk,
} from "./sigv4-test-support.ts";

const UNSIGNED = { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };

const KEYS = [
  "plain.txt",
  "with space.txt",
  "a+b.txt",
  "100%.txt",
  "ünïcødé/日本語/😀.bin",
  "nested/deep/path/to/object.json",
  "sym!'()*~$@,;:=&.txt",
  "a//b/../c/./d",
];

function withHeader(request: SignedRequest, name: string, value: string | undefined): SignedRequest {
  const headers = { ...request.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { ...request, headers };
}

describe("authenticate: Authorization header signed by the AWS SDK", () => {
  it.each(KEYS)("accepts a GET of key %j", async (key) => {
    const request = await signWithSdk({ path: objectPath("bucket", key), headers: UNSIGNED });
    const result = authenticate(request, credentials, NOW);
    expect(result).toEqual({ accessKeyId: ACCESS_KEY_ID, payload: { kind: "unsigned" } });
  });

  it.each(KEYS)("accepts a PUT of key %j with a signed body hash, and reports the hash to verify", async (key) => {
    const body = `contents of ${key}`;
    const request = await signWithSdk({
      method: "PUT",
      path: objectPath("bucket", key),
      headers: { "content-type": "text/plain", "content-length": String(Buffer.byteLength(body)), "x-amz-meta-colour": "blue  and   green" },
      body,
    });
    const result = authenticate(request, credentials, NOW);
    expect(result.payload).toEqual({ kind: "sha256", hex: createHash("sha256").update(body).digest("hex") });
  });

  it.each([
    ["a ListObjectsV2 with a prefix that needs escaping", { "list-type": "2", prefix: "photos/2026 summer/ü+", delimiter: "/" }],
    ["a multipart initiation (?uploads=)", { uploads: "" }],
    ["an UploadPart", { partNumber: "3", uploadId: "abc/def+ghi==" }],
    ["a repeated parameter", { tag: ["b", "a", "c"] }],
    ["a parameter named like an SDK header", { "response-content-disposition": 'attachment; filename="x y.txt"' }],
  ])("accepts %s", async (_label, query) => {
    const request = await signWithSdk({ path: objectPath("bucket", "key"), query, headers: UNSIGNED });
    expect(authenticate(request, credentials, NOW).accessKeyId).toBe(ACCESS_KEY_ID);
  });

  it.each(["us-east-1", "eu-west-3", "ap-southeast-2", "herald-local"])("accepts any region in the scope (%s)", async (region) => {
    const request = await signWithSdk({ path: "/bucket", headers: UNSIGNED }, { region });
    expect(authenticate(request, credentials, NOW).accessKeyId).toBe(ACCESS_KEY_ID);
  });

  it("accepts a request that arrived with its path escaped differently from how it was signed", async () => {
    const request = await signWithSdk({ path: objectPath("bucket", "~tilde é"), headers: UNSIGNED });
    expect(request.rawPath).toBe("/bucket/~tilde%20%C3%A9");
    expect(authenticate({ ...request, rawPath: "/bucket/%7etilde%20%c3%a9" }, credentials, NOW).accessKeyId).toBe(ACCESS_KEY_ID);
  });

  it("accepts a request within 15 minutes of the server clock, either way", async () => {
    const request = await signWithSdk({ path: "/bucket/k", headers: UNSIGNED });
    expect(() => authenticate(request, credentials, NOW + 14 * 60_000)).not.toThrow();
    expect(() => authenticate(request, credentials, NOW - 14 * 60_000)).not.toThrow();
  });

  it("reports the streaming modes, with the decoded length", async () => {
    const streaming = await signWithSdk({
      method: "PUT",
      path: objectPath("bucket", "big"),
      headers: {
        "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "content-encoding": "aws-chunked",
        "x-amz-decoded-content-length": "66560",
      },
    });
    const signed = authenticate(streaming, credentials, NOW);
    expect(signed.payload.kind).toBe("streaming");
    expect(signed.decodedLength).toBe(66560);

    const trailer = await signWithSdk({
      method: "PUT",
      path: objectPath("bucket", "big"),
      headers: {
        "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "content-encoding": "aws-chunked",
        "x-amz-trailer": "x-amz-checksum-crc32",
        "x-amz-decoded-content-length": "5",
      },
    });
    const unsigned = authenticate(trailer, credentials, NOW);
    expect(unsigned.payload.kind).toBe("unsigned-trailer");
    expect(unsigned.decodedLength).toBe(5);
  });

  it("accepts the HTTP Date header when there is no x-amz-date", async () => {
    // The SDK always writes x-amz-date, so the canonical request is spelled out here
    // and signed by the SDK's own key derivation and HMAC.
    const date = "Mon, 23 Nov 2026 09:30:15 GMT";
    const canonicalRequest = [
      "GET",
      "/bucket/k",
      "",
      "date:Mon, 23 Nov 2026 09:30:15 GMT",
      "host:herald.test:9000",
      "x-amz-content-sha256:UNSIGNED-PAYLOAD",
      "",
      "date;host;x-amz-content-sha256",
      "UNSIGNED-PAYLOAD",
    ].join("\n");
    const stringToSign = [
      "AWS4-HMAC-SHA256",
      "20261123T093015Z",
      "20261123/us-east-1/s3/aws4_request",
      createHash("sha256").update(canonicalRequest).digest("hex"),
    ].join("\n");
    const signature = await sdkSigner().sign(stringToSign, { signingDate: new Date(NOW) });
    const request: SignedRequest = {
      method: "GET",
      rawPath: "/bucket/k",
      rawQuery: "",
      headers: {
        date,
        host: "herald.test:9000",
        "x-amz-content-sha256": "UNSIGNED-PAYLOAD",
        authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20261123/us-east-1/s3/aws4_request, SignedHeaders=date;host;x-amz-content-sha256, Signature=${signature}`,
      },
    };
    expect(authenticate(request, credentials, NOW).accessKeyId).toBe(ACCESS_KEY_ID);
  });
});

describe("authenticate: tampering with a signed request", () => {
  async function signedPut(): Promise<SignedRequest> {
    return signWithSdk({
      method: "PUT",
      path: objectPath("bucket", "photos/2026/me.jpg"),
      query: { tagging: "" },
      headers: { ...UNSIGNED, "x-amz-meta-owner": "alice", "content-type": "image/jpeg" },
    });
  }

  it("starts from a request that is accepted", async () => {
    expect(authenticate(await signedPut(), credentials, NOW).accessKeyId).toBe(ACCESS_KEY_ID);
  });

  it.each([
    ["a signed header's value", (r: SignedRequest) => withHeader(r, "x-amz-meta-owner", "mallory")],
    ["the host", (r: SignedRequest) => withHeader(r, "host", "elsewhere.test")],
    ["the content type", (r: SignedRequest) => withHeader(r, "content-type", "text/html")],
    ["the payload hash", (r: SignedRequest) => withHeader(r, "x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")],
    ["the method", (r: SignedRequest) => ({ ...r, method: "DELETE" })],
    ["the path", (r: SignedRequest) => ({ ...r, rawPath: r.rawPath.replace("me.jpg", "you.jpg") })],
    ["the path's case", (r: SignedRequest) => ({ ...r, rawPath: r.rawPath.replace("photos", "Photos") })],
    ["the query", (r: SignedRequest) => ({ ...r, rawQuery: "acl=" })],
    ["an added query parameter", (r: SignedRequest) => ({ ...r, rawQuery: `${r.rawQuery}&versionId=1` })],
    ["the date, by one second", (r: SignedRequest) => withHeader(r, "x-amz-date", "20261123T093016Z")],
    ["the signature", (r: SignedRequest) => withHeader(r, "authorization", String(r.headers.authorization).replace(/.$/, (c) => (c === "0" ? "1" : "0")))],
    ["the region in the scope", (r: SignedRequest) => withHeader(r, "authorization", String(r.headers.authorization).replace("us-east-1", "eu-west-1"))],
  ])("refuses a change to %s with SignatureDoesNotMatch", async (_label, tamper) => {
    const request = tamper(await signedPut());
    expectAppError(() => authenticate(request, credentials, NOW), "SignatureDoesNotMatch");
  });

  it("refuses a signature made with another secret", async () => {
    const request = await signWithSdk({ path: "/bucket/k", headers: UNSIGNED }, { secret: `${SECRET}x` });
    expectAppError(
      () => authenticate(request, credentials, NOW),
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
    );
  });

  it("refuses a date on another day than the credential scope as malformed", async () => {
    const request = withHeader(await signedPut(), "x-amz-date", "20261124T000100Z");
    expectAppError(() => authenticate(request, credentials, Date.UTC(2026, 10, 24, 0, 1)), "AuthorizationHeaderMalformed", /Invalid credential date/);
  });

  it("refuses an x-amz-* header the signature does not cover", async () => {
    const request = withHeader(await signedPut(), "x-amz-acl", "public-read");
    expectAppError(() => authenticate(request, credentials, NOW), "Forbidden", /not signed: x-amz-acl/);
  });

  it("refuses a request whose signature does not cover the host", async () => {
    const signed = await sdkSigner().sign(
      { method: "GET", protocol: "http:", hostname: "herald.test", path: "/bucket/k", query: {}, headers: { ...UNSIGNED } },
      { signingDate: new Date(NOW) },
    );
    expect(String(signed.headers.authorization)).toContain("SignedHeaders=x-amz-content-sha256;x-amz-date,");
    const request: SignedRequest = { method: "GET", rawPath: "/bucket/k", rawQuery: "", headers: { ...signed.headers, host: "herald.test" } };
    expectAppError(() => authenticate(request, credentials, NOW), "Forbidden", /not signed: host/);
  });
});

describe("authenticate: refusals before the signature", () => {
  it("refuses an anonymous request", () => {
    expectAppError(
      () => authenticate({ method: "GET", rawPath: "/bucket/k", rawQuery: "", headers: { host: "h" } }, credentials, NOW),
      "Forbidden",
      "Anonymous access is refused: sign requests with Signature Version 4",
    );
  });

  it("refuses an unknown access key", async () => {
    const request = await signWithSdk({ path: "/bucket/k", headers: UNSIGNED });
    const other = { secretFor: () => undefined };
    expectAppError(() => authenticate(request, other, NOW), "InvalidAccessKeyId");
  });

  it.each([16, -16])("refuses a request %i minutes off the server clock", async (minutes) => {
    const request = await signWithSdk({ path: "/bucket/k", headers: UNSIGNED });
    expectAppError(() => authenticate(request, credentials, NOW + minutes * 60_000), "RequestTimeTooSkewed");
  });

  it("refuses a request without x-amz-content-sha256", async () => {
    const request = await signWithSdk({ path: "/bucket/k", headers: UNSIGNED });
    expectAppError(() => authenticate(withHeader(request, "x-amz-content-sha256", undefined), credentials, NOW), "InvalidRequest", /x-amz-content-sha256/);
  });

  it("refuses an x-amz-content-sha256 that is neither a digest nor a known mode", async () => {
    const request = await signWithSdk({ path: "/bucket/k", headers: { "x-amz-content-sha256": "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD" } });
    expectAppError(() => authenticate(request, credentials, NOW), "InvalidArgument");
  });

  it("refuses a request without a usable date", async () => {
    const request = await signWithSdk({ path: "/bucket/k", headers: UNSIGNED });
    expectAppError(() => authenticate(withHeader(request, "x-amz-date", "yesterday"), credentials, NOW), "Forbidden", /Date or x-amz-date/);
    expectAppError(() => authenticate(withHeader(request, "x-amz-date", "20261340T000000Z"), credentials, NOW), "Forbidden");
  });

  it("refuses both an Authorization header and presigned query parameters", async () => {
    const request = await signWithSdk({ path: "/bucket/k", headers: UNSIGNED });
    expectAppError(() => authenticate({ ...request, rawQuery: "X-Amz-Signature=abc" }, credentials, NOW), "InvalidArgument", /Only one auth mechanism/);
  });

  const scope = `${ACCESS_KEY_ID}/20261123/us-east-1/s3/aws4_request`;
  const sig = "a".repeat(64);
  it.each([
    ["no fields", "AWS4-HMAC-SHA256"],
    ["no Signature", `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host`],
    ["no SignedHeaders", `AWS4-HMAC-SHA256 Credential=${scope}, Signature=${sig}`],
    ["no Credential", `AWS4-HMAC-SHA256 SignedHeaders=host, Signature=${sig}`],
    ["a field without '='", `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders, Signature=${sig}`],
    ["a repeated field", `AWS4-HMAC-SHA256 Credential=${scope}, Credential=${scope}, SignedHeaders=host, Signature=${sig}`],
    ["a short credential", `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20261123/us-east-1, SignedHeaders=host, Signature=${sig}`],
    ["another service", `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20261123/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=${sig}`],
    ["a bad terminator", `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20261123/us-east-1/s3/aws5_request, SignedHeaders=host, Signature=${sig}`],
    ["a bad scope date", `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/2026-11-23/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${sig}`],
    ["an empty signed header", `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=host;;x-amz-date, Signature=${sig}`],
    ["an unknown scheme", "Bearer abc"],
  ])("refuses an Authorization header with %s as malformed", async (_label, authorization) => {
    const request = await signWithSdk({ path: "/bucket/k", headers: UNSIGNED });
    expectAppError(() => authenticate(withHeader(request, "authorization", authorization), credentials, NOW), "AuthorizationHeaderMalformed");
  });

  it("refuses Signature Version 2 as an unsupported mechanism", async () => {
    const request = await signWithSdk({ path: "/bucket/k", headers: UNSIGNED });
    expectAppError(() => authenticate(withHeader(request, "authorization", `AWS ${ACCESS_KEY_ID}:c2lnbmF0dXJl`), credentials, NOW), "InvalidRequest", /AWS4-HMAC-SHA256/);
  });

  it("parses a header whose fields come in another order with other spacing", async () => {
    const request = await signWithSdk({ path: "/bucket/k", headers: UNSIGNED });
    const fields = /Credential=(\S+), SignedHeaders=(\S+), Signature=(\S+)/.exec(String(request.headers.authorization));
    expect(fields).not.toBeNull();
    const [, credential, signed, signature] = fields ?? [];
    const reordered = `AWS4-HMAC-SHA256   Signature=${signature},SignedHeaders=${signed} ,  Credential=${credential}`;
    expect(authenticate(withHeader(request, "authorization", reordered), credentials, NOW).accessKeyId).toBe(ACCESS_KEY_ID);
  });
});
