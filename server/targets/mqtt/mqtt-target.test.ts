import mqtt, { type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { emitPuts } from "../../../test/support/engine-fixtures.ts";
import { freePort } from "../../../test/support/free-port.ts";
import { startMosquittoServer, type RunningMosquitto } from "../../../test/support/mosquitto-server.ts";
import { startTestHerald, waitUntil, type TestHerald } from "../../../test/support/test-herald.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import { silentLogger } from "../../logging/logger.ts";
import type { Target } from "../target.ts";
import { mqttConfigSchema, type MqttConfigInput } from "./mqtt-config.ts";
import { mqttTargetType } from "./mqtt-target-type.ts";

let broker: RunningMosquitto;
const open: Target[] = [];
const subscribers: MqttClient[] = [];
let herald: TestHerald | undefined;

beforeAll(async () => {
  broker = await startMosquittoServer();
});

afterAll(async () => {
  await Promise.all(subscribers.map((s) => s.endAsync(true)));
  await broker.dispose();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  await herald?.stop();
  herald = undefined;
});

function mqttTarget(config: MqttConfigInput): Target {
  const target = mqttTargetType.create(mqttConfigSchema.parse(config), { id: "iot", arn: "arn:herald:sqs:us-east-1:iot:mqtt", logger: silentLogger() });
  open.push(target);
  return target;
}

const creds = () => ({ username: broker.user, password: broker.password });

interface Received {
  topic: string;
  body: S3NotificationMessage;
  retain: boolean;
}

/**
 * An independent subscriber. A persistent session (clean: false, QoS 1) makes
 * the broker keep what arrives while the subscriber reconnects after a restart.
 */
async function subscribe(filter: string, options: { persistent?: boolean } = {}): Promise<Received[]> {
  const received: Received[] = [];
  const client = await mqtt.connectAsync(broker.url, {
    ...creds(),
    protocolVersion: 5,
    reconnectPeriod: 200,
    clientId: `reader-${Math.random().toString(36).slice(2)}`,
    clean: !options.persistent,
    ...(options.persistent ? { properties: { sessionExpiryInterval: 600 } } : {}),
  });
  client.on("message", (topic, payload, packet) => received.push({ topic, body: JSON.parse(payload.toString()) as S3NotificationMessage, retain: packet.retain }));
  await client.subscribeAsync(filter, { qos: 1 });
  subscribers.push(client);
  return received;
}

const idOf = (m: S3NotificationMessage) => m.Records[0]?.responseElements["x-herald-event-id"];
const unique = (prefix: string) => `${prefix}/${Math.random().toString(36).slice(2, 10)}`;

describe("mqtt delivery", () => {
  it("publishes each event to its topic with QoS 1, read back intact by a subscriber", async () => {
    const prefix = unique("s3");
    const received = await subscribe(`${prefix}/#`);
    const target = mqttTarget({ url: broker.url, ...creds(), topic: `${prefix}/{bucket}` });
    await target.init();
    const batch = [makeItem({ bucket: "photos", key: "a b.jpg", ruleId: "r1" }), makeItem({ bucket: "docs", ruleId: "r2" })];
    await expect(target.send(batch)).resolves.toEqual({});
    await waitUntil(() => received.length === 2, "two messages");
    expect(received.map((r) => r.topic)).toEqual([`${prefix}/photos`, `${prefix}/docs`]);
    expect(received.map((r) => idOf(r.body))).toEqual(batch.map((i) => i.event.id));
    expect(received[0]!.body.Key).toBe("photos/a b.jpg");
    expect(received.map((r) => r.body.Records[0]?.s3.configurationId)).toEqual(["r1", "r2"]);
  });

  it("retains the last message for later subscribers when asked", async () => {
    const topic = unique("retained");
    const target = mqttTarget({ url: broker.url, ...creds(), topic, retain: true, qos: 0 });
    const item = makeItem();
    await target.send([item]);
    const received = await subscribe(topic);
    await waitUntil(() => received.length === 1, "the retained message");
    expect(received[0]).toMatchObject({ retain: true });
    expect(idOf(received[0]!.body)).toBe(item.event.id);
  });
});

describe("mqtt errors", () => {
  it("names the address when nothing listens", async () => {
    const port = await freePort();
    const target = mqttTarget({ url: `mqtt://127.0.0.1:${port}` });
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toContain(`127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it("reports wrong credentials in health and keeps events queued under the block policy", async () => {
    herald = await startTestHerald();
    const created = await herald.engine.createTarget({
      id: "iot",
      type: "mqtt",
      config: { url: broker.url, username: broker.user, password: "wrong" },
      delivery: { initialDelayMs: 50, maxDelayMs: 200, jitter: 0, failurePolicy: "block" },
    });
    await herald.engine.putBucketConfig("media", { rules: [{ id: "r", events: ["s3:ObjectCreated:*"], targetArns: [created.arn] }] });
    const health = await herald.engine.checkTargetHealth(created.arn);
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/bad credentials .*(Not authorized|Bad User Name or Password)/i);
    await emitPuts(herald.engine, "media", ["a", "b", "c"]);
    await waitUntil(async () => ((await herald!.engine.getTarget(created.arn)).stats?.attempts ?? 0) >= 3, "retries");
    const stats = (await herald.engine.getTarget(created.arn)).stats!;
    expect(stats).toMatchObject({ delivered: 0, queued: 3, deadLetters: 0 });
    expect(stats.lastError?.message).toMatch(/Not authorized|Bad User Name or Password/i);
  });
});

describe("mqtt outage", () => {
  it("turns failing and queues while the broker is down, then drains everything when it is back", async () => {
    herald = await startTestHerald();
    const prefix = unique("outage");
    const received = await subscribe(`${prefix}/#`, { persistent: true });
    const created = await herald.engine.createTarget({
      id: "iot",
      type: "mqtt",
      config: { url: broker.url, ...creds(), topic: `${prefix}/{bucket}`, timeoutMs: 2000 },
      delivery: { initialDelayMs: 50, maxDelayMs: 500, jitter: 0, maxAttempts: 1000 },
    });
    await herald.engine.putBucketConfig("media", { rules: [{ id: "r", events: ["s3:ObjectCreated:*"], targetArns: [created.arn] }] });
    const stats = async () => (await herald!.engine.getTarget(created.arn)).stats!;
    const ids = (await emitPuts(herald.engine, "media", ["1", "2", "3", "4", "5"])).map((a) => a.id);
    await waitUntil(async () => (await stats()).delivered === 5, "first five delivered");

    await broker.stop();
    try {
      ids.push(...(await emitPuts(herald.engine, "media", ["6", "7", "8", "9", "10"])).map((a) => a.id));
      await waitUntil(async () => (await stats()).health === "failing", "target failing", 15_000);
      expect((await stats()).queued).toBe(5);
      ids.push(...(await emitPuts(herald.engine, "media", ["11", "12", "13", "14", "15"])).map((a) => a.id));
      await waitUntil(async () => (await stats()).queued === 10, "queue grows");
      expect((await herald.engine.checkTargetHealth(created.arn)).ok).toBe(false);
    } finally {
      await broker.restart();
    }
    await waitUntil(async () => (await stats()).queued === 0, "queue drained", 20_000);
    expect((await stats()).delivered).toBe(15);
    expect((await herald.engine.checkTargetHealth(created.arn)).ok).toBe(true);
    await waitUntil(() => new Set(received.map((r) => idOf(r.body))).size === 15, "all fifteen at the subscriber");
    expect(new Set(received.map((r) => idOf(r.body)))).toEqual(new Set(ids));
  });
});
