import { copyFileSync, readFileSync } from "node:fs";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { createTestCertificates, type TestCertificates } from "../../../test/support/http-receiver.ts";
import { startMosquittoServer, type RunningMosquitto } from "../../../test/support/mosquitto-server.ts";
import { eventually, OpenTargets } from "../../../test/support/target-test-kit.ts";
import { waitUntil } from "../../../test/support/test-herald.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import type { Target } from "../target.ts";
import type { MqttConfigInput } from "./mqtt-config.ts";
import { mqttTargetType } from "./mqtt-target-type.ts";

// mosquitto with a TLS-only listener (require_certificate true): a client
// certificate signed by `certs`' CA is required, on top of the password.
// `otherCerts` is an unrelated CA.
let certs: TestCertificates;
let otherCerts: TestCertificates;
let broker: RunningMosquitto;
let reader: MqttClient;
const received: { topic: string; body: S3NotificationMessage }[] = [];
const targets = new OpenTargets({ id: "iot", arn: "arn:herald:sqs:us-east-1:iot:mqtt" });

beforeAll(async () => {
  certs = createTestCertificates();
  otherCerts = createTestCertificates();
  broker = await startMosquittoServer({ tls: { certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile } });
  // The test's own subscriber, over TLS with its own client certificate.
  reader = await mqtt.connectAsync(broker.url, {
    username: broker.user,
    password: broker.password,
    protocolVersion: 5,
    ca: readFileSync(certs.caFile),
    cert: readFileSync(certs.clientCertFile),
    key: readFileSync(certs.clientKeyFile),
    reconnectPeriod: 0,
  });
  reader.on("message", (topic, payload) => received.push({ topic, body: JSON.parse(payload.toString()) as S3NotificationMessage }));
  await reader.subscribeAsync("tls/#", { qos: 1 });
});

afterAll(async () => {
  await reader?.endAsync(true);
  await broker?.dispose();
  certs?.remove();
  otherCerts?.remove();
});

afterEach(async () => {
  await targets.closeAll();
});

function mqttTarget(config: Partial<MqttConfigInput>): Target {
  return targets.create(mqttTargetType, { url: broker.url, username: broker.user, password: broker.password, timeoutMs: 3_000, ...config });
}

function uniqueTopic(): string {
  return `tls/${Math.random().toString(36).slice(2, 10)}`;
}

/** The event id of the message the independent subscriber received on `topic`. */
async function receivedId(topic: string): Promise<string | undefined> {
  await waitUntil(() => received.some((m) => m.topic === topic), `a message on ${topic}`, 5_000);
  return received.find((m) => m.topic === topic)?.body.Records[0]?.responseElements["x-herald-event-id"];
}

describe("mqtt TLS", () => {
  it("delivers over TLS with the CA and a client certificate, read back by an independent TLS client", async () => {
    expect(broker.url).toMatch(/^mqtts:\/\//);
    const topic = uniqueTopic();
    const target = mqttTarget({ topic, tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    expect(await target.healthCheck()).toMatchObject({ ok: true });
    const item = makeItem();
    await target.send([item]);
    expect(await receivedId(topic)).toBe(item.event.id);
  });

  it("fails on a wrong CA file, and re-reads it once it is overwritten in place: healthy and delivering, without a restart", async () => {
    // A copy of the wrong CA, overwritten below with the right one (same path, same inode).
    const caFile = `${otherCerts.dir}/rotating-ca.crt`;
    copyFileSync(otherCerts.caFile, caFile);
    const topic = uniqueTopic();
    const target = mqttTarget({ topic, tls: { caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    const refused = await target.healthCheck();
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/^mqtt: .*certificate/i);

    copyFileSync(certs.caFile, caFile);
    await eventually(async () => expect(await target.healthCheck()).toMatchObject({ ok: true }), 5_000);
    const item = makeItem();
    await target.send([item]);
    expect(await receivedId(topic)).toBe(item.event.id);
  });

  it("is refused by the server without a client certificate", async () => {
    const without = mqttTarget({ tls: { caFile: certs.caFile } });
    const health = await without.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/^mqtt: .*certificate required/i);
  });
});
