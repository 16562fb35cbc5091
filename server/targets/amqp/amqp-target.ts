import amqp, { type ChannelModel, type ConfirmChannel, type Message, type Options } from "amqplib";
import { DeliveryError } from "../delivery-error.ts";
import { LazyResource } from "../lazy-resource.ts";
import { buildNotificationMessage } from "../notification-payload.ts";
import { OutageLog } from "../outage-log.ts";
import type { DeliveryItem, HealthResult, SendResult, Target, TargetContext } from "../target.ts";
import { probeHealth } from "../target-health.ts";
import { TlsFileWatch, tlsConnectionOptions } from "../tls-file-watch.ts";
import { withTimeout } from "../with-timeout.ts";
import type { AmqpConfig } from "./amqp-config.ts";

interface Session {
  model: ChannelModel;
  channel: ConfirmChannel;
  /** Set when the connection or channel closed: the next use builds a new session. */
  dead: boolean;
}

/** Header that ties a returned (unroutable) message to the send that published it. */
const SEND_HEADER = "x-herald-send";

/**
 * Publishes to an AMQP 0-9-1 exchange on a confirm channel: a batch counts as
 * delivered only once the broker has confirmed every message in it.
 *
 * The connection is opened on first use and again on the first use after it
 * closed, so a restarted broker is picked up by the pipeline's next retry
 * without restarting Herald. Every failure is retryable except a 406
 * PRECONDITION_FAILED on the exchange declaration: the broker holds the
 * exchange with another type or durability, which no retry can change.
 * Mandatory messages the broker returns (no queue bound) fail the send
 * retryably: a missing binding is usually a consumer not deployed yet, and
 * the failure policy bounds how long Herald keeps trying.
 */
export class AmqpTarget implements Target {
  readonly type = "amqp";
  readonly arn: string;
  private readonly session: LazyResource<Session>;
  private readonly outage: OutageLog;
  private nextSend = 1;
  /** Sends waiting for confirms, by send number: the count of their messages the broker returned. */
  private readonly returned = new Map<number, { count: number; reason: string }>();
  private readonly tls: TlsFileWatch;
  private readonly url: URL;

  constructor(
    private readonly config: AmqpConfig,
    private readonly context: TargetContext,
  ) {
    this.arn = context.arn;
    this.url = new URL(config.url);
    this.tls = new TlsFileWatch(this.url.protocol === "amqps:" ? config.tls : undefined);
    this.outage = new OutageLog(context, "amqp target reconnected");
    this.session = new LazyResource(
      () => this.open(),
      (session) => this.shutdown(session),
      "amqp: target is closed",
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
      throw this.deliveryError(error);
    }
    const sendId = this.nextSend++;
    this.returned.set(sendId, { count: 0, reason: "" });
    try {
      const { channel } = session;
      const confirms = batch.map(
        (item) =>
          new Promise<void>((resolve, reject) => {
            channel.publish(this.config.exchange, this.routingKey(item), Buffer.from(JSON.stringify(buildNotificationMessage([item]))), this.properties(item, sendId), (error: unknown) =>
              error ? reject(error instanceof Error ? error : new Error(`amqp: the broker rejected (nacked) a message`)) : resolve(),
            );
          }),
      );
      await this.withTimeout(Promise.all(confirms), session);
      const returned = this.returned.get(sendId);
      if (returned && returned.count > 0) {
        throw new DeliveryError(
          `amqp: ${returned.count} of ${batch.length} message(s) were returned unroutable (${returned.reason}) by exchange ${JSON.stringify(this.config.exchange)}: no queue is bound for the routing key (mandatory)`,
          { retryable: true },
        );
      }
      return {};
    } catch (error) {
      throw this.deliveryError(error);
    } finally {
      this.returned.delete(sendId);
    }
  }

  async healthCheck(): Promise<HealthResult> {
    return probeHealth(
      async () => {
        const session = await this.connected();
        // A round trip on the channel proves the broker answers, not just that the socket is open.
        if (this.config.exchange !== "") await this.withTimeout(session.channel.checkExchange(this.config.exchange), session);
      },
      (error) => this.describe(error),
    );
  }

  async close(): Promise<void> {
    const session = await this.session.close();
    if (session) await this.shutdown(session);
  }

  /** The open session, opening one when there is none, it died, or the TLS files changed. */
  private async connected(): Promise<Session> {
    const current = this.session.current;
    if (current && (current.dead || (await this.tls.changed()))) {
      this.session.discard();
      void this.shutdown(current);
    }
    // Shared: concurrent sends wait for the same connection attempt.
    return this.session.get();
  }

  private async open(): Promise<Session> {
    const { config } = this;
    const url = this.url;
    const secure = url.protocol === "amqps:";
    const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const tls = secure ? tlsConnectionOptions(await this.tls.read(), hostname) : undefined;
    const password = config.password ?? (url.password === "" ? undefined : decodeURIComponent(url.password));
    const options: Options.Connect = {
      protocol: secure ? "amqps" : "amqp",
      hostname,
      port: url.port === "" ? (secure ? 5671 : 5672) : Number(url.port),
      ...(url.username === "" ? {} : { username: decodeURIComponent(url.username) }),
      ...(password === undefined ? {} : { password }),
      vhost: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : "/",
      heartbeat: config.heartbeatSeconds,
    };
    const model = await amqp.connect(options, { timeout: config.timeoutMs, ...tls });
    const session: Session = { model, channel: undefined as unknown as ConfirmChannel, dead: false };
    const onGone = (error?: Error) => {
      if (session.dead) return;
      session.dead = true;
      if (!this.session.isClosed) this.outage.failed(error, "amqp target connection lost; reconnecting on the next attempt");
    };
    // Without listeners an 'error' event would crash the process.
    model.on("error", onGone);
    model.on("close", onGone);
    try {
      const channel = await model.createConfirmChannel();
      session.channel = channel;
      channel.on("error", onGone);
      channel.on("close", onGone);
      channel.on("return", (message: Message) => this.onReturn(message));
      if (config.exchange !== "") {
        if (config.passive) await channel.checkExchange(config.exchange);
        else await channel.assertExchange(config.exchange, config.exchangeType, { durable: config.durable });
      }
    } catch (error) {
      session.dead = true;
      await model.close().catch(() => undefined);
      throw error;
    }
    this.outage.recovered();
    return session;
  }

  private onReturn(message: Message): void {
    const headers = message.properties.headers as Record<string, unknown> | undefined;
    const entry = this.returned.get(Number(headers?.[SEND_HEADER]));
    if (!entry) return;
    entry.count++;
    const fields = message.fields as { replyCode?: number; replyText?: string };
    entry.reason = `${fields.replyCode ?? 312} ${fields.replyText ?? "NO_ROUTE"}`;
  }

  private routingKey(item: DeliveryItem): string {
    const { event } = item;
    return this.config.routingKey.replaceAll("{bucket}", event.bucket).replaceAll("{eventName}", event.eventName).replaceAll("{key}", event.key);
  }

  private properties(item: DeliveryItem, sendId: number): Options.Publish {
    const { event } = item;
    return {
      contentType: "application/json",
      messageId: event.id,
      timestamp: Math.floor(event.eventTime / 1000),
      type: event.eventName,
      persistent: this.config.persistent,
      mandatory: this.config.mandatory,
      // bucket and eventName let a headers exchange route without parsing the body.
      headers: { [SEND_HEADER]: sendId, "x-herald-event-id": event.id, bucket: event.bucket, eventName: event.eventName },
    };
  }

  /** A broker that stops answering fails the send instead of holding it; the connection is then replaced. */
  private withTimeout<T>(promise: Promise<T>, session: Session): Promise<T> {
    return withTimeout(promise, this.config.timeoutMs, () => {
      session.dead = true;
      void this.shutdown(session);
      return new Error(`amqp: no answer from the broker within ${this.config.timeoutMs} ms`);
    });
  }

  private async shutdown(session: Session): Promise<void> {
    session.dead = true;
    await session.model.close().catch(() => undefined);
  }

  private deliveryError(error: unknown): DeliveryError {
    if (error instanceof DeliveryError) return error;
    const message = this.describe(error);
    // The exchange exists with another type or durability: the config contradicts the broker.
    const retryable = !/PRECONDITION_FAILED|PRECONDITION-FAILED/.test(message) || !/exchange/i.test(message);
    return new DeliveryError(message, { retryable, cause: error });
  }

  private describe(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const where = `${this.url.hostname}:${this.url.port || (this.url.protocol === "amqps:" ? 5671 : 5672)}`;
    if (/ACCESS.REFUSED/i.test(message)) return `amqp: bad credentials for ${where} (ACCESS_REFUSED): ${message}`;
    if (/ECONNREFUSED/.test(message)) return `amqp: cannot connect to ${where} (ECONNREFUSED): ${message}`;
    return message.startsWith("amqp:") ? message : `amqp: ${message}`;
  }
}
