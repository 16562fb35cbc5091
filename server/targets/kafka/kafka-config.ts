import { z } from "zod";
import { tlsFilesSchema } from "../tls-files.ts";

/** `host:port`, with IPv6 hosts in brackets: what kafkajs takes as a broker address. */
function isBrokerAddress(value: string): boolean {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65_535;
}

export const KAFKA_ACKS = ["all", "1", "0"] as const;
export type KafkaAcks = (typeof KAFKA_ACKS)[number];

/**
 * kafkajs ships gzip only; snappy, lz4 and zstd need codec packages Herald
 * does not depend on (and Node 20's zlib has no zstd), so they are not offered
 * rather than accepted and failing at the first send.
 */
export const KAFKA_COMPRESSIONS = ["none", "gzip"] as const;
export type KafkaCompression = (typeof KAFKA_COMPRESSIONS)[number];

export const KAFKA_SASL_MECHANISMS = ["none", "plain", "scram-sha-256", "scram-sha-512"] as const;

export const kafkaConfigSchema = z
  .strictObject({
    brokers: z
      .array(z.string().max(1024).refine(isBrokerAddress, "must be host:port"))
      .min(1)
      .max(100)
      .describe("Bootstrap brokers as host:port; the rest of the cluster is learnt from them."),
    /** Kafka's own limits: 249 characters of letters, digits, '.', '_' and '-'. */
    topic: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,249}$/, "1 to 249 letters, digits, '.', '_' or '-'")
      .describe("The topic events are produced to. Herald does not create it."),
    clientId: z.string().min(1).max(255).default("herald").describe("Client id the brokers see (logs, quotas)."),
    /** all (-1): every in-sync replica has it; 1: the leader has it; 0: nothing waited for (events can be lost). */
    acks: z.enum(KAFKA_ACKS).default("all").describe("all: every in-sync replica has the event; 1: the leader has it; 0: no acknowledgement (events can be lost)."),
    compression: z
      .enum(KAFKA_COMPRESSIONS)
      .default("none")
      .describe("Record batch compression. Only none and gzip: snappy, lz4 and zstd need codec packages kafkajs does not bundle."),
    saslMechanism: z.enum(KAFKA_SASL_MECHANISMS).default("none").describe("SASL authentication; use with TLS, as PLAIN sends the password as is."),
    username: z.string().min(1).max(1024).optional().describe("SASL user name."),
    password: z.string().min(1).max(4096).optional().describe("SASL password."),
    /** Present (even empty) means TLS; the files are re-read when they change on disk. */
    tls: tlsFilesSchema.optional().describe("Connect with TLS; CA and client certificate files are re-read when they change."),
    /** Binary-mode CloudEvents headers (ce_specversion, ce_id, ce_type, ce_source, ce_time) on every record. */
    cloudEvents: z.boolean().default(false).describe("Add CloudEvents headers (binary mode): ce_id is the event id, ce_type the event name."),
    cloudEventsSource: z.string().min(1).max(1024).optional().describe("ce_source; herald:<bucket> when empty."),
    /** Connect, authentication and request timeout, and the health check's limit. */
    timeoutMs: z.number().int().min(100).max(300_000).default(5_000).describe("Connect, authentication and request timeout."),
  })
  .superRefine((config, ctx) => {
    if (config.saslMechanism === "none") return;
    for (const field of ["username", "password"] as const) {
      if (config[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: `required with saslMechanism ${config.saslMechanism}` });
    }
  });

export type KafkaConfig = z.output<typeof kafkaConfigSchema>;
export type KafkaConfigInput = z.input<typeof kafkaConfigSchema>;

export const KAFKA_SECRET_FIELDS = ["password"] as const;
