import { connect, nkeys, type NatsConnection } from "nats";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { freePort } from "../../../test/support/free-port.ts";
import { startNatsServer, type RunningNats } from "../../../test/support/nats-server.ts";
import { expectHeldInQueue, expectOutageRecovery, OpenTargets } from "../../../test/support/target-test-kit.ts";
import { waitUntil } from "../../../test/support/test-herald.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import { DeliveryError } from "../delivery-error.ts";
import type { Target } from "../target.ts";
import type { NatsConfigInput } from "./nats-config.ts";
import { natsTargetType } from "./nats-target-type.ts";

const USER = { user: "herald", password: "nats-secret" };
const NKEY = nkeys.createUser();
let server: RunningNats;
let tokenServer: RunningNats;
const targets = new OpenTargets({ id: "bus", arn: "arn:herald:sqs:us-east-1:bus:nats" });
const readers: NatsConnection[] = [];

beforeAll(async () => {
  [server, tokenServer] = await Promise.all([
    startNatsServer({ users: [USER], nkeys: [NKEY.getPublicKey()] }),
    startNatsServer({ token: "t0ken" }),
  ]);
});

afterAll(async () => {
  await Promise.all(readers.map((r) => r.close()));
  await Promise.all([server.dispose(), tokenServer.dispose()]);
});

afterEach(async () => {
  await targets.closeAll();
});

function natsTarget(config: NatsConfigInput): Target {
  return targets.create(natsTargetType, config);
}

async function reader(url = server.url): Promise<NatsConnection> {
  const nc = await connect({ servers: url, ...USER, pass: USER.password, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
  readers.push(nc);
  return nc;
}

function unique(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 10)}`;
}

/** Every message in a stream, in order, read by an independent client. */
async function streamMessages(stream: string): Promise<S3NotificationMessage[]> {
  const jsm = await (await reader()).jetstreamManager();
  const info = await jsm.streams.info(stream);
  const out: S3NotificationMessage[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) out.push((await jsm.streams.getMessage(stream, { seq })).json<S3NotificationMessage>());
  return out;
}

const idOf = (m: S3NotificationMessage) => m.Records[0]?.responseElements["x-herald-event-id"];

describe("nats core", () => {
  it("publishes each event to its subject, read back intact by a subscriber", async () => {
    const prefix = unique("core");
    const nc = await reader();
    const sub = nc.subscribe(`${prefix}.>`);
    const received: { subject: string; body: S3NotificationMessage; id: string | undefined }[] = [];
    void (async () => {
      for await (const m of sub) received.push({ subject: m.subject, body: m.json<S3NotificationMessage>(), id: m.headers?.get("X-Herald-Event-Id") });
    })();
    // The subscription is registered on the server once a round trip has completed.
    await nc.flush();

    const target = natsTarget({ servers: [server.url], subject: `${prefix}.{bucket}`, ...USER });
    await target.init();
    const batch = [makeItem({ bucket: "photos", key: "a b.jpg", ruleId: "r1" }), makeItem({ bucket: "docs", ruleId: "r2" })];
    await expect(target.send(batch)).resolves.toEqual({});
    await waitUntil(() => received.length === 2, "two messages");
    expect(received.map((r) => r.subject)).toEqual([`${prefix}.photos`, `${prefix}.docs`]);
    expect(received.map((r) => r.id)).toEqual(batch.map((i) => i.event.id));
    expect(received[0]!.body.Key).toBe("photos/a b.jpg");
    expect(received.map((r) => r.body.Records[0]?.s3.configurationId)).toEqual(["r1", "r2"]);
    expect(received.map((r) => idOf(r.body))).toEqual(batch.map((i) => i.event.id));
  });

  it("authenticates with a token and with an NKey seed", async () => {
    const withToken = natsTarget({ servers: [tokenServer.url], token: "t0ken" });
    expect(await withToken.healthCheck()).toMatchObject({ ok: true });
    const withNkey = natsTarget({ servers: [server.url], nkeySeed: new TextDecoder().decode(NKEY.getSeed()) });
    expect(await withNkey.healthCheck()).toMatchObject({ ok: true });
    await expect(withNkey.send([makeItem()])).resolves.toEqual({});
  });
});

describe("nats jetstream", () => {
  it("creates the stream when asked and counts a delivery only once the stream has it", async () => {
    const stream = unique("S");
    const target = natsTarget({ servers: [server.url], ...USER, mode: "jetstream", subject: `${stream}.{bucket}`, stream, createStream: true });
    const batch = Array.from({ length: 20 }, (_, i) => makeItem({ bucket: "media", key: `k${i}` }));
    await target.send(batch);
    const messages = await streamMessages(stream);
    expect(messages.map(idOf)).toEqual(batch.map((i) => i.event.id));
    expect(messages[3]!.Key).toBe("media/k3");
    // A retried batch is dropped by the stream's duplicate window (the message id is the event and rule).
    await target.send(batch.slice(0, 5));
    expect(await streamMessages(stream)).toHaveLength(20);
  });

  it("fails with a clear error when the stream does not exist and may not be created", async () => {
    const target = natsTarget({ servers: [server.url], ...USER, mode: "jetstream", subject: "nowhere.{bucket}", stream: "MISSING" });
    const error = (await target.send([makeItem()]).catch((e: unknown) => e)) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('stream "MISSING" does not exist');
  });
});

describe("nats errors", () => {
  it("names the address when nothing listens", async () => {
    const port = await freePort();
    const target = natsTarget({ servers: [`nats://127.0.0.1:${port}`] });
    await expect(target.init()).rejects.toThrow();
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toContain(`127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it("reports wrong credentials in health and keeps events queued under the block policy", async () => {
    const routed = await targets.route({
      id: "bus",
      type: "nats",
      config: { servers: [server.url], user: USER.user, password: "wrong", subject: "denied.{bucket}" },
      delivery: { maxDelayMs: 200, failurePolicy: "block" },
    });
    await expectHeldInQueue(routed, { healthError: /Authorization Violation/, lastError: /Authorization Violation/ });
  });
});

describe("nats outage", () => {
  it("turns failing and queues while the server is down, then drains everything when it is back", async () => {
    const own = await startNatsServer({ users: [USER] });
    try {
      const stream = unique("OUT");
      const routed = await targets.route({
        id: "bus",
        type: "nats",
        config: { servers: [own.url], ...USER, mode: "jetstream", subject: `${stream}.{bucket}`, stream, createStream: true, ackWaitMs: 1000 },
        delivery: { maxDelayMs: 300 },
      });
      const ids = await expectOutageRecovery(routed, {
        stop: () => own.stop(),
        start: () => own.restart(),
      });
      const jsm = await (await reader(own.url)).jetstreamManager();
      const info = await jsm.streams.info(stream);
      const got: string[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) got.push(idOf((await jsm.streams.getMessage(stream, { seq })).json<S3NotificationMessage>())!);
      expect(new Set(got)).toEqual(new Set(ids));
      expect(got).toHaveLength(15);
    } finally {
      await own.dispose();
    }
  });
});
