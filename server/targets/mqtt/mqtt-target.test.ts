import mqtt, { type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { freePort } from "../../../test/support/free-port.ts";
import { startMosquittoServer, type RunningMosquitto } from "../../../test/support/mosquitto-server.ts";
import { expectHeldInQueue, expectOutageRecovery, OpenTargets } from "../../../test/support/target-test-kit.ts";
import { waitUntil } from "../../../test/support/test-herald.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import type { Target } from "../target.ts";
import type { MqttConfigInput } from "./mqtt-config.ts";
import { mqttTargetType } from "./mqtt-target-type.ts";

let broker: RunningMosquitto;
const targets = new OpenTargets({ id: "iot", arn: "arn:herald:sqs:us-east-1:iot:mqtt" });
const subscribers: MqttClient[] = [];

beforeAll(async () => {
  broker = await startMosquittoServer();
});

afterAll(async () => {
  await Promise.all(subscribers.map((s) => s.endAsync(true)));
  await broker.dispose();
});

afterEach(async () => {
  await targets.closeAll();
});

function mqttTarget(config: MqttConfigInput): Target {
  return targets.create(mqttTargetType, config);
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
    const routed = await targets.route({
      id: "iot",
      type: "mqtt",
      config: { url: broker.url, username: broker.user, password: "wrong" },
      delivery: { maxDelayMs: 200, failurePolicy: "block" },
    });
    await expectHeldInQueue(routed, {
      healthError: /bad credentials .*(Not authorized|Bad User Name or Password)/i,
      lastError: /Not authorized|Bad User Name or Password/i,
    });
  });
});

describe("mqtt outage", () => {
  it("turns failing and queues while the broker is down, then drains everything when it is back", async () => {
    const prefix = unique("outage");
    const received = await subscribe(`${prefix}/#`, { persistent: true });
    const routed = await targets.route({ id: "iot", type: "mqtt", config: { url: broker.url, ...creds(), topic: `${prefix}/{bucket}`, timeoutMs: 2000 } });
    const ids = await expectOutageRecovery(routed, {
      stop: () => broker.stop(),
      start: () => broker.restart(),
    });
    await waitUntil(() => new Set(received.map((r) => idOf(r.body))).size === 15, "all fifteen at the subscriber");
    expect(new Set(received.map((r) => idOf(r.body)))).toEqual(new Set(ids));
  });
});
