// No Kafka broker is installed on this machine, and none was used here. These
// tests drive the real kafkajs client (through the real Kafka target and, in
// the pipeline tests, the real Herald engine) against the stand-in broker in
// test/support/kafka-stand-in-broker.ts, which speaks the Kafka wire protocol
// (ApiVersions, Metadata, Produce with v2 record batches, gzip, SASL) and
// records what it received. Behaviour only a real cluster has (replication,
// leader elections across brokers, snappy/lz4/zstd) is not covered.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { X509Certificate } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { emitPuts } from "../../../test/support/engine-fixtures.ts";
import { freePort } from "../../../test/support/free-port.ts";
import { createTestCertificates, type TestCertificates } from "../../../test/support/http-receiver.ts";
import { ERROR, KafkaStandInBroker, type ReceivedKafkaRecord, type StandInBrokerOptions } from "../../../test/support/kafka-stand-in-broker.ts";
import { eventually, expectDeliversOnceUp, expectOutageRecovery, expectSendRecovery, OpenTargets, sendError, type RoutedTarget } from "../../../test/support/target-test-kit.ts";
import { waitUntil, type TestHerald } from "../../../test/support/test-herald.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import { maskTargetConfig, parseTargetConfig } from "../target-registry.ts";
import type { DeliveryItem, Target } from "../target.ts";
import type { KafkaConfigInput } from "./kafka-config.ts";
import { kafkaTargetType } from "./kafka-target-type.ts";

const targets = new OpenTargets({ id: "stream", arn: "arn:herald:sqs:us-east-1:stream:kafka" });
const brokers: KafkaStandInBroker[] = [];
const cleanups: (() => void)[] = [];
let herald: TestHerald | undefined;

async function startBroker(options: StandInBrokerOptions = {}): Promise<KafkaStandInBroker> {
  const broker = await KafkaStandInBroker.start({ topics: { events: 4 }, ...options });
  brokers.push(broker);
  return broker;
}

function kafkaTarget(config: Omit<KafkaConfigInput, "topic"> & { topic?: string }): Target {
  return targets.create(kafkaTargetType, { timeoutMs: 1_000, ...config, topic: config.topic ?? "events" });
}

const eventIdOf = (record: ReceivedKafkaRecord): string => (JSON.parse(record.value ?? "") as S3NotificationMessage).Records[0]?.responseElements["x-herald-event-id"] ?? "";

/** Per partition, in offset order: what a consumer of each partition reads. */
function byPartition(records: readonly ReceivedKafkaRecord[]): Map<number, ReceivedKafkaRecord[]> {
  const out = new Map<number, ReceivedKafkaRecord[]>();
  for (const r of [...records].sort((a, b) => a.offset - b.offset)) out.set(r.partition, [...(out.get(r.partition) ?? []), r]);
  return out;
}

afterEach(async () => {
  // Stops the Herald too.
  await targets.closeAll();
  herald = undefined;
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe("kafka config", () => {
  it("validates brokers, acks, compression and SASL, and masks the password", () => {
    const parsed = parseTargetConfig("kafka", { brokers: ["kafka-1.internal:9092", "[::1]:9093"], topic: "s3.events" });
    expect(parsed).toMatchObject({ acks: "all", compression: "none", saslMechanism: "none", cloudEvents: false, clientId: "herald" });
    expect(() => parseTargetConfig("kafka", { brokers: ["kafka-1.internal"], topic: "t" })).toThrow(/host:port/);
    expect(() => parseTargetConfig("kafka", { brokers: ["h:9092"], topic: "bad topic" })).toThrow(/config\.topic/);
    expect(() => parseTargetConfig("kafka", { brokers: ["h:9092"], topic: "t", acks: "2" })).toThrow(/config\.acks/);
    // Not offered: kafkajs has no codec for them without extra packages.
    expect(() => parseTargetConfig("kafka", { brokers: ["h:9092"], topic: "t", compression: "snappy" })).toThrow(/config\.compression/);
    expect(() => parseTargetConfig("kafka", { brokers: ["h:9092"], topic: "t", saslMechanism: "plain", username: "u" })).toThrow(/config\.password/);
    const withSasl = parseTargetConfig("kafka", { brokers: ["h:9092"], topic: "t", saslMechanism: "scram-sha-512", username: "u", password: "s3cret" });
    expect(maskTargetConfig("kafka", withSasl)).toMatchObject({ username: "u", password: "********" });
  });
});

describe("kafka delivery", () => {
  it("produces each event keyed bucket/key with the notification JSON as the value", async () => {
    const broker = await startBroker();
    const target = kafkaTarget({ brokers: [broker.address] });
    await target.init();
    const batch = [makeItem({ bucket: "photos", key: "a b.jpg", ruleId: "r1" }), makeItem({ bucket: "docs", key: "x.pdf", ruleId: "r2", eventName: "s3:ObjectRemoved:Delete" })];
    await expect(target.send(batch)).resolves.toEqual({});

    const records = broker.recordsOf("events");
    expect(records.map((r) => r.key).sort()).toEqual(["docs/x.pdf", "photos/a b.jpg"]);
    const photo = records.find((r) => r.key === "photos/a b.jpg");
    const message = JSON.parse(photo?.value ?? "") as S3NotificationMessage;
    expect(message.Key).toBe("photos/a b.jpg");
    expect(message.EventName).toBe("s3:ObjectCreated:Put");
    expect(message.Records).toHaveLength(1);
    expect(message.Records[0]?.s3.configurationId).toBe("r1");
    expect(eventIdOf(photo as ReceivedKafkaRecord)).toBe(batch[0]?.event.id);
    expect(photo?.headers).toEqual({});
    expect(photo?.compression).toBe("none");
    // The whole batch is one Produce request.
    expect(broker.requests.filter((r) => r.apiKey === 0)).toHaveLength(1);
  });

  it("keeps one object's events in one partition, in order, across sends", async () => {
    const broker = await startBroker({ topics: { events: 8 } });
    const target = kafkaTarget({ brokers: [broker.address] });
    const keys = ["a.jpg", "b.jpg", "c.jpg", "d.jpg", "e.jpg"];
    const sent: DeliveryItem[] = [];
    for (let round = 0; round < 4; round++) {
      const batch = keys.flatMap((key) => [makeItem({ key }), makeItem({ key })]);
      sent.push(...batch);
      await target.send(batch);
    }
    const records = broker.recordsOf("events");
    expect(records).toHaveLength(40);
    const partitions = byPartition(records);
    for (const key of keys) {
      const ofKey = records.filter((r) => r.key === `photos/${key}`);
      expect(new Set(ofKey.map((r) => r.partition)).size).toBe(1);
      const inPartitionOrder = (partitions.get(ofKey[0]?.partition ?? -1) ?? []).filter((r) => r.key === `photos/${key}`).map(eventIdOf);
      expect(inPartitionOrder).toEqual(sent.filter((i) => i.event.key === key).map((i) => i.event.id));
    }
    // Five keys over eight partitions with the murmur2 partitioner: more than one partition is used.
    expect(partitions.size).toBeGreaterThan(1);
  });

  it("adds binary-mode CloudEvents headers when asked", async () => {
    const broker = await startBroker();
    const plain = kafkaTarget({ brokers: [broker.address], cloudEvents: true });
    const custom = kafkaTarget({ brokers: [broker.address], cloudEvents: true, cloudEventsSource: "urn:herald:eu-1" });
    const item = makeItem({ bucket: "photos", key: "cat.jpg", eventName: "s3:ObjectCreated:Copy" });
    const other = makeItem({ bucket: "docs", key: "x.pdf" });
    await plain.send([item]);
    await custom.send([other]);
    const [first, second] = broker.recordsOf("events").sort((a, b) => (a.key ?? "").localeCompare(b.key ?? "")).reverse();
    expect(first?.headers).toEqual({
      ce_specversion: "1.0",
      ce_id: item.event.id,
      ce_type: "s3:ObjectCreated:Copy",
      ce_source: "herald:photos",
      ce_subject: "cat.jpg",
      ce_time: new Date(item.event.eventTime).toISOString(),
      "content-type": "application/json",
    });
    expect(second?.headers).toMatchObject({ ce_id: other.event.id, ce_source: "urn:herald:eu-1" });
  });

  it("sends gzip-compressed batches the broker decodes intact", async () => {
    const broker = await startBroker({ topics: { events: 1 } });
    const target = kafkaTarget({ brokers: [broker.address], compression: "gzip" });
    const batch = Array.from({ length: 20 }, () => makeItem());
    await target.send(batch);
    const records = broker.recordsOf("events");
    expect(records.map((r) => r.compression)).toEqual(Array(20).fill("gzip"));
    expect(new Set(records.map((r) => r.batch)).size).toBe(1);
    expect(records.map(eventIdOf)).toEqual(batch.map((i) => i.event.id));
  });

  it.each([
    ["all", -1],
    ["1", 1],
    ["0", 0],
  ] as const)("produces with acks=%s as %i on the wire", async (acks, wire) => {
    const broker = await startBroker();
    const target = kafkaTarget({ brokers: [broker.address], acks });
    const item = makeItem();
    await target.send([item]);
    // acks=0 gets no response, so the send can resolve before the broker has parsed the request.
    await eventually(async () => expect(broker.recordsOf("events").map((r) => [eventIdOf(r), r.acks])).toEqual([[item.event.id, wire]]), 2_000);
  });
});

describe("kafka errors", () => {
  it("absorbs one NOT_LEADER_FOR_PARTITION and fails retryably when it persists", async () => {
    const broker = await startBroker({ topics: { events: 1 } });
    const target = kafkaTarget({ brokers: [broker.address] });
    broker.failProduce(ERROR.NOT_LEADER_FOR_PARTITION, 1);
    const once = makeItem();
    await target.send([once]);
    broker.failProduce(ERROR.NOT_LEADER_FOR_PARTITION, 2);
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/NOT_LEADER_FOR_PARTITION/);
    expect(broker.records.map(eventIdOf)).toEqual([once.event.id]);
  });

  it.each([
    [ERROR.MESSAGE_TOO_LARGE, "MESSAGE_TOO_LARGE"],
    [ERROR.TOPIC_AUTHORIZATION_FAILED, "TOPIC_AUTHORIZATION_FAILED"],
  ])("gives up on error %i (%s) without retrying", async (code, name) => {
    const broker = await startBroker();
    const target = kafkaTarget({ brokers: [broker.address] });
    broker.failProduce(code, 5);
    const error = await sendError(target);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(name);
  });

  it("names a missing topic, retryably", async () => {
    const broker = await startBroker();
    const target = kafkaTarget({ brokers: [broker.address], topic: "nope" });
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toContain('topic "nope" does not exist');
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('topic "nope" does not exist');
  });

  it("says which address failed when nothing listens or the host does not resolve", async () => {
    const port = await freePort();
    const refused = kafkaTarget({ brokers: [`127.0.0.1:${port}`] });
    await expect(refused.init()).rejects.toThrow(/kafka unavailable: .*ECONNREFUSED/);
    const error = await sendError(refused);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(`127.0.0.1:${port}`);
    const unresolved = kafkaTarget({ brokers: ["no-such-host.invalid:9092"] });
    const health = await unresolved.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });
});

describe("kafka SASL", () => {
  it.each(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const)("authenticates with %s", async (mechanism) => {
    const broker = await startBroker({ sasl: { mechanism, username: "herald", password: "s3cr3t" } });
    const target = kafkaTarget({ brokers: [broker.address], saslMechanism: mechanism.toLowerCase() as "plain", username: "herald", password: "s3cr3t" });
    expect((await target.healthCheck()).ok).toBe(true);
    await target.send([makeItem()]);
    expect(broker.records).toHaveLength(1);
  });

  it("reports a wrong password plainly, retryably", async () => {
    const broker = await startBroker({ sasl: { mechanism: "PLAIN", username: "herald", password: "s3cr3t" } });
    const target = kafkaTarget({ brokers: [broker.address], saslMechanism: "plain", username: "herald", password: "wrong" });
    await expect(target.init()).rejects.toThrow(/kafka: SASL authentication failed: .*Invalid username or password/);
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/^kafka: SASL authentication failed/);
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(broker.records).toEqual([]);
  });
});

describe("kafka TLS", () => {
  function certificates(): TestCertificates {
    const certs = createTestCertificates();
    cleanups.push(certs.remove);
    return certs;
  }

  it("connects with the CA and a client certificate, and not without the CA", async () => {
    const certs = certificates();
    const broker = await startBroker({ tls: { key: certs.key, cert: certs.cert, ca: certs.ca, requireClientCert: true } });
    const target = kafkaTarget({ brokers: [broker.address], tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    await target.send([makeItem()]);
    expect(broker.records).toHaveLength(1);
    expect(broker.clientCertificates).toContain(new X509Certificate(certs.clientCert).fingerprint256);

    const untrusted = kafkaTarget({ brokers: [broker.address], tls: { certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    const health = await untrusted.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/certificate/i);
  });

  it("names an unreadable TLS file in the health error", async () => {
    const broker = await startBroker();
    const target = kafkaTarget({ brokers: [broker.address], tls: { caFile: "/nonexistent/ca.pem" } });
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/tls\.caFile: cannot read \/nonexistent\/ca\.pem/);
  });

  it("re-reads rotated certificate files without a restart", async () => {
    const [first, second] = [certificates(), certificates()];
    const dir = mkdtempSync(path.join(os.tmpdir(), "herald-kafka-tls-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const files = { caFile: path.join(dir, "ca.pem"), certFile: path.join(dir, "client.pem"), keyFile: path.join(dir, "client.key") };
    copyFileSync(first.caFile, files.caFile);
    copyFileSync(first.clientCertFile, files.certFile);
    copyFileSync(first.clientKeyFile, files.keyFile);
    // The broker trusts both client CAs, so the only visible change is which client certificate arrives.
    const broker = await startBroker({ tls: { key: first.key, cert: first.cert, ca: `${first.ca}\n${second.ca}`, requireClientCert: true } });
    const target = kafkaTarget({ brokers: [broker.address], tls: files });
    await target.send([makeItem()]);
    const firstPrint = new X509Certificate(first.clientCert).fingerprint256;
    const secondPrint = new X509Certificate(second.clientCert).fingerprint256;
    expect(broker.clientCertificates.every((f) => f === firstPrint)).toBe(true);

    copyFileSync(second.clientCertFile, files.certFile);
    copyFileSync(second.clientKeyFile, files.keyFile);
    await eventually(async () => {
      await target.send([makeItem()]);
      expect(broker.clientCertificates).toContain(secondPrint);
    }, 5_000);
    expect(broker.records.length).toBeGreaterThanOrEqual(2);
  });
});

describe("kafka reconnection", () => {
  it("fails retryably while the broker is down and recovers by itself when it is back", async () => {
    const broker = await startBroker();
    const target = kafkaTarget({ brokers: [broker.address] });
    const item = await expectSendRecovery(target, { stop: () => broker.stop(), start: () => broker.restart() }, { error: /^kafka unavailable/, withinMs: 5_000 });
    expect(broker.records.map(eventIdOf).at(-1)).toBe(item.event.id);
  });

  it("starts delivering once a broker that was down at init comes up", async () => {
    const port = await freePort();
    const target = kafkaTarget({ brokers: [`127.0.0.1:${port}`] });
    let broker: KafkaStandInBroker | undefined;
    await expectDeliversOnceUp(target, async () => (broker = await startBroker({ port })));
    expect(broker?.records).toHaveLength(1);
  });
});

describe("kafka through the pipeline", () => {
  async function routeToKafka(broker: KafkaStandInBroker, config: Partial<KafkaConfigInput>, delivery: Record<string, unknown>): Promise<string> {
    return (await routedToKafka(broker, config, delivery)).arn;
  }

  async function routedToKafka(broker: KafkaStandInBroker, config: Partial<KafkaConfigInput>, delivery: Record<string, unknown>): Promise<RoutedTarget> {
    const routed = await targets.route({
      id: "stream",
      type: "kafka",
      config: { brokers: [broker.address], topic: "events", timeoutMs: 1_000, ...config },
      delivery: { maxDelayMs: 200, ...delivery },
    });
    herald = routed.herald;
    return routed;
  }

  it("honours batch size and batch timeout", async () => {
    const broker = await startBroker({ topics: { events: 1 } });
    await routeToKafka(broker, {}, { batchSize: 4, batchTimeoutMs: 400, inFlightLimit: 1 });
    const engine = herald!.engine;
    const full = await emitPuts(engine, "media", ["1", "2", "3", "4", "5", "6", "7", "8"].map((k) => `v/${k}.mp4`));
    await waitUntil(() => broker.records.length === 8, "eight records");
    const sizes = (records: readonly ReceivedKafkaRecord[]) => {
      const counts = new Map<number, number>();
      for (const r of records) counts.set(r.batch, (counts.get(r.batch) ?? 0) + 1);
      return [...counts.values()];
    };
    expect(sizes(broker.records)).toEqual([4, 4]);
    expect(broker.records.map(eventIdOf)).toEqual(full.map((a) => a.id));

    // A partial batch waits for the timeout, then goes as one.
    const started = Date.now();
    await emitPuts(engine, "media", ["v/9.mp4", "v/10.mp4"]);
    await waitUntil(() => broker.records.length === 10, "two more records");
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(sizes(broker.records.slice(8))).toEqual([2]);
  });

  it("queues while the broker is down and drains, in order and complete, when it is back", async () => {
    const broker = await startBroker({ topics: { events: 3 } });
    const routed = await routedToKafka(broker, { cloudEvents: true }, { orderByKey: true, batchSize: 5, batchTimeoutMs: 20 });
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `k/${i % 3}.bin`);
    const accepted = await expectOutageRecovery(routed, {
      stop: () => broker.stop(),
      start: () => broker.restart(),
      before: keys(6),
      during: [keys(12)],
      lastError: /^kafka unavailable/,
      whileDown: () => expect(broker.records).toHaveLength(6),
      drainTimeoutMs: 15_000,
    });
    const received = broker.records.map((r) => r.headers.ce_id ?? "");
    // At least once: a batch cut off by the stop may arrive twice; nothing is missing.
    expect(new Set(received)).toEqual(new Set(accepted));
    const emittedKeys = [...keys(6), ...keys(12)];
    for (const [, records] of byPartition(broker.records)) {
      for (const key of new Set(records.map((r) => r.key))) {
        const ids = [...new Set(records.filter((r) => r.key === key).map((r) => r.headers.ce_id))];
        const expected = accepted.filter((_, i) => `media/${emittedKeys[i]}` === key);
        expect(ids).toEqual(expected);
      }
    }
  });

  it("keeps events queued while SASL credentials are wrong and delivers once they are fixed", async () => {
    const broker = await startBroker({ sasl: { mechanism: "SCRAM-SHA-256", username: "herald", password: "right" } });
    const arn = await routeToKafka(broker, { saslMechanism: "scram-sha-256", username: "herald", password: "wrong" }, {});
    const engine = herald!.engine;
    const accepted = await emitPuts(engine, "media", ["a.mp4", "b.mp4", "c.mp4"]);
    await waitUntil(async () => {
      const stats = (await engine.getTarget(arn)).stats;
      return (stats?.attempts ?? 0) >= 3 && (stats?.lastError?.message.includes("SASL authentication failed") ?? false);
    }, "failed SASL attempts");
    const health = await engine.checkTargetHealth(arn);
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/^kafka: SASL authentication failed/);
    expect((await engine.getTarget(arn)).stats).toMatchObject({ queued: 3, deadLettered: 0, delivered: 0 });

    await engine.updateTarget(arn, { config: { brokers: [broker.address], topic: "events", timeoutMs: 1_000, saslMechanism: "scram-sha-256", username: "herald", password: "right" } });
    await waitUntil(() => broker.records.length === 3, "the three records", 10_000);
    expect(broker.records.map(eventIdOf).sort()).toEqual(accepted.map((a) => a.id).sort());
  });
});
