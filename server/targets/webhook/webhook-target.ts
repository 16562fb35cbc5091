import type { Readable } from "node:stream";
import { Pool } from "undici";
import { DeliveryError } from "../delivery-error.ts";
import { buildNotificationMessage } from "../notification-payload.ts";
import { postJson } from "./post-json.ts";
import { LazyResource } from "../lazy-resource.ts";
import type { DeliveryItem, HealthResult, SendResult, Target, TargetContext } from "../target.ts";
import { probeHealth } from "../target-health.ts";
import { TlsFileWatch } from "../tls-file-watch.ts";
import { authorizationHeader, type WebhookConfig } from "./webhook-config.ts";

export const WEBHOOK_USER_AGENT = "Herald/0.1";

/** Matches the default in-flight limit, so a target's sends never queue inside the pool. */
export const WEBHOOK_POOL_CONNECTIONS = 64;

// Receivers behind common proxies refuse headers past 8-16 KiB (Node: 16 KiB in total).
const MAX_EVENT_ID_HEADER = 8 * 1024;
// An error body is read for the log line; the rest is drained so the connection stays usable.
// Past this, draining costs more than a new connection.
const DRAIN_LIMIT_BYTES = 1024 * 1024;
// Timers overflow past 2^31-1 ms; no sane Retry-After asks for more than a day.
const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * Delivers batches as one JSON POST each over a keep-alive connection pool.
 * The pool is built in init() (TLS files are read then); if that fails, every
 * send and health check tries again, so fixing a file needs no restart.
 */
export class WebhookTarget implements Target {
  readonly type = "webhook";
  readonly arn: string;
  private readonly url: URL;
  private readonly path: string;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly pool: LazyResource<Pool>;

  constructor(
    private readonly config: WebhookConfig,
    private readonly context: TargetContext,
  ) {
    this.arn = context.arn;
    this.url = new URL(config.endpoint);
    this.path = `${this.url.pathname}${this.url.search}`;
    this.headers = buildBaseHeaders(config, this.url);
    this.pool = new LazyResource(
      () => this.createPool(),
      (pool) => pool.destroy(),
    );
  }

  async init(): Promise<void> {
    await this.pool.get();
  }

  async send(batch: readonly DeliveryItem[]): Promise<SendResult> {
    if (batch.length === 0) return {};
    let pool: Pool;
    try {
      pool = await this.pool.get();
    } catch (error) {
      throw new DeliveryError(`webhook not ready: ${describeError(error)}`, { retryable: true, cause: error });
    }
    const body = JSON.stringify(buildNotificationMessage(batch));
    const headers = { ...this.headers, ...eventIdHeaders(batch) };
    // The pool's connect, headers and body timeouts bound the request; no
    // per-send timer or AbortController on this hot path.
    try {
      const response = await postJson(pool, this.path, headers, body);
      const { statusCode } = response;
      if (statusCode >= 200 && statusCode < 300) return { statusCode };
      throw httpStatusError(statusCode, response.headers["retry-after"], response.snippet);
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      if (isTimeout(error)) {
        throw new DeliveryError(`timed out after ${this.config.timeoutMs} ms`, { retryable: true, cause: error });
      }
      throw connectionError(error);
    }
  }

  /**
   * HEAD / on the endpoint's origin: any HTTP answer (404 and 405 included)
   * proves the receiver is reachable without posting a fake event to it.
   */
  async healthCheck(): Promise<HealthResult> {
    if (this.config.healthCheck === "none") return { ok: true, latencyMs: 0, checkedAt: Date.now() };
    const { timeoutMs } = this.config;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await probeHealth(
        async () => {
          const pool = await this.pool.get();
          const { "content-type": _contentType, ...headers } = this.headers;
          const response = await pool.request({ method: "HEAD", path: "/", headers, signal: controller.signal });
          await drain(response.body);
        },
        (error) => (controller.signal.aborted ? `timed out after ${timeoutMs} ms` : describeError(error)),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const pool = await this.pool.close();
    if (pool && !pool.destroyed) await pool.destroy();
  }

  private async createPool(): Promise<Pool> {
    const { timeoutMs, tls } = this.config;
    const connect: Record<string, unknown> = { timeout: timeoutMs };
    if (this.url.protocol === "https:" && tls) {
      // Read once per pool: undici picks the host name for SNI itself.
      Object.assign(connect, await new TlsFileWatch(tls).read());
      if (tls.skipVerify) this.context.logger.warn({ target: this.arn }, "TLS certificate verification is off for this webhook");
    }
    return new Pool(this.url.origin, {
      connections: WEBHOOK_POOL_CONNECTIONS,
      pipelining: 1,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connect,
    });
  }
}

function buildBaseHeaders(config: WebhookConfig, url: URL): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": WEBHOOK_USER_AGENT };
  for (const [name, value] of Object.entries(config.headers)) headers[name.toLowerCase()] = value;
  if (config.authToken !== undefined) {
    headers.authorization = authorizationHeader(config.authToken);
  } else if (url.username !== "" || url.password !== "") {
    // undici ignores credentials in the origin; honour them as browsers and curl do.
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;
  }
  return headers;
}

/**
 * `X-Herald-Event-Id` lists the batch's event ids. A list that would not fit
 * in a header receivers accept is cut at a whole id, and the total is given so
 * the receiver knows to take the ids from the records instead.
 */
export function eventIdHeaders(batch: readonly DeliveryItem[]): Record<string, string> {
  const ids = batch.map((item) => item.event.id);
  let value = ids.join(",");
  if (value.length <= MAX_EVENT_ID_HEADER) return { "x-herald-event-id": value };
  value = value.slice(0, value.lastIndexOf(",", MAX_EVENT_ID_HEADER));
  return { "x-herald-event-id": value, "x-herald-event-count": String(ids.length) };
}

/** What an HTTP answer other than 2xx means for the delivery. */
export function httpStatusError(statusCode: number, retryAfter: string | string[] | undefined, detail = ""): DeliveryError {
  const message = `HTTP ${statusCode}${detail ? `: ${detail}` : ""}`;
  if (statusCode === 408 || statusCode === 429 || statusCode >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return new DeliveryError(message, { retryable: true, statusCode, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  if (statusCode === 410) return new DeliveryError(message, { retryable: false, statusCode, pauseTarget: true });
  // Other 4xx will fail the same way every time; 3xx is not followed because a
  // redirected POST may silently lose its body or method.
  return new DeliveryError(message, { retryable: false, statusCode });
}

/** Retry-After as delay-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Math.min(Number(raw) * 1000, MAX_RETRY_AFTER_MS);
  // Date.parse would also take "5.5" or "2024" as dates; an HTTP date always names a weekday or month.
  if (!/[A-Za-z]/.test(raw)) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && TIMEOUT_CODES.has(code);
}

function connectionError(error: unknown): DeliveryError {
  const code = (error as { code?: unknown } | null)?.code;
  // A request undici refuses to build fails the same way on every attempt.
  const retryable = code !== "UND_ERR_INVALID_ARG";
  return new DeliveryError(describeError(error), { retryable, cause: error });
}

/** One line for operators: the error's message, with its code when the message lacks it. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Happy-eyeballs connects (IPv4 and IPv6 tried) fail with an AggregateError whose own message is empty.
  if (!error.message && error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  const code = (error as { code?: unknown }).code;
  const message = error.message || error.name;
  return typeof code === "string" && !message.includes(code) ? `${code}: ${message}` : message;
}

/** Reads the body to its end (bounded) so the keep-alive connection can carry the next request. */
async function drain(body: Readable & { dump?: (opts?: { limit: number }) => Promise<void> }): Promise<void> {
  try {
    if (typeof body.dump === "function") await body.dump({ limit: DRAIN_LIMIT_BYTES });
    else for await (const _chunk of body) void _chunk;
  } catch {
    // The status has decided the outcome already; a broken body only costs the connection.
  }
}
