import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpReceiver, type HttpReceiver } from "../../test/support/http-receiver.ts";
import { startTestHerald, waitUntil, type TestHerald } from "../../test/support/test-herald.ts";
import { createS3Endpoint, type S3Endpoint } from "./create-s3-endpoint.ts";

const KEY = "RAWTESTKEY";
const SECRET = "raw-test-secret-0123456789";
const signer = new SignatureV4({ service: "s3", region: "us-east-1", credentials: { accessKeyId: KEY, secretAccessKey: SECRET }, sha256: Sha256, uriEscapePath: false });

interface Side {
  herald: TestHerald;
  endpoint: S3Endpoint;
  port: number;
  receiver: HttpReceiver;
}
let plain: Side;
let withAccess: Side;

async function start(env: Record<string, string>): Promise<Side> {
  const herald = await startTestHerald({ HERALD_S3_ACCESS_KEYS: `${KEY}:${SECRET}`, ...env });
  const receiver = await startHttpReceiver();
  const target = await herald.engine.createTarget({ id: "raw", type: "webhook", config: { endpoint: receiver.url, healthCheck: "none" } });
  await herald.engine.putBucketConfig("raw", { rules: [{ id: "all", events: ["Everything"], targetArns: [target.arn] }] });
  const endpoint = await createS3Endpoint(herald);
  await new Promise<void>((resolve) => endpoint.server.listen(0, "127.0.0.1", resolve));
  return { herald, endpoint, receiver, port: (endpoint.server.address() as AddressInfo).port };
}

/** A request signed as an S3 client signs it, sent to 127.0.0.1 whatever its Host says. */
async function send(side: Side, init: { method: string; path: string; host?: string; query?: Record<string, string>; body?: string; headers?: Record<string, string> }) {
  const host = init.host ?? `127.0.0.1:${side.port}`;
  const body = init.body ?? "";
  const request = new HttpRequest({
    method: init.method,
    protocol: "http:",
    hostname: host.replace(/:\d+$/, ""),
    port: side.port,
    path: init.path,
    query: init.query ?? {},
    headers: { host, "x-amz-content-sha256": createHash("sha256").update(body).digest("hex"), ...init.headers },
    body,
  });
  const signed = await signer.sign(request);
  const query = new URLSearchParams(init.query ?? {}).toString();
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port: side.port, method: init.method, path: `${init.path}${query ? `?${query}` : ""}`, headers: { ...signed.headers, "user-agent": "herald-raw-test/1.0" } },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function deliveredRecords(side: Side) {
  return side.receiver.requests.flatMap((r) => (r.body as { Records: Record<string, any>[] }).Records);
}

beforeAll(async () => {
  plain = await start({});
  withAccess = await start({ HERALD_S3_ACCESS_EVENTS: "on", HERALD_S3_EVENTS: "async" });
  for (const side of [plain, withAccess]) expect((await send(side, { method: "PUT", path: "/raw" })).status).toBe(200);
});

afterAll(async () => {
  for (const side of [plain, withAccess]) {
    await side?.endpoint.close();
    await side?.receiver.stop();
    await side?.herald.stop();
  }
});

describe("the S3 endpoint on the wire", () => {
  it("addresses a bucket by virtual host (<bucket>.localhost) as well as by path", async () => {
    const put = await send(plain, { method: "PUT", path: "/vhost.txt", host: `raw.localhost:${plain.port}`, body: "by host" });
    expect(put.status).toBe(200);
    const get = await send(plain, { method: "GET", path: "/raw/vhost.txt" });
    expect([get.status, get.body]).toEqual([200, "by host"]);
  });

  it("puts the request id, client address and user agent in the event, and a failed operation emits nothing", async () => {
    const put = await send(plain, { method: "PUT", path: "/raw/who.txt", body: "x" });
    const failed = await send(plain, { method: "PUT", path: "/raw/bad.txt", body: "x", headers: { "content-md5": createHash("md5").update("y").digest("base64") } });
    expect(failed.body).toContain("<Code>BadDigest</Code>");
    await waitUntil(() => deliveredRecords(plain).some((r) => r.s3.object.key === "who.txt"), "the put's event");
    const record = deliveredRecords(plain).find((r) => r.s3.object.key === "who.txt")!;
    expect(record.responseElements["x-amz-request-id"]).toBe(put.headers["x-amz-request-id"]);
    expect(record.requestParameters.sourceIPAddress).toBe("127.0.0.1");
    expect(record.source).toMatchObject({ host: "127.0.0.1", userAgent: "herald-raw-test/1.0" });
    expect(record.userIdentity.principalId).toBe(KEY);
    await new Promise((r) => setTimeout(r, 200));
    expect(deliveredRecords(plain).filter((r) => r.s3.object.key === "bad.txt")).toEqual([]);
  });

  it("answers malformed XML with MalformedXML and keeps serving", async () => {
    const res = await send(plain, { method: "POST", path: "/raw", query: { delete: "" }, body: "<Delete><Object><Key>a</Key></Object" });
    expect([res.status, res.body.includes("<Code>MalformedXML</Code>")]).toEqual([400, true]);
    const tags = await send(plain, { method: "PUT", path: "/raw/who.txt", query: { tagging: "" }, body: "not xml at all" });
    expect(tags.body).toContain("<Code>MalformedXML</Code>");
    expect((await send(plain, { method: "GET", path: "/" })).status).toBe(200);
  });

  it("emits s3:ObjectAccessed:Get and :Head when configured, and answers before the event is queued in async mode", async () => {
    await send(withAccess, { method: "PUT", path: "/raw/read-me", body: "hello" });
    expect((await send(withAccess, { method: "GET", path: "/raw/read-me" })).body).toBe("hello");
    expect((await send(withAccess, { method: "HEAD", path: "/raw/read-me" })).status).toBe(200);
    await waitUntil(() => deliveredRecords(withAccess).filter((r) => r.s3.object.key === "read-me").length >= 3, "put, get and head events");
    expect(deliveredRecords(withAccess).filter((r) => r.s3.object.key === "read-me").map((r) => r.eventName)).toEqual([
      "s3:ObjectCreated:Put",
      "s3:ObjectAccessed:Get",
      "s3:ObjectAccessed:Head",
    ]);
    await send(plain, { method: "GET", path: "/raw/who.txt" });
    await new Promise((r) => setTimeout(r, 200));
    expect(deliveredRecords(plain).some((r) => String(r.eventName).startsWith("s3:ObjectAccessed"))).toBe(false);
  });
});
