import { randomBytes } from "node:crypto";
import mqtt, { type IClientOptions, type MqttClient } from "mqtt";
import { DeliveryError } from "../delivery-error.ts";
import { LazyResource } from "../lazy-resource.ts";
import { buildNotificationMessage } from "../notification-payload.ts";
import type { DeliveryItem, HealthResult, SendResult, Target, TargetContext } from "../target.ts";
import { probeHealth } from "../target-health.ts";
import { TlsFileWatch, tlsConnectionOptions } from "../tls-file-watch.ts";
import { withTimeout } from "../with-timeout.ts";
import type { MqttConfig } from "./mqtt-config.ts";

interface Session {
  client: MqttClient;
  lastError: string | undefined;
  closed: boolean;
}

const RECONNECT_PERIOD_MS = 1_000;

/**
 * Publishes to an MQTT v5 broker. With QoS 1 a batch counts only when the
 * broker has sent a PUBACK for every message; with QoS 0, when it was
 * written to the socket.
 *
 * Sessions are clean: a reconnect starts afresh, and anything the broker had
 * not acknowledged is sent again by the pipeline's retry. While the client is
 * reconnecting (by itself, once connected), sends fail at once instead of
 * piling up in its offline queue. A first connection that fails is tried
 * again on the next use. Every failure is retryable: a refused login is fixed
 * on the broker, and the failure policy bounds the retries.
 */
export class MqttTarget implements Target {
  readonly type = "mqtt";
  readonly arn: string;
  private readonly session: LazyResource<Session>;
  private down = false;
  private readonly tls: TlsFileWatch;
  private readonly url: URL;

  constructor(
    private readonly config: MqttConfig,
    private readonly context: TargetContext,
  ) {
    this.arn = context.arn;
    this.url = new URL(config.url);
    this.tls = new TlsFileWatch(isSecure(this.url) ? config.tls : undefined);
    this.session = new LazyResource(
      () => this.open(),
      (session) => this.end(session),
      "mqtt: target is closed",
    );
  }

  async init(): Promise<void> {
    await this.connected();
  }

  async send(batch: readonly DeliveryItem[]): Promise<SendResult> {
    if (batch.length === 0) return {};
    try {
      const { client } = await this.connected();
      const { qos, retain } = this.config;
      await this.withTimeout(
        Promise.all(
          batch.map((item) =>
            client.publishAsync(this.topic(item), JSON.stringify(buildNotificationMessage([item])), {
              qos,
              retain,
              properties: { contentType: "application/json", userProperties: { "x-herald-event-id": item.event.id } },
            }),
          ),
        ),
      );
      return {};
    } catch (error) {
      throw new DeliveryError(this.describe(error), { retryable: true, cause: error });
    }
  }

  async healthCheck(): Promise<HealthResult> {
    return probeHealth(
      async () => {
        await this.connected();
      },
      (error) => this.describe(error),
    );
  }

  async close(): Promise<void> {
    const session = await this.session.close();
    if (session) await this.end(session);
  }

  private async connected(): Promise<Session> {
    const current = this.session.current;
    if (current && (current.closed || (await this.tls.changed()))) {
      this.session.discard();
      void this.end(current);
    } else if (current && !current.client.connected) {
      // The client reconnects by itself: fail fast meanwhile rather than pile up in its offline queue.
      throw new Error(`mqtt: disconnected, reconnecting${current.lastError ? ` (${current.lastError})` : ""}`);
    }
    return this.session.get();
  }

  private async open(): Promise<Session> {
    const client = mqtt.connect(this.config.url, await this.clientOptions());
    const session: Session = { client, lastError: undefined, closed: false };
    client.on("error", (error) => {
      session.lastError = error.message;
    });
    client.on("offline", () => {
      if (!this.down && !this.session.isClosed) this.context.logger.warn({ target: this.arn, err: session.lastError }, "mqtt target disconnected; reconnecting in the background");
      this.down = true;
    });
    client.on("connect", () => {
      if (this.down) this.context.logger.info({ target: this.arn }, "mqtt target reconnected");
      this.down = false;
      session.lastError = undefined;
    });
    try {
      // The first connection decides: an unreachable broker or a refused login fails init and the send.
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no CONNACK within ${this.config.timeoutMs} ms`)), this.config.timeoutMs);
        const onConnect = () => done();
        const onError = (error: Error) => done(error);
        const onClose = () => setImmediate(() => done(new Error(session.lastError ?? "connection closed")));
        function done(error?: Error) {
          clearTimeout(timer);
          client.off("connect", onConnect).off("error", onError).off("close", onClose);
          if (error) reject(error);
          else resolve();
        }
        client.once("connect", onConnect).once("error", onError).once("close", onClose);
      });
    } catch (error) {
      await this.end(session);
      throw error;
    }
    return session;
  }

  private async clientOptions(): Promise<IClientOptions> {
    const { config, url } = this;
    const tls = isSecure(url) ? tlsConnectionOptions(await this.tls.read(), url.hostname) : undefined;
    return {
      protocolVersion: 5,
      clean: true,
      clientId: config.clientId ?? `herald-${randomBytes(6).toString("hex")}`,
      connectTimeout: config.timeoutMs,
      reconnectPeriod: RECONNECT_PERIOD_MS,
      // Fail fast while offline: the pipeline retries, and the queue stays in Herald's store.
      queueQoSZero: false,
      ...(config.username === undefined ? {} : { username: config.username }),
      ...(config.password === undefined ? {} : { password: config.password }),
      ...tls,
    } as IClientOptions;
  }

  private topic(item: DeliveryItem): string {
    return this.config.topic.replaceAll("{bucket}", item.event.bucket).replaceAll("{eventName}", item.event.eventName);
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    return withTimeout(promise, this.config.timeoutMs, () => new Error(`mqtt: no PUBACK within ${this.config.timeoutMs} ms`));
  }

  private async end(session: Session): Promise<void> {
    session.closed = true;
    await session.client.endAsync(true).catch(() => undefined);
  }

  private describe(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const where = `${this.url.hostname}:${this.url.port || defaultPort(this.url)}`;
    if (/ECONNREFUSED/.test(message)) return `mqtt: cannot connect to ${where} (ECONNREFUSED): ${message}`;
    if (/not authori[sz]ed|bad user ?name or password/i.test(message)) return `mqtt: bad credentials for ${where}: ${message}`;
    return message.startsWith("mqtt:") ? message : `mqtt: ${message}`;
  }
}

function isSecure(url: URL): boolean {
  return ["mqtts:", "tls:", "wss:"].includes(url.protocol);
}

function defaultPort(url: URL): number {
  return { "mqtts:": 8883, "tls:": 8883, "ws:": 80, "wss:": 443 }[url.protocol] ?? 1883;
}
