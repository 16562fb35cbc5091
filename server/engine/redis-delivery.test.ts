import { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { emitPuts } from "../../test/support/engine-fixtures.ts";
import { startTestHerald, waitUntil, type TestHerald } from "../../test/support/test-herald.ts";

let herald: TestHerald;
let reader: Redis;
let subscriber: Redis;

beforeEach(async () => {
  herald = await startTestHerald();
  reader = new Redis(inject("redisUrl"));
  subscriber = new Redis(inject("redisUrl"));
});

afterEach(async () => {
  await herald.stop();
  reader.disconnect();
  subscriber.disconnect();
});

describe("delivery to Redis through the pipeline", () => {
  it("publishes to {channel}:{bucket} and appends to the stream, read back by other clients", async () => {
    const stream = `herald:test:${Date.now()}`;
    const target = await herald.engine.createTarget({
      id: "cache",
      type: "redis",
      config: { url: inject("redisUrl"), mode: "both", channel: "s3", stream, maxLen: 1000 },
    });
    await herald.engine.putBucketConfig("media", { rules: [{ id: "r", events: ["s3:ObjectCreated:*"], targetArns: [target.arn] }] });
    const messages: { channel: string; message: string }[] = [];
    await subscriber.subscribe("s3:media");
    subscriber.on("message", (channel: string, message: string) => messages.push({ channel, message }));

    const accepted = await emitPuts(herald.engine, "media", ["v/1.mp4", "v/2.mp4"]);
    await waitUntil(() => messages.length === 2, "two PUBLISHed messages");
    const published = messages.map((m) => JSON.parse(m.message) as { Records: { responseElements: Record<string, string> }[] });
    expect(published.map((p) => p.Records[0]!.responseElements["x-herald-event-id"])).toEqual(accepted.map((a) => a.id));

    await waitUntil(async () => (await reader.xlen(stream)) === 2, "two stream entries");
    const entries = await reader.xrange(stream, "-", "+");
    const fields = entries.map(([, kv]) => Object.fromEntries(Array.from({ length: kv.length / 2 }, (_, i) => [kv[2 * i], kv[2 * i + 1]])));
    expect(fields.map((f) => [f.id, f.bucket, f.key, f.eventName])).toEqual([
      [accepted[0]!.id, "media", "v/1.mp4", "s3:ObjectCreated:Put"],
      [accepted[1]!.id, "media", "v/2.mp4", "s3:ObjectCreated:Put"],
    ]);
    expect(JSON.parse(fields[0]!.event!).Records[0].s3.configurationId).toBe("r");
    await waitUntil(async () => (await herald.engine.getTarget(target.arn)).stats!.delivered === 2, "delivered count");
  });
});
