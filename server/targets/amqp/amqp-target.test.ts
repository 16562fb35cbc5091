import amqp, { type ChannelModel } from "amqplib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { freePort } from "../../../test/support/free-port.ts";
import { startRabbitmqServer, type RunningRabbitmq } from "../../../test/support/rabbitmq-server.ts";
import { expectHeldInQueue, expectOutageRecovery, OpenTargets } from "../../../test/support/target-test-kit.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import { DeliveryError } from "../delivery-error.ts";
import type { Target } from "../target.ts";
import type { AmqpConfigInput } from "./amqp-config.ts";
import { amqpTargetType } from "./amqp-target-type.ts";

let broker: RunningRabbitmq;
const targets = new OpenTargets({ id: "mq", arn: "arn:herald:sqs:us-east-1:mq:amqp" });

beforeAll(async () => {
  broker = await startRabbitmqServer();
});

afterAll(async () => {
  await broker.dispose();
});

afterEach(async () => {
  await targets.closeAll();
});

function amqpTarget(config: AmqpConfigInput): Target {
  return targets.create(amqpTargetType, config);
}

function unique(prefix: string): string {
  return `${prefix}.${Math.random().toString(36).slice(2, 10)}`;
}

/** A durable queue bound to the exchange, declared by an independent client. */
async function boundQueue(exchange: string, pattern: string): Promise<string> {
  const conn = await amqp.connect(broker.url);
  const ch = await conn.createChannel();
  await ch.assertExchange(exchange, "topic", { durable: true });
  const queue = unique("q");
  await ch.assertQueue(queue, { durable: true });
  await ch.bindQueue(queue, exchange, pattern);
  await conn.close();
  return queue;
}

/** Everything in the queue, read (and acked) by an independent consumer. */
async function drainQueue(queue: string): Promise<{ body: S3NotificationMessage; routingKey: string; persistent: boolean }[]> {
  const conn: ChannelModel = await amqp.connect(broker.url);
  const ch = await conn.createChannel();
  const out: { body: S3NotificationMessage; routingKey: string; persistent: boolean }[] = [];
  for (;;) {
    const msg = await ch.get(queue, { noAck: true });
    if (msg === false) break;
    out.push({ body: JSON.parse(msg.content.toString()) as S3NotificationMessage, routingKey: msg.fields.routingKey, persistent: msg.properties.deliveryMode === 2 });
  }
  await conn.close();
  return out;
}

const idOf = (m: S3NotificationMessage) => m.Records[0]?.responseElements["x-herald-event-id"];

describe("amqp delivery", () => {
  it("publishes persistent messages on a confirm channel, read back intact from a bound queue", async () => {
    const exchange = unique("herald");
    const queue = await boundQueue(exchange, "s3.photos");
    const target = amqpTarget({ url: broker.url, exchange, routingKey: "s3.{bucket}" });
    await target.init();
    const batch = [makeItem({ bucket: "photos", key: "a b.jpg", ruleId: "r1" }), makeItem({ bucket: "photos", ruleId: "r2" }), makeItem({ bucket: "docs" })];
    await expect(target.send(batch)).resolves.toEqual({});
    const got = await drainQueue(queue);
    // docs was routed to s3.docs, which nothing is bound to.
    expect(got.map((m) => idOf(m.body))).toEqual([batch[0]!.event.id, batch[1]!.event.id]);
    expect(got.every((m) => m.persistent && m.routingKey === "s3.photos")).toBe(true);
    expect(got[0]!.body.Key).toBe("photos/a b.jpg");
    expect(got.map((m) => m.body.Records[0]?.s3.configurationId)).toEqual(["r1", "r2"]);
  });

  it("fails a mandatory send the broker returns unroutable", async () => {
    const exchange = unique("herald");
    const target = amqpTarget({ url: broker.url, exchange, mandatory: true });
    const error = (await target.send([makeItem({ bucket: "nobody" })]).catch((e: unknown) => e)) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/returned unroutable \(312 NO_ROUTE\)/);
  });

  it("checks a passive exchange instead of declaring it", async () => {
    const target = amqpTarget({ url: broker.url, exchange: unique("absent"), passive: true });
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/NOT_FOUND/);
  });
});

describe("amqp errors", () => {
  it("names the address when nothing listens", async () => {
    const port = await freePort();
    const target = amqpTarget({ url: `amqp://127.0.0.1:${port}` });
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toContain(`127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it("reports wrong credentials in health and keeps events queued under the block policy", async () => {
    const routed = await targets.route({ id: "mq", type: "amqp", config: { url: broker.url, password: "wrong" }, delivery: { maxDelayMs: 200, failurePolicy: "block" } });
    await expectHeldInQueue(routed, { healthError: /bad credentials .*ACCESS_REFUSED/, lastError: /ACCESS_REFUSED/ });
  });
});

describe("amqp outage", () => {
  it("turns failing and queues while the broker is down, then drains everything when it is back", async () => {
    const exchange = unique("outage");
    const queue = await boundQueue(exchange, "#");
    const routed = await targets.route({ id: "mq", type: "amqp", config: { url: broker.url, exchange, timeoutMs: 2000, heartbeatSeconds: 2 } });
    const ids = await expectOutageRecovery(routed, {
      stop: () => broker.stop(),
      start: () => broker.restart(),
      healthError: /ECONNREFUSED/,
      drainTimeoutMs: 30_000,
    });
    // The first five survived the restart in the durable queue as persistent messages.
    const got = (await drainQueue(queue)).map((m) => idOf(m.body));
    expect(new Set(got)).toEqual(new Set(ids));
  });
});
