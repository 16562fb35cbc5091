import { LazyResource } from "../lazy-resource.ts";
import { Redis, type RedisOptions } from "ioredis";
import { DeliveryError } from "../delivery-error.ts";
import { buildNotificationMessage } from "../notification-payload.ts";
import { OutageLog } from "../outage-log.ts";
import type { DeliveryItem, HealthResult, SendResult, Target, TargetContext } from "../target.ts";
import { probeHealth } from "../target-health.ts";
import { TlsFileWatch, tlsConnectionOptions } from "../tls-file-watch.ts";
import type { RedisConfig } from "./redis-config.ts";

const RECONNECT_BASE_MS = 100;
/** Low enough that a restarted server is used again within seconds, high enough not to spin. */
export const REDIS_RECONNECT_MAX_MS = 2_000;

/** Capped exponential backoff with a little jitter, so many targets do not reconnect in lockstep. */
export function redisReconnectDelay(times: number): number {
  const base = Math.min(RECONNECT_BASE_MS * 2 ** Math.min(Math.max(times - 1, 0), 16), REDIS_RECONNECT_MAX_MS);
  return Math.round(base * (0.8 + Math.random() * 0.2));
}

/**
 * Delivers to Redis with PUBLISH and/or XADD. Commands are never queued while
 * the server is away (enableOfflineQueue: false): a send fails at once and the
 * pipeline's own retry and backoff take over, while ioredis keeps reconnecting
 * in the background so the target recovers without anyone touching it.
 */
export class RedisTarget implements Target {
  readonly type = "redis";
  readonly arn: string;
  private readonly client: LazyResource<Redis>;
  private connecting: Promise<void> | undefined;
  private lastError: string | undefined;
  private readonly outage: OutageLog;

  constructor(
    private readonly config: RedisConfig,
    private readonly context: TargetContext,
  ) {
    this.arn = context.arn;
    this.outage = new OutageLog(context, "redis target reconnected");
    this.client = new LazyResource(
      () => this.createClient(),
      (client) => client.disconnect(),
    );
  }

  async init(): Promise<void> {
    try {
      await this.connected();
    } catch (error) {
      // ioredis rejects with "Connection is closed."; the reason came in an error event.
      throw new Error(this.unavailable(error), { cause: error });
    }
  }

  async send(batch: readonly DeliveryItem[]): Promise<SendResult> {
    if (batch.length === 0) return {};
    let client: Redis;
    try {
      client = await this.connected();
    } catch (error) {
      throw new DeliveryError(this.unavailable(error), { retryable: true, cause: error });
    }
    const { mode, channel, stream, maxLen } = this.config;
    // One round trip for the whole batch.
    const pipeline = client.pipeline();
    for (const item of batch) {
      const { event } = item;
      const message = JSON.stringify(buildNotificationMessage([item]));
      if (mode === "publish" || mode === "both") pipeline.publish(`${channel}:${event.bucket}`, message);
      if (mode === "stream" || mode === "both") {
        pipeline.xadd(stream, "MAXLEN", "~", maxLen, "*", "id", event.id, "eventName", event.eventName, "bucket", event.bucket, "key", event.key, "event", message);
      }
    }
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (error) {
      throw new DeliveryError(this.unavailable(error), { retryable: true, cause: error });
    }
    if (results === null) throw new DeliveryError("redis: the pipeline was discarded", { retryable: true });
    const failed = results.find(([error]) => error !== null)?.[0];
    // A partly written batch is sent again whole: at least once, and receivers de-duplicate by event id.
    if (failed) throw new DeliveryError(this.unavailable(failed), { retryable: true, cause: failed });
    return {};
  }

  async healthCheck(): Promise<HealthResult> {
    return probeHealth(
      async () => {
        const client = await this.connected();
        await client.ping();
      },
      (error) => this.unavailable(error),
    );
  }

  async close(): Promise<void> {
    const client = await this.client.close();
    if (!client) return;
    if (client.status === "ready") {
      // QUIT lets the server finish what it has; a server that does not answer is cut off.
      const quit = client.quit().then(
        () => true,
        () => false,
      );
      const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), this.config.timeoutMs).unref());
      if (await Promise.race([quit, timeout])) return;
    }
    client.disconnect();
  }

  /** The client, connecting it when nothing else is (first use, or after ioredis gave up). */
  private async connected(): Promise<Redis> {
    const client = await this.client.get();
    if (client.status === "wait" || client.status === "end") {
      // Shared: a second connect() while one is under way would be refused.
      this.connecting ??= client.connect().finally(() => {
        this.connecting = undefined;
      });
    }
    if (this.connecting) await this.connecting;
    return client;
  }

  private async createClient(): Promise<Redis> {
    const client = new Redis(await redisClientOptions(this.config, () => this.client.isClosed));
    client.on("error", (error: Error) => {
      this.lastError = error.message;
      this.outage.failed(error, "redis target unavailable; reconnecting in the background");
    });
    client.on("ready", () => {
      this.outage.recovered();
      this.lastError = undefined;
    });
    return client;
  }

  /** The command's own error, or (when ioredis only says it is not connected) why it is not. */
  private unavailable(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    if (/enableOfflineQueue|Connection is closed/i.test(message)) {
      // A server that shut down cleanly leaves no error event: say what state the connection is in.
      return `redis unavailable: ${this.lastError ?? `not connected (${this.client.current?.status ?? "no client"})`}`;
    }
    return `redis: ${message}`;
  }
}

/** ioredis options for a config; the URL is parsed here so the config's password and db win over it. */
export async function redisClientOptions(config: RedisConfig, isClosed: () => boolean = () => false): Promise<RedisOptions> {
  const url = new URL(config.url);
  const urlDb = /^\/(\d+)$/.exec(url.pathname)?.[1];
  const password = config.password ?? (url.password === "" ? undefined : decodeURIComponent(url.password));
  const username = url.username === "" ? undefined : decodeURIComponent(url.username);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? 6379 : Number(url.port),
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    db: config.db !== 0 ? config.db : urlDb === undefined ? 0 : Number(urlDb),
    connectionName: "herald",
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: config.timeoutMs,
    commandTimeout: config.timeoutMs,
    retryStrategy: (times: number) => (isClosed() ? null : redisReconnectDelay(times)),
    ...(url.protocol === "rediss:" ? { tls: tlsConnectionOptions(await new TlsFileWatch(config.tls).read(), url.hostname) } : {}),
  };
}
