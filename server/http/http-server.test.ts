import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpReceiver, type HttpReceiver } from "../../test/support/http-receiver.ts";
import { startTestApi, type TestApi } from "../../test/support/test-http.ts";
import { waitUntil } from "../../test/support/test-herald.ts";

let api: TestApi;
let receiver: HttpReceiver;
let arn: string;

beforeAll(async () => {
  api = await startTestApi({ HERALD_MAX_BODY_BYTES: "65536", HERALD_MAX_EVENTS_PER_REQUEST: "100" });
  receiver = await startHttpReceiver();
  const created = await api.call("POST", "/api/v1/targets", {
    body: { id: "orders", type: "webhook", config: { endpoint: receiver.url, authToken: "s3cret", healthCheck: "none" } },
  });
  expect(created.status).toBe(201);
  arn = created.json.arn;
});

afterAll(async () => {
  await api.stop();
  await receiver.stop();
});

describe("auth and probes", () => {
  it("serves probes and metrics without a token", async () => {
    expect((await api.call("GET", "/healthz", { token: null })).json).toEqual({ status: "ok" });
    expect((await api.call("GET", "/readyz", { token: null })).status).toBe(200);
    const metrics = await api.call("GET", "/metrics", { token: null });
    expect(metrics.text).toContain("herald_deliveries_total");
    expect(metrics.text).toContain(`herald_queue_depth{target="${arn}",type="webhook"}`);
  });

  it("refuses the API without the right bearer token", async () => {
    for (const token of [null, "wrong"]) {
      const res = await api.call("GET", "/api/v1/targets", { token });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe("Unauthorized");
      expect(res.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  it("answers unknown routes with 404 and JSON", async () => {
    const res = await api.call("GET", "/api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("NotFound");
  });
});

describe("targets", () => {
  it("masks secrets and names the bad config field", async () => {
    const list = await api.call("GET", "/api/v1/targets");
    expect(list.json.targets[0].config.authToken).toBe("********");
    expect(JSON.stringify(list.json)).not.toContain("s3cret");
    const bad = await api.call("POST", "/api/v1/targets", { body: { id: "x", type: "webhook", config: { endpoint: "not a url" } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("InvalidTargetConfig");
    expect(bad.json.error.field).toBe("config.endpoint");
    const badType = await api.call("POST", "/api/v1/targets", { body: { id: "x", type: "carrier-pigeon", config: {} } });
    expect(badType.status).toBe(400);
    expect(badType.json.error.field).toBe("type");
  });
});

describe("events", () => {
  it("emits through a rule to the webhook and reads the event back with its attempts", async () => {
    const put = await api.call("PUT", "/api/v1/buckets/shop/notification", {
      body: { rules: [{ id: "orders", events: ["s3:ObjectCreated:*"], prefix: "orders/", targetArns: [arn] }] },
    });
    expect(put.status).toBe(200);
    const emitted = await api.call("POST", "/api/v1/events", {
      body: { events: [{ bucket: "shop", key: "orders/1.json", eventName: "s3:ObjectCreated:Put", size: 5 }, { bucket: "shop", key: "other/2.json", eventName: "s3:ObjectCreated:Put", size: 5 }] },
    });
    expect(emitted.status).toBe(202);
    expect(emitted.json.events.map((e: { matched: number }) => e.matched)).toEqual([1, 0]);
    const [request] = await receiver.waitFor(1);
    expect(request!.headers.authorization).toBe("Bearer s3cret");
    const id = emitted.json.events[0].id;
    await waitUntil(async () => (await api.call("GET", `/api/v1/events/${id}`)).json.attempts.length === 1, "attempt recorded");
    const detail = await api.call("GET", `/api/v1/events/${id}`);
    expect(detail.json.event.outcome).toBe("delivered");
    expect(detail.json.attempts[0]).toMatchObject({ targetArn: arn, attempt: 1, outcome: "success", statusCode: 200 });
    const search = await api.call("GET", "/api/v1/events?bucket=shop&outcome=unmatched");
    expect(search.json.events.map((e: { key: string }) => e.key)).toEqual(["other/2.json"]);
    expect(search.json.total).toBe(1);
  });

  it("names the field at fault and refuses oversized bodies with 413", async () => {
    const badName = await api.call("POST", "/api/v1/events", {
      body: { events: [{ bucket: "b", key: "k", eventName: "s3:ObjectCreated:Put" }, { bucket: "b", key: "k", eventName: "s3:ObjectMade" }] },
    });
    expect(badName.status).toBe(400);
    expect(badName.json.error).toMatchObject({ code: "InvalidEventName", field: "events[1].eventName" });
    const notJson = await api.call("POST", "/api/v1/events", { raw: "{nope", contentType: "application/json" });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error.field).toBe("body");
    const huge = await api.call("POST", "/api/v1/events", { raw: JSON.stringify({ bucket: "b", key: "x".repeat(70_000), eventName: "s3:ObjectCreated:Put" }), contentType: "application/json" });
    expect(huge.status).toBe(413);
    expect(huge.json.error.code).toBe("PayloadTooLarge");
    const tooMany = await api.call("POST", "/api/v1/events", { body: { events: Array.from({ length: 101 }, () => ({ bucket: "b", key: "k", eventName: "s3:ObjectCreated:Put" })) } });
    expect(tooMany.status).toBe(413);
    // Nothing of the refused requests was accepted.
    expect((await api.call("GET", "/api/v1/events?bucket=b")).json.total).toBe(0);
  });

  it("ingests MinIO notification JSON and keeps its sequencer", async () => {
    const minio = {
      EventName: "s3:ObjectRemoved:Delete",
      Key: "shop/orders/9.json",
      Records: [
        {
          eventVersion: "2.0",
          eventSource: "minio:s3",
          awsRegion: "",
          eventTime: "2026-11-23T10:00:00.000Z",
          eventName: "s3:ObjectRemoved:Delete",
          userIdentity: { principalId: "minio" },
          requestParameters: { sourceIPAddress: "10.0.0.1" },
          responseElements: { "x-amz-request-id": "17A" },
          s3: {
            s3SchemaVersion: "1.0",
            configurationId: "Config",
            bucket: { name: "shop", ownerIdentity: { principalId: "minio" }, arn: "arn:aws:s3:::shop" },
            object: { key: "orders%2F9.json", sequencer: "17A1B2C3D4E5F607" },
          },
          source: { host: "10.0.0.1", port: "", userAgent: "MinIO (linux; amd64)" },
        },
      ],
    };
    const res = await api.call("POST", "/api/v1/ingest/s3", { body: minio });
    expect(res.status).toBe(202);
    const detail = await api.call("GET", `/api/v1/events/${res.json.events[0].id}`);
    expect(detail.json.event).toMatchObject({ bucket: "shop", key: "orders/9.json", eventName: "s3:ObjectRemoved:Delete", source: "ingest" });
    expect(detail.json.event.record.s3.object.sequencer).toBe("17A1B2C3D4E5F607");
  });
});

describe("bucket notification configuration", () => {
  it("imports XML as the AWS SDK sends it, exports it back, and rejects malformed XML", async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><QueueConfiguration><Id>csv</Id><Queue>${arn}</Queue><Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>suffix</Name><Value>.csv</Value></FilterRule></S3Key></Filter></QueueConfiguration></NotificationConfiguration>`;
    const put = await api.call("PUT", "/api/v1/buckets/data/notification", { raw: xml, contentType: "application/xml" });
    expect(put.status).toBe(200);
    expect(put.json.rules).toEqual([{ id: "csv", events: ["s3:ObjectCreated:*"], suffix: ".csv", targetArns: [arn] }]);
    const exported = await api.call("GET", "/api/v1/buckets/data/notification?format=xml");
    expect(exported.headers.get("content-type")).toContain("xml");
    const again = await api.call("PUT", "/api/v1/buckets/data/notification", { raw: exported.text, contentType: "application/xml" });
    expect(again.json).toEqual(put.json);
    const malformed = await api.call("PUT", "/api/v1/buckets/data/notification", { raw: "<NotificationConfiguration><QueueConfiguration>", contentType: "application/xml" });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe("MalformedXML");
    const buckets = await api.call("GET", "/api/v1/buckets");
    expect(buckets.json.buckets).toContainEqual(expect.objectContaining({ name: "data", ruleCount: 1 }));
  });

  it("rejects an unknown ARN and leaves the old configuration in place", async () => {
    const before = await api.call("GET", "/api/v1/buckets/data/notification");
    const res = await api.call("PUT", "/api/v1/buckets/data/notification", {
      body: { rules: [{ id: "r", events: ["s3:ObjectCreated:Put"], targetArns: ["arn:herald:sqs:us-east-1:ghost:webhook"] }] },
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "TargetArnNotFound", field: "rules[0].targetArns[0]" });
    expect((await api.call("GET", "/api/v1/buckets/data/notification")).json).toEqual(before.json);
  });

  it("explains a dry run", async () => {
    const res = await api.call("POST", "/api/v1/buckets/data/dry-run", { body: { eventName: "s3:ObjectCreated:Put", key: "x.json" } });
    expect(res.json.matches).toEqual([]);
    expect(res.json.others).toEqual([expect.objectContaining({ ruleId: "csv", reason: "suffix" })]);
  });

  it("refuses to delete a target a rule still uses", async () => {
    const res = await api.call("DELETE", `/api/v1/targets/${encodeURIComponent(arn)}`);
    expect(res.status).toBe(409);
    expect(res.json.error.message).toContain("rule csv of bucket data");
  });
});
