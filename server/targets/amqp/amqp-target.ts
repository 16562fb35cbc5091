import amqp, { type ChannelModel, type ConfirmChannel, type Message, type Options } from "amqplib";
import { DeliveryError } from "../delivery-error.ts";
import { buildNotificationMessage } from "../notification-payload.ts";
import type { DeliveryItem, HealthResult, SendResult, Target, TargetContext } from "../target.ts";
import { readTlsMaterial, TlsRotationCheck } from "../tls-material.ts";
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
  private session: Promise<Session> | undefined;
  private closed = false;
  private down = false;
  private nextSend = 1;
  /** Sends waiting for confirms, by send number: the count of their messages the broker returned. */
  private readonly returned = new Map<number, { count: number; reason: string }>();
  private readonly tls: TlsRotationCheck;
  private readonly url: URL;

  constructor(
    private readonly config: AmqpConfig,
    private readonly context: TargetContext,
  ) {
    this.arn = context.arn;
    this.url = new URL(config.url);
    this.tls = new TlsRotationCheck(this.url.protocol === "amqps:" ? config.tls : undefined);
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
    const started = performance.now();
    const result = (ok: boolean, error?: string): HealthResult => ({
      ok,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      ...(error === undefined ? {} : { error }),
      checkedAt: Date.now(),
    });
    try {
      const session = await this.connected();
      // A round trip on the channel proves the broker answers, not just that the socket is open.
      if (this.config.exchange !== "") await this.withTimeout(session.channel.checkExchange(this.config.exchange), session);
      return result(true);
    } catch (error) {
      return result(false, this.describe(error));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const session = await this.session?.catch(() => undefined);
    this.session = undefined;
    if (session) await this.shutdown(session);
  }

  /** The open session, opening one when there is none, it died, or the TLS files changed. */
  private async connected(): Promise<Session> {
    if (this.closed) throw new Error("amqp: target is closed");
    const current = this.session ? await this.session.catch(() => undefined) : undefined;
    if (current && !current.dead && !(await this.tls.changed())) return current;
    if (current) {
      current.dead = true;
      void this.shutdown(current);
      this.session = undefined;
    }
    // Shared: concurrent sends wait for the same connection attempt.
    this.session ??= this.open().catch((error: unknown) => {
      this.session = undefined;
      throw error;
    });
    return this.session;
  }

  private async open(): Promise<Session> {
    const { config } = this;
    const url = this.url;
    const secure = url.protocol === "amqps:";
    const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const tls = secure ? await readTlsMaterial(config.tls, hostname) : undefined;
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
    const model = await amqp.connect(options, { timeout: config.timeoutMs, ...tls?.options });
    if (tls) this.tls.usedFingerprint(tls.fingerprint);
    const session: Session = { model, channel: undefined as unknown as ConfirmChannel, dead: false };
    const onGone = (error?: Error) => {
      if (session.dead) return;
      session.dead = true;
      if (!this.closed && !this.down) {
        this.down = true;
        this.context.logger.warn({ target: this.arn, err: error }, "amqp target connection lost; reconnecting on the next attempt");
      }
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
    if (this.down) this.context.logger.info({ target: this.arn }, "amqp target reconnected");
    this.down = false;
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
  private async withTimeout<T>(promise: Promise<T>, session: Session): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        session.dead = true;
        void this.shutdown(session);
        reject(new Error(`amqp: no answer from the broker within ${this.config.timeoutMs} ms`));
      }, this.config.timeoutMs);
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
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
