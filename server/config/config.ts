import path from "node:path";
import { z } from "zod";
import { AppError } from "../errors/app-error.ts";

/**
 * The one place that reads the environment. Everything else receives the typed
 * `HeraldConfig` from the composition root. Every variable is listed, with its
 * default, in the README.
 */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)?$/, "a duration such as 500ms, 30s, 5m, 12h or 7d")
  .transform((value) => parseDurationMs(value));

// Node runs a timer with a delay above 2^31-1 ms after 1 ms: a longer interval would spin.
const timerDuration = duration.refine((ms) => ms >= 1 && ms <= 2_147_483_647, "between 1ms and 24d");

const wholeNumber = z.string().regex(/^\d+$/, "a whole number").transform(Number);

const csv = z
  .string()
  .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean));

const envSchema = z.object({
  HERALD_HOST: z.string().min(1).default("127.0.0.1"),
  HERALD_PORT: wholeNumber.pipe(z.number().max(65535)).default(3000),
  HERALD_DATA_DIR: z.string().min(1).default("./data"),
  HERALD_DATABASE_FILE: z.string().min(1).optional(),
  HERALD_REGION: z.string().min(1).default("us-east-1"),
  HERALD_API_TOKENS: csv.optional(),
  HERALD_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** SQLite synchronous mode: FULL survives power loss, NORMAL survives process crashes (kill -9). */
  HERALD_DB_SYNC: z.enum(["FULL", "NORMAL"]).default("FULL"),
  HERALD_MAX_BODY_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  HERALD_MAX_EVENTS_PER_REQUEST: z.coerce.number().int().positive().default(10_000),
  HERALD_QUEUE_MEMORY: z.coerce.number().int().min(100).default(10_000),
  HERALD_LIVE_HISTORY: z.coerce.number().int().min(16).default(1024),
  HERALD_LIVE_CLIENT_BUFFER: z.coerce.number().int().min(16).default(2048),
  HERALD_ARCHIVE_MAX_AGE: duration.default(7 * 24 * 3600 * 1000),
  HERALD_ARCHIVE_MAX_COUNT: z.coerce.number().int().positive().default(1_000_000),
  HERALD_ARCHIVE_PRUNE_INTERVAL: timerDuration.default(60_000),
  HERALD_SHUTDOWN_TIMEOUT: duration.refine((ms) => ms <= 2_147_483_647, "at most 24d").default(10_000),
  HERALD_HEALTH_CHECK_INTERVAL: timerDuration.default(30_000),
  HERALD_ROOT_USER: z.string().min(1).max(64).optional(),
  HERALD_ROOT_PASSWORD: z.string().min(8, "at least 8 characters").max(256).optional(),
  HERALD_SESSION_TTL: timerDuration.default(12 * 3600 * 1000),
  /** Serve the operator console (Next.js) next to the API; off runs the engine and API alone. */
  HERALD_CONSOLE: z.enum(["on", "off"]).default("on"),
  /** The S3-compatible endpoint, on its own port. */
  HERALD_S3: z.enum(["on", "off"]).default("on"),
  HERALD_S3_PORT: wholeNumber.pipe(z.number().max(65535)).default(9000),
  /** Virtual-host style requests: `<bucket>.<domain>`. */
  HERALD_S3_DOMAIN: z.string().default("localhost"),
  HERALD_S3_ACCESS_KEYS: z
    .string()
    .transform((v, ctx) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
        .map((pair) => {
          const at = pair.indexOf(":");
          if (at < 3 || pair.length - at - 1 < 8) ctx.addIssue({ code: "custom", message: "pairs of ACCESS_KEY:SECRET (key at least 3, secret at least 8 characters), comma-separated" });
          return { accessKeyId: pair.slice(0, at), secretAccessKey: pair.slice(at + 1) };
        }),
    )
    .optional(),
  HERALD_S3_BACKEND: z.enum(["local", "upstream"]).default("local"),
  HERALD_S3_UPSTREAM_ENDPOINT: z.url().optional(),
  HERALD_S3_UPSTREAM_REGION: z.string().min(1).default("us-east-1"),
  HERALD_S3_UPSTREAM_ACCESS_KEY: z.string().min(1).optional(),
  HERALD_S3_UPSTREAM_SECRET_KEY: z.string().min(1).optional(),
  /** Emit s3:ObjectAccessed:Get/Head. */
  HERALD_S3_ACCESS_EVENTS: z.enum(["on", "off"]).default("off"),
  /** `sync`: an S3 response waits until its event is durably queued; `async`: it does not; `off`: no events. */
  HERALD_S3_EVENTS: z.enum(["sync", "async", "off"]).default("sync"),
  // A Redis stream Herald reads S3 notifications from (off unless a URL is given).
  HERALD_REDIS_SOURCE_URL: z.url({ protocol: /^rediss?$/, error: "a redis:// or rediss:// URL" }).optional(),
  HERALD_REDIS_SOURCE_STREAM: z.string().min(1).default("herald:s3-events"),
  HERALD_REDIS_SOURCE_NAME: z.string().min(1).max(200).default("herald"),
  HERALD_REDIS_SOURCE_FIELD: z.string().min(1).default("event"),
  HERALD_REDIS_SOURCE_START: z.enum(["0", "$"]).default("0"),
});

export type HeraldConfig = ReturnType<typeof toConfig>;

function toConfig(env: z.infer<typeof envSchema>) {
  const dataDir = path.resolve(env.HERALD_DATA_DIR);
  return {
    host: env.HERALD_HOST,
    port: env.HERALD_PORT,
    dataDir,
    databaseFile: path.resolve(env.HERALD_DATABASE_FILE ?? path.join(dataDir, "herald.db")),
    region: env.HERALD_REGION,
    /** Undefined: generate one on first start and keep it in the data directory. */
    apiTokens: env.HERALD_API_TOKENS,
    logLevel: env.HERALD_LOG_LEVEL,
    dbSync: env.HERALD_DB_SYNC,
    maxBodyBytes: env.HERALD_MAX_BODY_BYTES,
    maxEventsPerRequest: env.HERALD_MAX_EVENTS_PER_REQUEST,
    /** Deliveries each target keeps in memory; the rest of its queue is read from the database in order. */
    queueMemoryPerTarget: env.HERALD_QUEUE_MEMORY,
    liveHistorySize: env.HERALD_LIVE_HISTORY,
    liveClientBuffer: env.HERALD_LIVE_CLIENT_BUFFER,
    archive: {
      maxAgeMs: env.HERALD_ARCHIVE_MAX_AGE,
      maxCount: env.HERALD_ARCHIVE_MAX_COUNT,
      pruneIntervalMs: env.HERALD_ARCHIVE_PRUNE_INTERVAL,
    },
    shutdownTimeoutMs: env.HERALD_SHUTDOWN_TIMEOUT,
    healthCheckIntervalMs: env.HERALD_HEALTH_CHECK_INTERVAL,
    /** Undefined: a root account is generated on first start and kept (hashed) in the data directory. */
    rootUser: env.HERALD_ROOT_USER,
    rootPassword: env.HERALD_ROOT_PASSWORD,
    sessionTtlMs: env.HERALD_SESSION_TTL,
    console: env.HERALD_CONSOLE === "on",
    s3: {
      enabled: env.HERALD_S3 === "on",
      port: env.HERALD_S3_PORT,
      domain: env.HERALD_S3_DOMAIN,
      /** Undefined: a root key pair is generated on first start and kept in the data directory. */
      accessKeys: env.HERALD_S3_ACCESS_KEYS,
      backend: env.HERALD_S3_BACKEND,
      objectsDir: path.join(dataDir, "objects"),
      upstream: {
        endpoint: env.HERALD_S3_UPSTREAM_ENDPOINT,
        region: env.HERALD_S3_UPSTREAM_REGION,
        accessKeyId: env.HERALD_S3_UPSTREAM_ACCESS_KEY,
        secretAccessKey: env.HERALD_S3_UPSTREAM_SECRET_KEY,
      },
      accessEvents: env.HERALD_S3_ACCESS_EVENTS === "on",
      events: env.HERALD_S3_EVENTS,
    },
    /** Undefined unless HERALD_REDIS_SOURCE_URL is set. */
    redisSource:
      env.HERALD_REDIS_SOURCE_URL === undefined
        ? undefined
        : {
            url: env.HERALD_REDIS_SOURCE_URL,
            stream: env.HERALD_REDIS_SOURCE_STREAM,
            name: env.HERALD_REDIS_SOURCE_NAME,
            field: env.HERALD_REDIS_SOURCE_FIELD,
            start: env.HERALD_REDIS_SOURCE_START,
          },
  };
}

/** Parses the environment once at boot; a bad variable stops the boot with a message naming it. */
export function loadConfig(env: Record<string, string | undefined> = process.env): HeraldConfig {
  const relevant = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith("HERALD_") && v !== ""));
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join(".") ?? "environment";
    throw new AppError("ValidationError", `invalid environment variable ${name}: ${issue?.message ?? "invalid"}`, {
      field: name,
    });
  }
  if (parsed.data.HERALD_S3_BACKEND === "upstream") {
    for (const name of ["HERALD_S3_UPSTREAM_ENDPOINT", "HERALD_S3_UPSTREAM_ACCESS_KEY", "HERALD_S3_UPSTREAM_SECRET_KEY"] as const) {
      if (!parsed.data[name]) throw new AppError("ValidationError", `invalid environment variable ${name}: required when HERALD_S3_BACKEND=upstream`, { field: name });
    }
  }
  return toConfig(parsed.data);
}

export function parseDurationMs(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value);
  if (!match) throw new AppError("ValidationError", `not a duration: ${value}`);
  const n = Number(match[1]);
  const unit = match[2] ?? "ms";
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1;
  return n * factor;
}
