import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { describe, expect, it } from "vitest";
import { authenticate, type SignedRequest } from "./sigv4.ts";
import { ACCESS_KEY_ID, NOW, SECRET, credentials, expectAppError, objectPath, presignWithSdk } from "./sigv4-test-support.ts";

const KEYS = ["plain.txt", "with space.txt", "a+b.txt", "100%.txt", "ünïcødé/日本語/😀.bin", "nested/deep/x.json", "sym!'()*~.txt"];

/** Replaces one query parameter's raw value, leaving the rest of the query as it was. */
function withParam(request: SignedRequest, name: string, rawValue: string): SignedRequest {
  const parts = request.rawQuery.split("&").map((part) => (part.startsWith(`${name}=`) ? `${name}=${rawValue}` : part));
  return { ...request, rawQuery: parts.join("&") };
}

function withoutParam(request: SignedRequest, name: string): SignedRequest {
  return { ...request, rawQuery: request.rawQuery.split("&").filter((part) => !part.startsWith(`${name}=`)).join("&") };
}

function fromUrl(method: string, url: string, headers: Record<string, string> = {}): SignedRequest {
  const parsed = new URL(url);
  return { method, rawPath: parsed.pathname, rawQuery: parsed.search.slice(1), headers: { host: parsed.host, ...headers } };
}

function client(): S3Client {
  return new S3Client({
    region: "eu-central-1",
    endpoint: "http://herald.test:9000",
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
  });
}

describe("authenticate: presigned URLs", () => {
  it.each(KEYS)("accepts a URL presigned by the SDK signer for key %j", async (key) => {
    const request = await presignWithSdk({ path: objectPath("bucket", key), query: { "response-content-type": "text/plain; charset=utf-8" } });
    expect(request.rawQuery).toContain("X-Amz-Signature=");
    expect(authenticate(request, credentials, NOW)).toEqual({ accessKeyId: ACCESS_KEY_ID, payload: { kind: "unsigned" } });
  });

  it.each(KEYS)("accepts GetObject and PutObject URLs from @aws-sdk/s3-request-presigner for key %j", async (key) => {
    const s3 = client();
    const signingDate = new Date(NOW);
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: "bucket", Key: key }), { expiresIn: 600, signingDate });
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: "bucket", Key: key, ContentType: "text/plain" }), {
      expiresIn: 600,
      signingDate,
    });
    expect(authenticate(fromUrl("GET", getUrl), credentials, NOW + 60_000)).toEqual({ accessKeyId: ACCESS_KEY_ID, payload: { kind: "unsigned" } });
    const put = authenticate(fromUrl("PUT", putUrl, { "content-type": "text/plain", "content-length": "5" }), credentials, NOW);
    expect(put.payload).toEqual({ kind: "unsigned" });
    s3.destroy();
  });

  it("accepts a URL until it expires, then refuses it as expired", async () => {
    const request = await presignWithSdk({ path: "/bucket/k" }, { expiresIn: 300 });
    expect(() => authenticate(request, credentials, NOW + 300_000)).not.toThrow();
    expectAppError(() => authenticate(request, credentials, NOW + 301_000), "Forbidden", "Request has expired");
  });

  it("accepts the full week a URL may last", async () => {
    const request = await presignWithSdk({ path: "/bucket/k" }, { expiresIn: 604_800 });
    expect(() => authenticate(request, credentials, NOW + 604_799_000)).not.toThrow();
    expectAppError(() => authenticate(request, credentials, NOW + 604_801_000), "Forbidden", "Request has expired");
  });

  it("accepts a URL dated a little in the future, but not more than 15 minutes", async () => {
    const request = await presignWithSdk({ path: "/bucket/k" }, { signingDate: NOW + 10 * 60_000 });
    expect(() => authenticate(request, credentials, NOW)).not.toThrow();
    const later = await presignWithSdk({ path: "/bucket/k" }, { signingDate: NOW + 16 * 60_000 });
    expectAppError(() => authenticate(later, credentials, NOW), "RequestTimeTooSkewed");
  });

  it.each([
    ["0", "InvalidArgument"],
    ["604801", "InvalidArgument"],
    ["-5", "InvalidArgument"],
    ["soon", "InvalidArgument"],
  ] as const)("refuses X-Amz-Expires=%s", async (expires, code) => {
    const request = withParam(await presignWithSdk({ path: "/bucket/k" }), "X-Amz-Expires", expires);
    expectAppError(() => authenticate(request, credentials, NOW), code, /X-Amz-Expires/);
  });

  it.each([
    ["the path", (r: SignedRequest) => ({ ...r, rawPath: "/bucket/other" })],
    ["the method", (r: SignedRequest) => ({ ...r, method: "DELETE" })],
    ["the host", (r: SignedRequest) => ({ ...r, headers: { ...r.headers, host: "evil.test" } })],
    ["X-Amz-Expires", (r: SignedRequest) => withParam(r, "X-Amz-Expires", "7200")],
    ["X-Amz-Date", (r: SignedRequest) => withParam(r, "X-Amz-Date", "20261123T093000Z")],
    ["a signed query parameter", (r: SignedRequest) => withParam(r, "response-content-type", "text%2Fhtml")],
    ["an added query parameter", (r: SignedRequest) => ({ ...r, rawQuery: `${r.rawQuery}&x-id=GetObject` })],
    ["the signature", (r: SignedRequest) => withParam(r, "X-Amz-Signature", "0".repeat(64))],
  ])("refuses a change to %s with SignatureDoesNotMatch", async (_label, tamper) => {
    const request = await presignWithSdk({ path: "/bucket/k", query: { "response-content-type": "text/plain" } }, { expiresIn: 3600 });
    expect(() => authenticate(request, credentials, NOW)).not.toThrow();
    expectAppError(() => authenticate(tamper(request), credentials, NOW), "SignatureDoesNotMatch");
  });

  it("refuses a URL presigned with another secret", async () => {
    const request = await presignWithSdk({ path: "/bucket/k" }, { secret: "not-the-secret" });
    expectAppError(() => authenticate(request, credentials, NOW), "SignatureDoesNotMatch");
  });

  it("refuses an unknown access key", async () => {
    const request = await presignWithSdk({ path: "/bucket/k" });
    expectAppError(() => authenticate(request, { secretFor: () => undefined }, NOW), "InvalidAccessKeyId");
  });

  it("refuses an x-amz-* header sent alongside the URL but not signed by it", async () => {
    const request = await presignWithSdk({ path: "/bucket/k", method: "PUT" });
    expectAppError(
      () => authenticate({ ...request, headers: { ...request.headers, "x-amz-acl": "public-read" } }, credentials, NOW),
      "Forbidden",
      /not signed: x-amz-acl/,
    );
  });

  it("verifies the body against a digest that was presigned", async () => {
    const digest = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
    const request = await presignWithSdk({ method: "PUT", path: "/bucket/k", headers: { "X-Amz-Content-Sha256": digest } });
    expect(request.rawQuery).toContain(`X-Amz-Content-Sha256=${digest}`);
    expect(authenticate(request, credentials, NOW).payload).toEqual({ kind: "sha256", hex: digest });
  });

  it.each(["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"])(
    "refuses a URL missing %s as malformed",
    async (name) => {
      const request = withoutParam(await presignWithSdk({ path: "/bucket/k" }), name);
      expectAppError(() => authenticate(request, credentials, NOW), "AuthorizationHeaderMalformed");
    },
  );

  it("refuses a URL whose credential date is not the X-Amz-Date day", async () => {
    const request = withParam(await presignWithSdk({ path: "/bucket/k" }), "X-Amz-Date", "20261122T093015Z");
    expectAppError(() => authenticate(request, credentials, NOW), "AuthorizationHeaderMalformed", /Invalid credential date/);
  });

  it("refuses another algorithm", async () => {
    const request = withParam(await presignWithSdk({ path: "/bucket/k" }), "X-Amz-Algorithm", "AWS4-ECDSA-P256-SHA256");
    expectAppError(() => authenticate(request, credentials, NOW), "AuthorizationHeaderMalformed", /X-Amz-Algorithm/);
  });
});
