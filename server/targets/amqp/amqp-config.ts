import { z } from "zod";
import { tlsFilesSchema } from "../tls-files.ts";

function isAmqpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "amqp:" || url.protocol === "amqps:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export const AMQP_EXCHANGE_TYPES = ["direct", "fanout", "topic", "headers"] as const;

export const amqpConfigSchema = z.strictObject({
  /** `amqp://[user[:password]@]host[:port][/vhost]`; `amqps://` for TLS. */
  url: z.string().max(4096).refine(isAmqpUrl, "must be an amqp:// or amqps:// URL").describe("amqp://[user[:password]@]host[:port][/vhost]; amqps:// for TLS."),
  /** Overrides a password in the URL. */
  password: z.string().min(1).max(4096).optional().describe("Overrides a password in the URL."),
  /** "" is the default exchange, which routes by queue name. */
  exchange: z.string().max(255).default("herald.events").describe("Exchange to publish to; empty for the default exchange (routing key = queue name)."),
  exchangeType: z.enum(AMQP_EXCHANGE_TYPES).default("topic").describe("Type the exchange is declared with."),
  /** Check that the exchange exists instead of declaring it (for brokers where Herald may not configure). */
  passive: z.boolean().default(false).describe("Only check that the exchange exists; do not declare it."),
  durable: z.boolean().default(true).describe("Declare the exchange durable (survives a broker restart)."),
  /** `{bucket}`, `{eventName}` and `{key}` are replaced per event. */
  routingKey: z.string().max(255).default("s3.{bucket}").describe("Routing key; {bucket}, {eventName} and {key} are replaced per event."),
  /** The broker returns a message no queue is bound for; Herald then retries it (see README). */
  mandatory: z.boolean().default(false).describe("Fail (and retry) events no queue is bound for, instead of the broker dropping them."),
  /** deliveryMode 2: written to disk by durable queues. */
  persistent: z.boolean().default(true).describe("Persistent delivery (deliveryMode 2): survives a broker restart in durable queues."),
  /** Connect timeout and how long publisher confirms may take. */
  timeoutMs: z.number().int().min(100).max(300_000).default(5_000).describe("Connect timeout and how long the broker may take to confirm a batch."),
  heartbeatSeconds: z.number().int().min(0).max(3_600).default(10).describe("AMQP heartbeat; a silent broker is noticed after about twice this."),
  /** Applies to amqps:// URLs. */
  tls: tlsFilesSchema.optional(),
});

export type AmqpConfig = z.output<typeof amqpConfigSchema>;
export type AmqpConfigInput = z.input<typeof amqpConfigSchema>;

export const AMQP_SECRET_FIELDS = ["password"] as const;
