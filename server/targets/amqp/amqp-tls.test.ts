import { copyFileSync, readFileSync } from "node:fs";
import amqp, { type ChannelModel } from "amqplib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { createTestCertificates, type TestCertificates } from "../../../test/support/http-receiver.ts";
import { startRabbitmqServer, type RunningRabbitmq } from "../../../test/support/rabbitmq-server.ts";
import { eventually, OpenTargets } from "../../../test/support/target-test-kit.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import type { Target } from "../target.ts";
import type { AmqpConfigInput } from "./amqp-config.ts";
import { amqpTargetType } from "./amqp-target-type.ts";

// RabbitMQ with only a TLS listener (verify_peer, fail_if_no_peer_cert): a
// client certificate signed by `certs`' CA is required, on top of the
// password. `otherCerts` is an unrelated CA.
let certs: TestCertificates;
let otherCerts: TestCertificates;
let broker: RunningRabbitmq;
const targets = new OpenTargets({ id: "mq", arn: "arn:herald:sqs:us-east-1:mq:amqp" });

beforeAll(async () => {
  certs = createTestCertificates();
  otherCerts = createTestCertificates();
  broker = await startRabbitmqServer({ tls: { certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile } });
}, 60_000);

afterAll(async () => {
  await broker?.dispose();
  certs?.remove();
  otherCerts?.remove();
});

afterEach(async () => {
  await targets.closeAll();
});

function amqpTarget(config: Partial<AmqpConfigInput>): Target {
  return targets.create(amqpTargetType, { url: broker.url, timeoutMs: 3_000, ...config });
}

function unique(prefix: string): string {
  return `${prefix}.${Math.random().toString(36).slice(2, 10)}`;
}

/** The test's own client, over TLS with its own client certificate. */
function independentClient(): Promise<ChannelModel> {
  return amqp.connect(broker.url, { ca: readFileSync(certs.caFile), cert: readFileSync(certs.clientCertFile), key: readFileSync(certs.clientKeyFile) });
}

/** A queue bound to a new topic exchange, declared by the independent client. */
async function boundQueue(exchange: string): Promise<string> {
  const conn = await independentClient();
  try {
    const ch = await conn.createChannel();
    await ch.assertExchange(exchange, "topic", { durable: true });
    const queue = unique("q");
    await ch.assertQueue(queue, { durable: true });
    await ch.bindQueue(queue, exchange, "#");
    return queue;
  } finally {
    await conn.close();
  }
}

/** The event ids of everything in the queue, read by the independent client. */
async function queuedIds(queue: string): Promise<(string | undefined)[]> {
  const conn = await independentClient();
  try {
    const ch = await conn.createChannel();
    const ids: (string | undefined)[] = [];
    for (;;) {
      const msg = await ch.get(queue, { noAck: true });
      if (msg === false) return ids;
      ids.push((JSON.parse(msg.content.toString()) as S3NotificationMessage).Records[0]?.responseElements["x-herald-event-id"]);
    }
  } finally {
    await conn.close();
  }
}

describe("amqp TLS", () => {
  it("delivers over TLS with the CA and a client certificate, read back by an independent TLS client", async () => {
    expect(broker.url).toMatch(/^amqps:\/\//);
    const exchange = unique("tls");
    const queue = await boundQueue(exchange);
    const target = amqpTarget({ exchange, tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    expect(await target.healthCheck()).toMatchObject({ ok: true });
    const item = makeItem();
    await target.send([item]);
    expect(await queuedIds(queue)).toEqual([item.event.id]);
  });

  it("fails on a wrong CA file, and re-reads it once it is overwritten in place: healthy and delivering, without a restart", async () => {
    // A copy of the wrong CA, overwritten below with the right one (same path, same inode).
    const caFile = `${otherCerts.dir}/rotating-ca.crt`;
    copyFileSync(otherCerts.caFile, caFile);
    const exchange = unique("rotate");
    const queue = await boundQueue(exchange);
    const target = amqpTarget({ exchange, tls: { caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    const refused = await target.healthCheck();
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/^amqp: .*certificate/i);

    copyFileSync(certs.caFile, caFile);
    await eventually(async () => expect(await target.healthCheck()).toMatchObject({ ok: true }), 5_000);
    const item = makeItem();
    await target.send([item]);
    expect(await queuedIds(queue)).toEqual([item.event.id]);
  });

  it("is refused by the server without a client certificate", async () => {
    const without = amqpTarget({ tls: { caFile: certs.caFile } });
    const health = await without.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/^amqp: .*certificate required/i);
  });
});
