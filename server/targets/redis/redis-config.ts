import { z } from "zod";
import { tlsFilesSchema } from "../tls-files.ts";

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export const REDIS_MODES = ["publish", "stream", "both"] as const;
export type RedisMode = (typeof REDIS_MODES)[number];

export const redisTlsSchema = tlsFilesSchema;

export const redisConfigSchema = z.strictObject({
  /** `redis://[user[:password]@]host[:port][/db]`; `rediss://` for TLS. */
  url: z.string().max(4096).refine(isRedisUrl, "must be a redis:// or rediss:// URL").describe("redis://[user[:password]@]host[:port][/db]; rediss:// for TLS."),
  /** Overrides a password in the URL. */
  password: z.string().min(1).max(4096).optional().describe("Overrides a password in the URL."),
  /** Overrides a database number in the URL path unless left at 0. */
  db: z.number().int().min(0).max(65_535).default(0).describe("Overrides a database number in the URL unless left at 0."),
  /** `publish`: PUBLISH only (fire and forget for subscribers); `stream`: XADD (durable, replayable); `both`. */
  mode: z.enum(REDIS_MODES).default("stream").describe("publish: PUBLISH only; stream: XADD (durable, replayable); both."),
  /** Channel prefix: each event is published to `{channel}:{bucket}`. */
  channel: z.string().min(1).max(1024).default("s3:events").describe("Each event is published to {channel}:{bucket}."),
  stream: z.string().min(1).max(1024).default("herald:events").describe("The stream events are added to."),
  /** Approximate stream length kept (XADD MAXLEN ~). */
  maxLen: z.number().int().min(1).max(1_000_000_000).default(100_000).describe("Approximate stream length kept (XADD MAXLEN ~)."),
  /** Connect and per-command timeout; a stalled server fails the send instead of holding it. */
  timeoutMs: z.number().int().min(100).max(300_000).default(5_000).describe("Connect and per-command timeout."),
  /** Applies to rediss:// URLs. */
  tls: redisTlsSchema.optional(),
});

export type RedisConfig = z.output<typeof redisConfigSchema>;
export type RedisConfigInput = z.input<typeof redisConfigSchema>;

export const REDIS_SECRET_FIELDS = ["password"] as const;
