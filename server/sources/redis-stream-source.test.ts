import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { NewEvent } from "../events/new-event.ts";
import { silentLogger } from "../logging/logger.ts";
import { startHttpReceiver, type HttpReceiver } from "../../test/support/http-receiver.ts";
import { startRedisServer } from "../../test/support/redis-server.ts";
import { startTestHerald, waitUntil, type TestHerald } from "../../test/support/test-herald.ts";
import { RedisStreamSource, type RedisStreamSourceOptions } from "./redis-stream-source.ts";

const redisUrl = inject("redisUrl");
let redis: Redis;
const sources: RedisStreamSource[] = [];
let streamNo = 0;

function notification(bucket: string, key: string, eventName = "ObjectCreated:Put"): string {
  return JSON.stringify({
    EventName: `s3:${eventName}`,
    Key: `${bucket}/${key}`,
    Records: [
      {
        eventVersion: "2.0",
        eventSource: "minio:s3",
        eventTime: "2026-11-23T10:00:00.000Z",
        eventName,
        s3: { bucket: { name: bucket }, object: { key: encodeURIComponent(key), size: 3, eTag: "abc", sequencer: "1" } },
      },
    ],
  });
}

function source(options: Partial<RedisStreamSourceOptions> & { stream: string }, submit: (events: readonly NewEvent[]) => Promise<unknown>): RedisStreamSource {
  const created = new RedisStreamSource({ url: redisUrl, name: "herald", field: "event", start: "0", blockMs: 100, ...options }, { submit, logger: silentLogger() });
  sources.push(created);
  created.start();
  return created;
}

function collector(): { events: NewEvent[]; submit: (events: readonly NewEvent[]) => Promise<void> } {
  const events: NewEvent[] = [];
  return { events, submit: async (batch) => void events.push(...batch) };
}

beforeAll(() => {
  redis = new Redis(redisUrl);
});

afterEach(async () => {
  await Promise.all(sources.splice(0).map((s) => s.stop()));
});

afterAll(() => {
  redis.disconnect();
});

const nextStream = () => `herald-test-stream-${process.pid}-${(streamNo += 1)}`;

describe("RedisStreamSource", () => {
  it("feeds notifications from the stream and saves its cursor after they are accepted", async () => {
    const stream = nextStream();
    await redis.xadd(stream, "*", "event", notification("photos", "2026/cat one.jpg"));
    const lastId = await redis.xadd(stream, "*", "event", notification("photos", "old.jpg", "ObjectRemoved:Delete"));
    const { events, submit } = collector();
    const reader = source({ stream }, submit);
    await waitUntil(() => events.length === 2, "two events");
    expect(events.map((e) => [e.bucket, e.key, e.eventName])).toEqual([
      ["photos", "2026/cat one.jpg", "s3:ObjectCreated:Put"],
      ["photos", "old.jpg", "s3:ObjectRemoved:Delete"],
    ]);
    expect(events[0]?.source).toBe("redis-stream");
    await waitUntil(async () => (await redis.get(reader.cursorKey)) === lastId, "the cursor saved");
  });

  it("resumes after a restart where it stopped, each subscriber name with its own cursor", async () => {
    const stream = nextStream();
    await redis.xadd(stream, "*", "event", notification("b", "1"));
    const first = collector();
    const a = source({ stream, name: "a" }, first.submit);
    await waitUntil(() => first.events.length === 1, "first event");
    await waitUntil(async () => (await redis.get(a.cursorKey)) !== null, "cursor");
    await a.stop();
    await redis.xadd(stream, "*", "event", notification("b", "2"));
    await redis.xadd(stream, "*", "event", notification("b", "3"));
    const again = collector();
    source({ stream, name: "a" }, again.submit);
    await waitUntil(() => again.events.length === 2, "the two new events");
    expect(again.events.map((e) => e.key)).toEqual(["2", "3"]);
    const other = collector();
    source({ stream, name: "b" }, other.submit);
    await waitUntil(() => other.events.length === 3, "all three for another subscriber");
    // Nothing more arrives for "a" (no duplicates).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(again.events).toHaveLength(2);
  });

  it("starts at the end with start $, and keeps that position across a restart", async () => {
    const stream = nextStream();
    await redis.xadd(stream, "*", "event", notification("b", "before"));
    const { events, submit } = collector();
    const s = source({ stream, start: "$" }, submit);
    await waitUntil(async () => (await redis.get(s.cursorKey)) !== null, "cursor pinned");
    await redis.xadd(stream, "*", "event", notification("b", "after"));
    await waitUntil(() => events.length === 1, "the new event");
    expect(events[0]?.key).toBe("after");
  });

  it("steps over entries without a notification and keeps going", async () => {
    const stream = nextStream();
    await redis.xadd(stream, "*", "event", "not json");
    await redis.xadd(stream, "*", "other", notification("b", "wrong-field"));
    await redis.xadd(stream, "*", "event", JSON.stringify({ hello: "world" }));
    await redis.xadd(stream, "*", "event", notification("b", "good"));
    const { events, submit } = collector();
    const s = source({ stream }, submit);
    await waitUntil(() => events.length === 1, "the good event");
    expect(events[0]?.key).toBe("good");
    expect(s.skippedEntries).toBe(3);
  });

  it("does not move the cursor while the pipeline refuses, so nothing is lost", async () => {
    const stream = nextStream();
    await redis.xadd(stream, "*", "event", notification("b", "k1"));
    let refuse = true;
    let attempts = 0;
    const accepted: NewEvent[] = [];
    const s = source({ stream }, async (batch) => {
      attempts += 1;
      if (refuse) throw new Error("database unavailable");
      accepted.push(...batch);
    });
    await waitUntil(() => attempts >= 2, "retries");
    expect(await redis.get(s.cursorKey)).toBeNull();
    refuse = false;
    await waitUntil(() => accepted.length === 1, "accepted once the pipeline is back", 15_000);
    expect(accepted[0]?.key).toBe("k1");
  });

  it("reconnects when its Redis server comes back", async () => {
    const server = await startRedisServer();
    const client = new Redis(server.url);
    const stream = nextStream();
    await client.xadd(stream, "*", "event", notification("b", "one"));
    const { events, submit } = collector();
    const s = new RedisStreamSource({ url: server.url, stream, name: "r", field: "event", start: "0", blockMs: 100 }, { submit, logger: silentLogger() });
    sources.push(s);
    s.start();
    await waitUntil(() => events.length === 1, "first event");
    client.disconnect();
    await server.stop();
    // The server's data is gone with it (no persistence): the restarted stream starts empty, the cursor too.
    const again = await startRedisServer(server.port);
    const client2 = new Redis(again.url);
    try {
      await client2.xadd(stream, "*", "event", notification("b", "two"));
      await waitUntil(() => events.length === 2, "the event after the restart", 20_000);
      expect(events.map((e) => e.key)).toEqual(["one", "two"]);
    } finally {
      await s.stop();
      client2.disconnect();
      await again.stop();
    }
  });

  it("delivers through the real pipeline exactly as the ingest API does", async () => {
    let herald: TestHerald | undefined;
    let receiver: HttpReceiver | undefined;
    try {
      herald = await startTestHerald();
      receiver = await startHttpReceiver();
      await herald.engine.createTarget({ id: "hook", type: "webhook", config: { endpoint: receiver.url, healthCheck: "none" } });
      await herald.engine.putBucketConfig("media", { rules: [{ id: "all", events: ["s3:ObjectCreated:*"], targetArns: ["arn:herald:sqs:us-east-1:hook:webhook"] }] });
      const stream = nextStream();
      await redis.xadd(stream, "*", "event", notification("media", "a.mp4"));
      const engine = herald.engine;
      source({ stream }, (events) => engine.submit(events));
      const r = receiver;
      await waitUntil(() => r.requests.length >= 1, "delivered to the webhook");
      const body = r.requests[0]?.body as { Records: { s3: { object: { key: string } }; eventName: string }[] };
      expect(body.Records[0]).toMatchObject({ eventName: "s3:ObjectCreated:Put", s3: { object: { key: "a.mp4" } } });
    } finally {
      await receiver?.stop();
      await herald?.stop();
    }
  });
});
