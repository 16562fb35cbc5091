import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { startHttpReceiver, type HttpReceiver } from "../../../test/support/http-receiver.ts";
import { freePort } from "../../../test/support/free-port.ts";
import { sendError } from "../../../test/support/target-test-kit.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import { silentLogger } from "../../logging/logger.ts";
import type { Target } from "../target.ts";
import { webhookConfigSchema, type WebhookConfigInput } from "./webhook-config.ts";
import { webhookTargetType } from "./webhook-target-type.ts";
import { eventIdHeaders, httpStatusError, parseRetryAfter } from "./webhook-target.ts";

const open: Target[] = [];

async function webhook(config: WebhookConfigInput, id = "hook"): Promise<Target> {
  const target = webhookTargetType.create(webhookConfigSchema.parse(config), {
    id,
    arn: `arn:herald:sqs:us-east-1:${id}:webhook`,
    logger: silentLogger(),
  });
  open.push(target);
  await target.init();
  return target;
}

let receiver: HttpReceiver;

beforeAll(async () => {
  receiver = await startHttpReceiver();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  receiver.setResponder(undefined);
  receiver.reset();
  if (!receiver.running) await receiver.start();
});

afterAll(async () => {
  await receiver.stop();
});

describe("webhook delivery", () => {
  it("POSTs the MinIO-style JSON body with Herald's headers", async () => {
    const target = await webhook({ endpoint: `${receiver.url}?source=herald` });
    const item = makeItem({ bucket: "photos", key: "a b/c.jpg", ruleId: "thumbnails" });
    await expect(target.send([item])).resolves.toEqual({ statusCode: 200 });

    const [request] = await receiver.waitFor(1);
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/hook?source=herald");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["user-agent"]).toBe("Herald/0.1");
    expect(request?.headers["x-herald-event-id"]).toBe(item.event.id);
    expect(request?.headers.authorization).toBeUndefined();
    const body = request?.body as S3NotificationMessage;
    expect(body.EventName).toBe("s3:ObjectCreated:Put");
    expect(body.Key).toBe("photos/a b/c.jpg");
    expect(body.Records).toHaveLength(1);
    expect(body.Records[0]?.s3.configurationId).toBe("thumbnails");
    expect(body.Records[0]?.s3.object.key).toBe("a+b/c.jpg");
    expect(body.Records[0]?.responseElements["x-herald-event-id"]).toBe(item.event.id);
  });

  it("sends a batch as one POST whose Records hold every event", async () => {
    const target = await webhook({ endpoint: receiver.url });
    const batch = [makeItem({ ruleId: "r1" }), makeItem({ ruleId: "r2" }), makeItem({ ruleId: "r3", eventName: "s3:ObjectRemoved:Delete" })];
    await target.send(batch);
    await receiver.waitFor(1);
    // Give a wrongly split batch the time to show up.
    await new Promise((r) => setTimeout(r, 50));
    expect(receiver.requests).toHaveLength(1);
    const body = receiver.requests[0]?.body as S3NotificationMessage;
    expect(body.Records.map((r) => r.s3.configurationId)).toEqual(["r1", "r2", "r3"]);
    expect(body.Records.map((r) => r.eventName)).toEqual(["s3:ObjectCreated:Put", "s3:ObjectCreated:Put", "s3:ObjectRemoved:Delete"]);
    expect(receiver.requests[0]?.headers["x-herald-event-id"]).toBe(batch.map((i) => i.event.id).join(","));
  });

  it("takes any 2xx as success and reports its status", async () => {
    const target = await webhook({ endpoint: receiver.url });
    receiver.setResponder(() => ({ status: 204 }));
    await expect(target.send([makeItem()])).resolves.toEqual({ statusCode: 204 });
    receiver.setResponder(() => ({ status: 202, body: "queued" }));
    await expect(target.send([makeItem()])).resolves.toEqual({ statusCode: 202 });
  });

  it("reuses one keep-alive connection, also after error answers with bodies", async () => {
    const target = await webhook({ endpoint: receiver.url });
    receiver.setResponder((_req, _body, n) => (n % 3 === 0 ? { status: 500, body: "e".repeat(200_000) } : { status: 200, body: "k".repeat(200_000) }));
    for (let i = 0; i < 30; i++) await target.send([makeItem()]).catch(() => undefined);
    expect(receiver.requests).toHaveLength(30);
    // undici frees a connection a tick after its response ends, so back-to-back
    // sends may alternate between two; an undrained body would hold each one.
    expect(receiver.connections).toBeLessThanOrEqual(2);
  });

  it("sends the auth token as a bearer token, and custom headers", async () => {
    const target = await webhook({ endpoint: receiver.url, authToken: "t0k3n", headers: { "X-Team": "storage", "User-Agent": "custom/1" } });
    await target.send([makeItem()]);
    const [request] = await receiver.waitFor(1);
    expect(request?.headers.authorization).toBe("Bearer t0k3n");
    expect(request?.headers["x-team"]).toBe("storage");
    expect(request?.headers["user-agent"]).toBe("custom/1");
  });

  it("sends a token that names its scheme as is", async () => {
    const basic = await webhook({ endpoint: receiver.url, authToken: "Basic dXNlcjpwYXNz" });
    await basic.send([makeItem()]);
    const bearer = await webhook({ endpoint: receiver.url, authToken: "Bearer abc" });
    await bearer.send([makeItem()]);
    await receiver.waitFor(2);
    expect(receiver.requests.map((r) => r.headers.authorization)).toEqual(["Basic dXNlcjpwYXNz", "Bearer abc"]);
  });

  it("turns credentials in the endpoint URL into basic auth", async () => {
    const target = await webhook({ endpoint: receiver.url.replace("http://", "http://user%40x:p%3Ass@") });
    await target.send([makeItem()]);
    const [request] = await receiver.waitFor(1);
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from("user@x:p:ss").toString("base64")}`);
  });
});

describe("webhook failures", () => {
  it.each([408, 429, 500, 502, 503, 504])("retries HTTP %i", async (status) => {
    const target = await webhook({ endpoint: receiver.url });
    receiver.setResponder(() => ({ status, body: "try later" }));
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.statusCode).toBe(status);
    expect(error.pauseTarget).toBe(false);
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.message).toBe(`HTTP ${status}: try later`);
  });

  it("honours Retry-After in seconds and as an HTTP date", async () => {
    const target = await webhook({ endpoint: receiver.url });
    receiver.setResponder(() => ({ status: 429, headers: { "retry-after": "7" } }));
    expect((await sendError(target)).retryAfterMs).toBe(7_000);

    const at = new Date(Date.now() + 30_000).toUTCString();
    receiver.setResponder(() => ({ status: 503, headers: { "retry-after": at } }));
    const dated = await sendError(target);
    // HTTP dates have whole seconds.
    expect(dated.retryAfterMs).toBeGreaterThan(28_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(30_000);

    receiver.setResponder(() => ({ status: 503, headers: { "retry-after": "soon" } }));
    expect((await sendError(target)).retryAfterMs).toBeUndefined();
  });

  it("gives up on 410 and asks for the target to be paused", async () => {
    const target = await webhook({ endpoint: receiver.url });
    receiver.setResponder(() => ({ status: 410, body: "gone" }));
    const error = await sendError(target);
    expect(error).toMatchObject({ retryable: false, pauseTarget: true, statusCode: 410 });
  });

  it.each([400, 401, 403, 404, 413, 422])("gives up on HTTP %i without pausing", async (status) => {
    const target = await webhook({ endpoint: receiver.url });
    receiver.setResponder(() => ({ status, body: JSON.stringify({ error: "nope" }) }));
    const error = await sendError(target);
    expect(error).toMatchObject({ retryable: false, pauseTarget: false, statusCode: status });
    expect(error.message).toBe(`HTTP ${status}: {"error":"nope"}`);
  });

  it("does not follow redirects", async () => {
    const target = await webhook({ endpoint: receiver.url });
    receiver.setResponder(() => ({ status: 307, headers: { location: "http://127.0.0.1:1/elsewhere" } }));
    expect(await sendError(target)).toMatchObject({ retryable: false, statusCode: 307 });
    expect(receiver.requests).toHaveLength(1);
  });

  it("retries a receiver that does not answer in time", async () => {
    const target = await webhook({ endpoint: receiver.url, timeoutMs: 200 });
    receiver.setResponder(() => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 2_000)));
    const started = Date.now();
    const error = await sendError(target);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(error.retryable).toBe(true);
    expect(error.statusCode).toBeUndefined();
    expect(error.message).toBe("timed out after 200 ms");
  });

  it("retries when the connection is refused", async () => {
    const target = await webhook({ endpoint: `http://127.0.0.1:${await freePort()}/hook` });
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("delivers again once a receiver that went down comes back", async () => {
    const target = await webhook({ endpoint: receiver.url });
    await target.send([makeItem()]);
    await receiver.stop();
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    await receiver.start();
    await expect(target.send([makeItem()])).resolves.toEqual({ statusCode: 200 });
    expect(receiver.requests).toHaveLength(2);
  });

  it("retries after a receiver cuts the connection mid-request", async () => {
    const target = await webhook({ endpoint: receiver.url });
    receiver.setResponder(async () => {
      await receiver.stop();
      return { status: 200 };
    });
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
  });

  it("fails retryably with the reason when a TLS file cannot be read, and recovers once it can", async () => {
    const target = webhookTargetType.create(
      webhookConfigSchema.parse({ endpoint: "https://127.0.0.1:1/hook", tls: { caFile: "/nonexistent/ca.pem" } }),
      { id: "tls", arn: "arn:herald:sqs:us-east-1:tls:webhook", logger: silentLogger() },
    );
    open.push(target);
    await expect(target.init()).rejects.toThrow(/tls\.caFile: cannot read \/nonexistent\/ca\.pem/);
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("tls.caFile");
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toContain("tls.caFile");
  });

  it("refuses to send once closed", async () => {
    const target = await webhook({ endpoint: receiver.url });
    await target.close();
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("closed");
  });
});

describe("webhook health check", () => {
  it("is ok for any HTTP answer to HEAD /, even 404 or 405", async () => {
    const target = await webhook({ endpoint: `${receiver.origin}/deep/hook`, authToken: "t" });
    receiver.setResponder((req) => ({ status: req.method === "HEAD" ? 405 : 200 }));
    const health = await target.healthCheck();
    expect(health.ok).toBe(true);
    expect(health.error).toBeUndefined();
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(health.checkedAt).toBeGreaterThan(Date.now() - 5_000);
    const [request] = await receiver.waitFor(1);
    expect(request).toMatchObject({ method: "HEAD", path: "/" });
    expect(request?.headers.authorization).toBe("Bearer t");
    receiver.setResponder(() => ({ status: 404 }));
    expect((await target.healthCheck()).ok).toBe(true);
  });

  it("is not ok when nothing listens", async () => {
    const target = await webhook({ endpoint: receiver.url });
    await receiver.stop();
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toContain("ECONNREFUSED");
  });

  it("is not ok when the receiver does not answer in time", async () => {
    const target = await webhook({ endpoint: receiver.url, timeoutMs: 150 });
    receiver.setResponder(() => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 1_000)));
    const health = await target.healthCheck();
    expect(health).toMatchObject({ ok: false, error: "timed out after 150 ms" });
  });

  it("sends nothing when health checks are off", async () => {
    const target = await webhook({ endpoint: receiver.url, healthCheck: "none" });
    expect((await target.healthCheck()).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 30));
    expect(receiver.requests).toHaveLength(0);
  });
});

describe("webhook helpers", () => {
  it("parses Retry-After", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter(["3", "9"], now)).toBe(3_000);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("99999999999", now)).toBe(86_400_000);
    expect(parseRetryAfter("1.5", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("next tuesday-ish", now)).toBeUndefined();
  });

  it("classifies statuses", () => {
    expect(httpStatusError(500, "2")).toMatchObject({ retryable: true, retryAfterMs: 2_000, statusCode: 500 });
    expect(httpStatusError(410, undefined)).toMatchObject({ retryable: false, pauseTarget: true });
    expect(httpStatusError(409, "5")).toMatchObject({ retryable: false, pauseTarget: false, retryAfterMs: undefined });
  });

  it("keeps X-Herald-Event-Id within header limits for huge batches", () => {
    const small = [makeItem(), makeItem()];
    expect(eventIdHeaders(small)).toEqual({ "x-herald-event-id": `${small[0]?.event.id},${small[1]?.event.id}` });
    const huge = Array.from({ length: 1_000 }, () => makeItem());
    const headers = eventIdHeaders(huge);
    const ids = headers["x-herald-event-id"]?.split(",") ?? [];
    expect(headers["x-herald-event-id"]?.length).toBeLessThanOrEqual(8 * 1024);
    expect(ids.length).toBeGreaterThan(100);
    expect(ids).toEqual(huge.slice(0, ids.length).map((i) => i.event.id));
    expect(headers["x-herald-event-count"]).toBe("1000");
  });

  it("delivers a batch whose id list is cut, with every record in the body", async () => {
    const target = await webhook({ endpoint: receiver.url });
    const batch = Array.from({ length: 600 }, (_, i) => makeItem({ ruleId: `r${i}` }));
    await expect(target.send(batch)).resolves.toEqual({ statusCode: 200 });
    const [request] = await receiver.waitFor(1);
    expect((request?.body as S3NotificationMessage).Records).toHaveLength(600);
    expect(request?.headers["x-herald-event-count"]).toBe("600");
  });
});
