import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { createTestCertificates, startHttpReceiver, type HttpReceiver, type TestCertificates } from "../../../test/support/http-receiver.ts";
import { silentLogger } from "../../logging/logger.ts";
import { DeliveryError } from "../delivery-error.ts";
import type { Target } from "../target.ts";
import { webhookConfigSchema, type WebhookConfigInput } from "./webhook-config.ts";
import { webhookTargetType } from "./webhook-target-type.ts";

let certs: TestCertificates;
let receiver: HttpReceiver;
let mutual: HttpReceiver;
const open: Target[] = [];

function webhook(config: WebhookConfigInput): Target {
  const target = webhookTargetType.create(webhookConfigSchema.parse(config), {
    id: "secure",
    arn: "arn:herald:sqs:us-east-1:secure:webhook",
    logger: silentLogger(),
  });
  open.push(target);
  return target;
}

async function sendError(target: Target): Promise<DeliveryError> {
  try {
    await target.send([makeItem()]);
  } catch (error) {
    expect(error).toBeInstanceOf(DeliveryError);
    return error as DeliveryError;
  }
  throw new Error("the send succeeded");
}

beforeAll(async () => {
  certs = createTestCertificates();
  receiver = await startHttpReceiver({ tls: { key: certs.key, cert: certs.cert } });
  mutual = await startHttpReceiver({ tls: { key: certs.key, cert: certs.cert, ca: certs.ca, requestCert: true } });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  receiver.reset();
  mutual.reset();
});

afterAll(async () => {
  await receiver?.stop();
  await mutual?.stop();
  certs?.remove();
});

describe("webhook over TLS", () => {
  it("delivers to a receiver whose certificate chains to the configured CA", async () => {
    const target = webhook({ endpoint: receiver.url, tls: { caFile: certs.caFile } });
    await target.init();
    await expect(target.send([makeItem()])).resolves.toEqual({ statusCode: 200 });
    expect(await receiver.waitFor(1)).toHaveLength(1);
    expect((await target.healthCheck()).ok).toBe(true);
  });

  it("also checks the name: localhost is in the certificate", async () => {
    const target = webhook({ endpoint: receiver.url.replace("127.0.0.1", "localhost"), tls: { caFile: certs.caFile } });
    await expect(target.send([makeItem()])).resolves.toEqual({ statusCode: 200 });
  });

  it("refuses a certificate it cannot verify, as a retryable failure", async () => {
    const target = webhook({ endpoint: receiver.url });
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/certificate/i);
    expect(receiver.requests).toHaveLength(0);
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/certificate/i);
  });

  it("accepts any certificate with skipVerify", async () => {
    const target = webhook({ endpoint: receiver.url, tls: { skipVerify: true } });
    await expect(target.send([makeItem()])).resolves.toEqual({ statusCode: 200 });
  });

  it("presents a client certificate for mutual TLS", async () => {
    const target = webhook({
      endpoint: mutual.url,
      tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile },
    });
    await target.init();
    await expect(target.send([makeItem()])).resolves.toEqual({ statusCode: 200 });
    expect(await mutual.waitFor(1)).toHaveLength(1);
  });

  it("is refused by a mutual-TLS receiver without a client certificate", async () => {
    const target = webhook({ endpoint: mutual.url, tls: { caFile: certs.caFile } });
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(mutual.requests).toHaveLength(0);
  });
});
