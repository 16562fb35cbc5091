import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { freePort } from "../../../test/support/free-port.ts";
import { startRedisServer, type RunningRedis } from "../../../test/support/redis-server.ts";
import { eventually, expectDeliversOnceUp, expectSendRecovery, OpenTargets, sendError } from "../../../test/support/target-test-kit.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import type { Target } from "../target.ts";
import { redisConfigSchema, type RedisConfigInput } from "./redis-config.ts";
import { redisTargetType } from "./redis-target-type.ts";
import { redisClientOptions, redisReconnectDelay } from "./redis-target.ts";

const redisUrl = inject("redisUrl");
const targets = new OpenTargets({ id: "cache", arn: "arn:herald:sqs:us-east-1:cache:redis" });
const readers: Redis[] = [];

function redisTarget(config: RedisConfigInput): Target {
  return targets.create(redisTargetType, config);
}

function reader(url = redisUrl, options: { db?: number; password?: string } = {}): Redis {
  const client = new Redis(url, { ...options, lazyConnect: false, maxRetriesPerRequest: 1 });
  client.on("error", () => undefined);
  readers.push(client);
  return client;
}

/** Names no other test (or test file sharing this server) uses. */
function unique(prefix: string): string {
  return `${prefix}:${randomUUID()}`;
}

type StreamEntry = [id: string, fields: string[]];

function fieldsOf(entry: StreamEntry | undefined): Record<string, string> {
  const fields = entry?.[1] ?? [];
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i] as string] = fields[i + 1] as string;
  return out;
}

afterEach(async () => {
  await targets.closeAll();
});

afterAll(async () => {
  for (const client of readers) client.disconnect();
});

describe("redis streams", () => {
  it("XADDs each event with id, eventName, bucket, key and the JSON message", async () => {
    const stream = unique("herald:test");
    const target = redisTarget({ url: redisUrl, stream });
    await target.init();
    const batch = [makeItem({ bucket: "photos", key: "a b.jpg", ruleId: "r1" }), makeItem({ bucket: "docs", key: "x.pdf", ruleId: "r2", eventName: "s3:ObjectRemoved:Delete" })];
    await expect(target.send(batch)).resolves.toEqual({});

    const entries = (await reader().xrange(stream, "-", "+")) as StreamEntry[];
    expect(entries).toHaveLength(2);
    const first = fieldsOf(entries[0]);
    expect(Object.keys(first)).toEqual(["id", "eventName", "bucket", "key", "event"]);
    expect(first).toMatchObject({ id: batch[0]?.event.id, eventName: "s3:ObjectCreated:Put", bucket: "photos", key: "a b.jpg" });
    const message = JSON.parse(first.event ?? "") as S3NotificationMessage;
    expect(message.Key).toBe("photos/a b.jpg");
    expect(message.Records).toHaveLength(1);
    expect(message.Records[0]?.s3.configurationId).toBe("r1");
    const second = fieldsOf(entries[1]);
    expect(second).toMatchObject({ id: batch[1]?.event.id, eventName: "s3:ObjectRemoved:Delete", bucket: "docs", key: "x.pdf" });
    expect((JSON.parse(second.event ?? "") as S3NotificationMessage).Records[0]?.s3.configurationId).toBe("r2");
  });

  it("trims the stream to about maxLen", async () => {
    const stream = unique("herald:trim");
    const target = redisTarget({ url: redisUrl, stream, maxLen: 10 });
    for (let i = 0; i < 10; i++) await target.send(Array.from({ length: 50 }, () => makeItem()));
    const length = await reader().xlen(stream);
    // `~` trims whole radix-tree nodes (100 entries each by default), never below maxLen.
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThanOrEqual(110);
  });

  it("writes to the configured database", async () => {
    const stream = unique("herald:db");
    const target = redisTarget({ url: redisUrl, stream, db: 3 });
    await target.send([makeItem()]);
    expect(await reader(redisUrl, { db: 3 }).xlen(stream)).toBe(1);
    expect(await reader().xlen(stream)).toBe(0);
  });

  it("fails retryably when a command fails, naming the error", async () => {
    const stream = unique("herald:wrongtype");
    await reader().set(stream, "not a stream");
    const target = redisTarget({ url: redisUrl, stream });
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("WRONGTYPE");
  });
});

describe("redis publish", () => {
  it("PUBLISHes each event to {channel}:{bucket}", async () => {
    const channel = unique("s3:events");
    const subscriber = reader();
    const received: { channel: string; message: string }[] = [];
    subscriber.on("message", (ch: string, message: string) => received.push({ channel: ch, message }));
    await subscriber.subscribe(`${channel}:photos`, `${channel}:docs`);

    const target = redisTarget({ url: redisUrl, mode: "publish", channel });
    const batch = [makeItem({ bucket: "photos", ruleId: "a" }), makeItem({ bucket: "docs", ruleId: "b" }), makeItem({ bucket: "photos", ruleId: "c" })];
    await target.send(batch);
    await eventually(async () => expect(received).toHaveLength(3), 2_000);
    expect(received.map((r) => r.channel)).toEqual([`${channel}:photos`, `${channel}:docs`, `${channel}:photos`]);
    const messages = received.map((r) => JSON.parse(r.message) as S3NotificationMessage);
    expect(messages.map((m) => m.Records[0]?.s3.configurationId)).toEqual(["a", "b", "c"]);
    expect(messages.map((m) => m.Records[0]?.responseElements["x-herald-event-id"])).toEqual(batch.map((i) => i.event.id));
    expect(messages.every((m) => m.Records.length === 1)).toBe(true);
  });

  it("does both in mode both", async () => {
    const channel = unique("s3:both");
    const stream = unique("herald:both");
    const subscriber = reader();
    const received: string[] = [];
    subscriber.on("message", (_ch: string, message: string) => received.push(message));
    await subscriber.subscribe(`${channel}:photos`);
    const target = redisTarget({ url: redisUrl, mode: "both", channel, stream });
    const item = makeItem({ bucket: "photos" });
    await target.send([item]);
    await eventually(async () => expect(received).toHaveLength(1), 2_000);
    const entries = (await reader().xrange(stream, "-", "+")) as StreamEntry[];
    expect(entries).toHaveLength(1);
    expect(fieldsOf(entries[0]).event).toBe(received[0]);
  });

  it("does not write the stream in publish mode", async () => {
    const stream = unique("herald:none");
    const target = redisTarget({ url: redisUrl, mode: "publish", stream });
    await target.send([makeItem()]);
    expect(await reader().exists(stream)).toBe(0);
  });
});

describe("redis health", () => {
  it("is ok when PING answers", async () => {
    const target = redisTarget({ url: redisUrl });
    await target.init();
    const health = await target.healthCheck();
    expect(health).toMatchObject({ ok: true });
    expect(health.error).toBeUndefined();
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("connects on first use without init", async () => {
    const target = redisTarget({ url: redisUrl });
    expect((await target.healthCheck()).ok).toBe(true);
  });
});

describe("redis down", () => {
  it("fails sends fast and retryably, and reports unhealthy, when nothing listens", async () => {
    const target = redisTarget({ url: `redis://127.0.0.1:${await freePort()}` });
    await expect(target.init()).rejects.toThrow(/ECONNREFUSED/);
    const started = Date.now();
    const error = await sendError(target);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("ECONNREFUSED");
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toContain("ECONNREFUSED");
  });

  describe("with its own server", () => {
    let server: RunningRedis | undefined;

    afterEach(async () => {
      await server?.stop();
      server = undefined;
    });

    it("recovers by itself when the server comes back on the same port", async () => {
      server = await startRedisServer();
      const { port, url } = server;
      const stream = unique("herald:recover");
      const target = redisTarget({ url, stream });
      const item = await expectSendRecovery(target, {
        stop: async () => {
          await server?.stop();
          server = undefined;
        },
        start: async () => {
          server = await startRedisServer({ port });
        },
      });
      const entries = (await reader(url).xrange(stream, "-", "+")) as StreamEntry[];
      // The new server starts empty: only what was sent after the restart is there.
      expect(entries.map((e) => fieldsOf(e).id)).toEqual([item.event.id]);
    });

    it("starts delivering once a server that was down at init comes up", async () => {
      const port = await freePort();
      const stream = unique("herald:late");
      const target = redisTarget({ url: `redis://127.0.0.1:${port}`, stream });
      await expectDeliversOnceUp(target, async () => (server = await startRedisServer({ port })));
      expect(await reader(server!.url).xlen(stream)).toBe(1);
    });

    it("authenticates with the configured password, which wins over the URL's", async () => {
      server = await startRedisServer({ password: "s3cr3t" });
      const stream = unique("herald:auth");
      const target = redisTarget({ url: server.url.replace("redis://", "redis://:wrong@"), password: "s3cr3t", stream });
      await target.init();
      await target.send([makeItem()]);
      expect(await reader(server.url, { password: "s3cr3t" }).xlen(stream)).toBe(1);

      const refused = redisTarget({ url: server.url, password: "wrong", stream });
      await expect(refused.init()).rejects.toThrow(/WRONGPASS|invalid password/i);
      const error = await sendError(refused);
      expect(error.retryable).toBe(true);
      expect((await refused.healthCheck()).ok).toBe(false);
    });
  });

  it("refuses to send once closed", async () => {
    const target = redisTarget({ url: redisUrl });
    await target.init();
    await target.close();
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("closed");
  });
});

describe("redis client options", () => {
  it("takes host, port, credentials and db from the URL unless the config overrides them", async () => {
    const parse = (input: RedisConfigInput) => redisClientOptions(redisConfigSchema.parse(input));
    expect(await parse({ url: "redis://alice:p%40ss@cache.internal:6380/4" })).toMatchObject({
      host: "cache.internal",
      port: 6380,
      username: "alice",
      password: "p@ss",
      db: 4,
      lazyConnect: true,
      enableOfflineQueue: false,
    });
    expect(await parse({ url: "redis://:url@h/4", password: "cfg", db: 2 })).toMatchObject({ host: "h", port: 6379, password: "cfg", db: 2 });
    expect(await parse({ url: "redis://[::1]:7000" })).toMatchObject({ host: "::1", port: 7000, db: 0 });
    expect((await parse({ url: "redis://h" })).tls).toBeUndefined();
    expect((await parse({ url: "rediss://cache.example.com", tls: { skipVerify: true } })).tls).toEqual({
      rejectUnauthorized: false,
      servername: "cache.example.com",
    });
    await expect(parse({ url: "rediss://h", tls: { caFile: "/nonexistent.pem" } })).rejects.toThrow(/tls\.caFile/);
  });

  it("backs off reconnects exponentially up to a cap", () => {
    expect(redisReconnectDelay(1)).toBeLessThanOrEqual(100);
    expect(redisReconnectDelay(1)).toBeGreaterThanOrEqual(80);
    expect(redisReconnectDelay(3)).toBeGreaterThanOrEqual(320);
    for (const times of [10, 100, 10_000]) {
      expect(redisReconnectDelay(times)).toBeLessThanOrEqual(2_000);
      expect(redisReconnectDelay(times)).toBeGreaterThanOrEqual(1_600);
    }
  });
});
