import { readFile } from "node:fs/promises";
import {
  connect,
  credsAuthenticator,
  headers as natsHeaders,
  nkeyAuthenticator,
  type ConnectionOptions,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
} from "nats";
import { DeliveryError } from "../delivery-error.ts";
import { LazyResource } from "../lazy-resource.ts";
import { buildNotificationMessage } from "../notification-payload.ts";
import type { DeliveryItem, HealthResult, SendResult, Target, TargetContext } from "../target.ts";
import { probeHealth } from "../target-health.ts";
import { TlsFileWatch } from "../tls-file-watch.ts";
import { withTimeout } from "../with-timeout.ts";
import type { NatsConfig } from "./nats-config.ts";

interface Session {
  nc: NatsConnection;
  js: JetStreamClient | undefined;
  jsm: JetStreamManager | undefined;
  /** False while the client is reconnecting: sends fail at once rather than pile up in its buffer. */
  connected: boolean;
  lastError: string | undefined;
  closed: boolean;
}

const encoder = new TextEncoder();

/**
 * Publishes to NATS. Core mode publishes the batch and flushes (one PING round
 * trip): the server has the messages, which is all core NATS promises.
 * JetStream mode publishes the batch with a message id per event (the
 * stream's duplicate window drops re-sends of a retried batch) and counts a
 * delivery only when the stream acks it.
 *
 * The client reconnects by itself while it has a connection; a connection
 * that could not be made, or that the client gave up on, is made again on the
 * next use, so a restarted server needs no Herald restart. Every failure is
 * retryable: wrong credentials or a missing stream are fixed on the server.
 */
export class NatsTarget implements Target {
  readonly type = "nats";
  readonly arn: string;
  private readonly session: LazyResource<Session>;
  private readonly tls: TlsFileWatch;

  constructor(
    private readonly config: NatsConfig,
    private readonly context: TargetContext,
  ) {
    this.arn = context.arn;
    this.tls = new TlsFileWatch(config.tls);
    this.session = new LazyResource(
      () => this.open(),
      (session) => drain(session),
      "nats: target is closed",
    );
  }

  async init(): Promise<void> {
    await this.connected();
  }

  async send(batch: readonly DeliveryItem[]): Promise<SendResult> {
    if (batch.length === 0) return {};
    let session: Session;
    try {
      session = await this.connected();
    } catch (error) {
      throw new DeliveryError(this.describe(error), { retryable: true, cause: error });
    }
    try {
      if (session.js) await this.publishJetStream(session.js, batch);
      else {
        for (const item of batch) session.nc.publish(this.subject(item), this.payload(item), { headers: this.headers(item) });
        await this.withTimeout(session.nc.flush(), "flush");
      }
      return {};
    } catch (error) {
      throw new DeliveryError(this.describe(error, session), { retryable: true, cause: error });
    }
  }

  async healthCheck(): Promise<HealthResult> {
    let session: Session | undefined;
    return probeHealth(
      async () => {
        const current = await this.connected();
        session = current;
        await this.withTimeout(current.nc.flush(), "ping");
        if (current.jsm && this.config.stream !== undefined) await this.withTimeout(current.jsm.streams.info(this.config.stream), "stream info");
      },
      (error) => this.describe(error, session),
    );
  }

  async close(): Promise<void> {
    const session = await this.session.close();
    if (session) await drain(session);
  }

  private async publishJetStream(js: JetStreamClient, batch: readonly DeliveryItem[]): Promise<void> {
    const { stream, ackWaitMs } = this.config;
    // All in flight at once: one ack wait for the batch, not one per message.
    await Promise.all(
      batch.map((item) =>
        js.publish(this.subject(item), this.payload(item), {
          msgID: `${item.event.id}:${item.ruleId}`,
          timeout: ackWaitMs,
          headers: this.headers(item),
          ...(stream === undefined ? {} : { expect: { streamName: stream } }),
        }),
      ),
    );
  }

  private async connected(): Promise<Session> {
    const current = this.session.current;
    if (current && (current.closed || (await this.tls.changed()))) {
      this.session.discard();
      current.closed = true;
      void current.nc.close().catch(() => undefined);
    } else if (current && !current.connected) {
      // The client reconnects by itself: fail fast meanwhile rather than pile up in its buffer.
      throw new Error(`nats: disconnected, reconnecting${current.lastError ? ` (${current.lastError})` : ""}`);
    }
    return this.session.get();
  }

  private async open(): Promise<Session> {
    const options = await this.connectionOptions();
    let nc: NatsConnection;
    try {
      nc = await connect(options);
    } catch (error) {
      // Set to reconnect, the client retries a first connection the server drops (a TLS alert for a
      // missing client certificate, say) until its timeout, and only TIMEOUT is left: one attempt that
      // does not reconnect brings back the server's reason.
      if ((error as { code?: string }).code !== "TIMEOUT") throw error;
      const reason = await connect({ ...options, reconnect: false, maxReconnectAttempts: 0 }).then(
        async (probe) => {
          await probe.close().catch(() => undefined);
          return undefined;
        },
        (probeError: unknown) => probeError,
      );
      throw reason ?? error;
    }
    const session: Session = { nc, js: undefined, jsm: undefined, connected: true, lastError: undefined, closed: false };
    void this.watch(session);
    void nc.closed().then((error) => {
      session.closed = true;
      if (error) session.lastError = error.message;
    });
    try {
      if (this.config.mode === "jetstream") {
        session.jsm = await nc.jetstreamManager({ timeout: this.config.ackWaitMs });
        await this.ensureStream(session.jsm);
        session.js = nc.jetstream({ timeout: this.config.ackWaitMs });
      }
    } catch (error) {
      session.closed = true;
      await nc.close().catch(() => undefined);
      throw error;
    }
    return session;
  }

  private async ensureStream(jsm: JetStreamManager): Promise<void> {
    const { stream, createStream } = this.config;
    if (stream === undefined) return;
    try {
      await jsm.streams.info(stream);
    } catch (error) {
      if (!/stream not found/i.test(error instanceof Error ? error.message : "")) throw error;
      if (!createStream) throw new Error(`nats: JetStream stream ${JSON.stringify(stream)} does not exist (create it, or set createStream)`, { cause: error });
      // The subject with its placeholders as single-token wildcards catches every bucket and event name.
      const subjects = [this.config.subject.replaceAll("{bucket}", "*").replaceAll("{eventName}", "*")];
      await jsm.streams.add({ name: stream, subjects });
    }
  }

  /** Follows the client's status: sends fail fast while it reconnects, and the outage is logged once. */
  private async watch(session: Session): Promise<void> {
    for await (const status of session.nc.status()) {
      if (status.type === "disconnect") {
        if (session.connected) this.context.logger.warn({ target: this.arn, server: status.data }, "nats target disconnected; reconnecting in the background");
        session.connected = false;
      } else if (status.type === "reconnect") {
        session.connected = true;
        session.lastError = undefined;
        this.context.logger.info({ target: this.arn }, "nats target reconnected");
      } else if (status.type === "error") {
        session.lastError = String(status.data);
      }
    }
  }

  private async connectionOptions(): Promise<ConnectionOptions> {
    const { config } = this;
    const servers = config.servers.map((s) => (s.includes("://") ? s : `nats://${s}`));
    const wantsTls = config.tls !== undefined || servers.some((s) => s.startsWith("tls://"));
    // A tls:// server without tls settings still gets TLS, verified against the system CAs.
    const tls = wantsTls ? ((await this.tls.read()) ?? { rejectUnauthorized: true }) : undefined;
    const creds = config.credsFile === undefined ? undefined : await readCreds(config.credsFile);
    return {
      servers,
      name: `herald ${this.context.id}`,
      timeout: config.timeoutMs,
      // Once connected, keep trying forever: the target recovers whenever the server comes back.
      reconnect: true,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      pingInterval: 10_000,
      ...(config.token === undefined ? {} : { token: config.token }),
      ...(config.user === undefined ? {} : { user: config.user, pass: config.password }),
      ...(config.nkeySeed === undefined ? {} : { authenticator: nkeyAuthenticator(encoder.encode(config.nkeySeed)) }),
      ...(creds === undefined ? {} : { authenticator: credsAuthenticator(creds) }),
      ...(tls
        ? {
            tls: {
              ...(tls.ca ? { ca: String(tls.ca) } : {}),
              ...(tls.cert ? { cert: String(tls.cert) } : {}),
              ...(tls.key ? { key: String(tls.key) } : {}),
              // Passed through to tls.connect by the client.
              ...({ rejectUnauthorized: tls.rejectUnauthorized } as object),
            },
          }
        : {}),
    };
  }

  private subject(item: DeliveryItem): string {
    return this.config.subject.replaceAll("{bucket}", item.event.bucket).replaceAll("{eventName}", item.event.eventName);
  }

  private payload(item: DeliveryItem): Uint8Array {
    return encoder.encode(JSON.stringify(buildNotificationMessage([item])));
  }

  private headers(item: DeliveryItem) {
    const h = natsHeaders();
    h.set("Content-Type", "application/json");
    h.set("X-Herald-Event-Id", item.event.id);
    return h;
  }

  private withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    return withTimeout(promise, this.config.ackWaitMs, () => new Error(`nats: no answer to ${what} within ${this.config.ackWaitMs} ms`));
  }

  private describe(error: unknown, session?: Session): string {
    const code = (error as { code?: unknown } | undefined)?.code;
    const message = error instanceof Error ? error.message : String(error);
    const servers = this.config.servers.join(", ");
    if (code === "CONNECTION_REFUSED" || /ECONNREFUSED|CONNECTION_REFUSED/.test(message)) return `nats: cannot connect to ${servers} (ECONNREFUSED)`;
    if (code === "AUTHORIZATION_VIOLATION" || /authorization violation/i.test(message)) return `nats: bad credentials for ${servers} (Authorization Violation)`;
    if (code === "AUTHENTICATION_EXPIRED" || /authentication/i.test(message)) return `nats: authentication failed for ${servers}: ${message}`;
    if (code === "TIMEOUT" || code === "503") {
      if (session?.js) return `nats: no JetStream ack within ${this.config.ackWaitMs} ms (${message}); is a stream listening on the subject?`;
    }
    return message.startsWith("nats:") ? message : `nats: ${message}`;
  }
}

/** Lets what was published reach the server before the connection closes. */
async function drain(session: Session): Promise<void> {
  if (!session.closed) await session.nc.drain().catch(() => session.nc.close());
}

async function readCreds(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw new Error(`credsFile: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
