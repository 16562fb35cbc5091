import { copyFileSync, readFileSync } from "node:fs";
import { connect, type NatsConnection, type Subscription } from "nats";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { createTestCertificates, type TestCertificates } from "../../../test/support/http-receiver.ts";
import { startNatsServer, type RunningNats } from "../../../test/support/nats-server.ts";
import { eventually, OpenTargets } from "../../../test/support/target-test-kit.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import type { Target } from "../target.ts";
import type { NatsConfigInput } from "./nats-config.ts";
import { natsTargetType } from "./nats-target-type.ts";

// nats-server with a tls block (verify: true): TLS only, and a client
// certificate signed by `certs`' CA required. `otherCerts` is an unrelated CA.
let certs: TestCertificates;
let otherCerts: TestCertificates;
let server: RunningNats;
let reader: NatsConnection;
const targets = new OpenTargets({ id: "bus", arn: "arn:herald:sqs:us-east-1:bus:nats" });

beforeAll(async () => {
  certs = createTestCertificates();
  otherCerts = createTestCertificates();
  server = await startNatsServer({}, { tls: { certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile } });
  // The test's own client, over TLS with its own client certificate.
  reader = await connect({
    servers: server.url,
    tls: { ca: readFileSync(certs.caFile, "utf8"), cert: readFileSync(certs.clientCertFile, "utf8"), key: readFileSync(certs.clientKeyFile, "utf8") },
  });
});

afterAll(async () => {
  await reader?.close();
  await server?.dispose();
  certs?.remove();
  otherCerts?.remove();
});

afterEach(async () => {
  await targets.closeAll();
});

function natsTarget(config: Partial<NatsConfigInput>): Target {
  return targets.create(natsTargetType, { servers: [server.url], timeoutMs: 3_000, ackWaitMs: 3_000, ...config });
}

function unique(prefix: string): string {
  return `${prefix}.${Math.random().toString(36).slice(2, 10)}`;
}

/** The next message on `sub`, parsed. */
async function next(sub: Subscription): Promise<S3NotificationMessage> {
  for await (const m of sub) return m.json<S3NotificationMessage>();
  throw new Error("subscription closed before a message arrived");
}

describe("nats TLS", () => {
  it("delivers over TLS with the CA and a client certificate, read back by an independent TLS client", async () => {
    const subject = unique("tls");
    const sub = reader.subscribe(subject, { max: 1, timeout: 5_000 });
    await reader.flush();
    const target = natsTarget({ subject, tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    expect(await target.healthCheck()).toMatchObject({ ok: true });
    const item = makeItem();
    await target.send([item]);
    const message = await next(sub);
    expect(message.Records[0]?.responseElements["x-herald-event-id"]).toBe(item.event.id);
  });

  it("fails on a wrong CA file, and re-reads it once it is overwritten in place: healthy and delivering, without a restart", async () => {
    // A copy of the wrong CA, overwritten below with the right one (same path, same inode).
    const caFile = `${otherCerts.dir}/rotating-ca.crt`;
    copyFileSync(otherCerts.caFile, caFile);
    const subject = unique("rotate");
    const target = natsTarget({ subject, tls: { caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    const refused = await target.healthCheck();
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/^nats: .*certificate/i);

    copyFileSync(certs.caFile, caFile);
    await eventually(async () => expect(await target.healthCheck()).toMatchObject({ ok: true }), 5_000);
    const sub = reader.subscribe(subject, { max: 1, timeout: 5_000 });
    await reader.flush();
    const item = makeItem();
    await target.send([item]);
    expect((await next(sub)).Records[0]?.responseElements["x-herald-event-id"]).toBe(item.event.id);
  });

  it("is refused by the server without a client certificate", async () => {
    // The server rejects the missing certificate with a TLS alert after the (TLS 1.3) handshake;
    // the client, set to reconnect, would only report TIMEOUT: the target's second, non-reconnecting
    // attempt brings back the alert.
    const without = natsTarget({ timeoutMs: 1_000, tls: { caFile: certs.caFile } });
    const health = await without.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/^nats: .*(certificate|alert)/i);
  });
});
