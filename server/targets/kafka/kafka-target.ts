import { CompressionTypes, Kafka, logLevel, Partitioners, type Admin, type IHeaders, type Message, type Producer, type SASLOptions } from "kafkajs";
import type { ConnectionOptions } from "node:tls";
import { DeliveryError } from "../delivery-error.ts";
import { LazyResource } from "../lazy-resource.ts";
import { buildNotificationMessage } from "../notification-payload.ts";
import { OutageLog } from "../outage-log.ts";
import type { DeliveryItem, HealthResult, SendResult, Target, TargetContext } from "../target.ts";
import { probeHealth } from "../target-health.ts";
import { TlsFileWatch, tlsConnectionOptions } from "../tls-file-watch.ts";
import { withTimeout } from "../with-timeout.ts";
import type { KafkaAcks, KafkaCompression, KafkaConfig } from "./kafka-config.ts";
import { describeKafkaError } from "./kafka-errors.ts";

interface Session {
  kafka: Kafka;
  producer: Producer;
  admin: Admin | undefined;
  /** Set after a connection-type failure: the next use builds a new session rather than trust this one. */
  broken: boolean;
}

const ACKS: Record<KafkaAcks, -1 | 0 | 1> = { all: -1, "1": 1, "0": 0 };
const COMPRESSION: Record<KafkaCompression, CompressionTypes> = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP };

/**
 * kafkajs retries once, quickly, so a leader move (refresh metadata, send
 * again) is absorbed here; anything longer is the pipeline's retry and
 * backoff, which the operator configures and sees in the target's stats.
 */
export const KAFKA_CLIENT_RETRY = { retries: 1, initialRetryTime: 100, maxRetryTime: 1_000 } as const;

/**
 * Produces each batch to one topic with one producer.send. Records are keyed
 * `bucket/key`, so one object's events land in one partition in order; the
 * value is the MinIO-style notification JSON for that one event.
 *
 * Not idempotent: kafkajs's idempotent producer needs acks=all and one
 * request in flight, and its sequence numbers do not survive a pipeline
 * retry (a new send), so it would not stop the duplicates that matter here.
 * Receivers de-duplicate by event id (the record's ce_id header or
 * x-herald-event-id), as for every other target.
 *
 * A producer whose connection failed, or whose TLS files changed on disk, is
 * thrown away and a new one built on the next use, so a broker that comes
 * back, or a rotated certificate, needs no Herald restart.
 */
export class KafkaTarget implements Target {
  readonly type = "kafka";
  readonly arn: string;
  private readonly session: LazyResource<Session>;
  private readonly outage: OutageLog;
  private readonly tls: TlsFileWatch;

  constructor(
    private readonly config: KafkaConfig,
    private readonly context: TargetContext,
  ) {
    this.arn = context.arn;
    this.tls = new TlsFileWatch(config.tls);
    this.outage = new OutageLog(context, "kafka target reconnected");
    this.session = new LazyResource(
      () => this.open(),
      (session) => this.dispose(session),
    );
  }

  async init(): Promise<void> {
    try {
      await this.connected();
    } catch (error) {
      throw new Error(this.failed(error).message, { cause: error });
    }
  }

  async send(batch: readonly DeliveryItem[]): Promise<SendResult> {
    if (batch.length === 0) return {};
    let session: Session;
    try {
      session = await this.connected();
    } catch (error) {
      const failure = this.failed(error);
      throw new DeliveryError(failure.message, { retryable: failure.retryable, cause: error });
    }
    try {
      await session.producer.send({
        topic: this.config.topic,
        acks: ACKS[this.config.acks],
        timeout: this.config.timeoutMs,
        compression: COMPRESSION[this.config.compression],
        messages: batch.map((item) => this.message(item)),
      });
    } catch (error) {
      const failure = this.failed(error, session);
      throw new DeliveryError(failure.message, { retryable: failure.retryable, cause: error });
    }
    this.outage.recovered();
    return {};
  }

  async healthCheck(): Promise<HealthResult> {
    let session: Session | undefined;
    return probeHealth(
      async () => {
        session = await this.connected();
        // The topic's metadata: the broker answers, accepts our credentials, and has the topic with leaders.
        const current = session;
        await this.withTimeout(
          (async () => {
            current.admin ??= current.kafka.admin({ retry: { retries: 0 } });
            await current.admin.connect();
            await current.admin.fetchTopicMetadata({ topics: [this.config.topic] });
          })(),
          "metadata request",
        );
        this.outage.recovered();
      },
      (error) => this.failed(error, session).message,
    );
  }

  async close(): Promise<void> {
    const session = await this.session.close();
    if (session) await this.dispose(session);
  }

  private message(item: DeliveryItem): Message {
    const { event } = item;
    // No record timestamp: the broker's send time keeps retention and timestamp checks sane for replayed old events; ce_time has the event time.
    return {
      key: `${event.bucket}/${event.key}`,
      value: JSON.stringify(buildNotificationMessage([item])),
      ...(this.config.cloudEvents ? { headers: this.cloudEventHeaders(item) } : {}),
    };
  }

  /** CloudEvents Kafka protocol binding, binary mode: attributes as ce_ headers, the data as the value. */
  private cloudEventHeaders(item: DeliveryItem): IHeaders {
    const { event } = item;
    return {
      ce_specversion: "1.0",
      ce_id: event.id,
      ce_type: event.eventName,
      ce_source: this.config.cloudEventsSource ?? `herald:${event.bucket}`,
      ce_subject: event.key,
      ce_time: new Date(event.eventTime).toISOString(),
      "content-type": "application/json",
    };
  }

  private async connected(): Promise<Session> {
    const current = this.session.current;
    if (current && (current.broken || (await this.tls.changed()))) {
      if (!current.broken) this.context.logger.info({ target: this.arn }, "kafka target TLS files changed; reconnecting with the new material");
      this.session.discard();
      void this.dispose(current);
    }
    return this.session.get();
  }

  private async open(): Promise<Session> {
    const { config } = this;
    let ssl: ConnectionOptions | false = false;
    if (config.tls) {
      // No fixed servername (host ""): Node then checks each broker's certificate against that broker's own host name.
      ssl = tlsConnectionOptions(await this.tls.read(), "");
    }
    const kafka = new Kafka({
      clientId: config.clientId,
      brokers: config.brokers,
      ssl,
      ...(config.saslMechanism === "none" ? {} : { sasl: this.sasl() }),
      connectionTimeout: config.timeoutMs,
      authenticationTimeout: config.timeoutMs,
      requestTimeout: config.timeoutMs,
      retry: KAFKA_CLIENT_RETRY,
      logLevel: logLevel.WARN,
      // kafkajs logs every failed attempt as an error; the target reports its state itself, so these are debug detail.
      logCreator: () => (entry) => this.context.logger.debug({ target: this.arn, kafkajs: entry.namespace, ...entry.log }, entry.log.message),
    });
    const producer = kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: KAFKA_CLIENT_RETRY,
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    return { kafka, producer, admin: undefined, broken: false };
  }

  private sasl(): SASLOptions {
    const username = this.config.username ?? "";
    const password = this.config.password ?? "";
    switch (this.config.saslMechanism) {
      case "scram-sha-256":
        return { mechanism: "scram-sha-256", username, password };
      case "scram-sha-512":
        return { mechanism: "scram-sha-512", username, password };
      default:
        return { mechanism: "plain", username, password };
    }
  }

  private async dispose(session: Session): Promise<void> {
    await Promise.all([session.producer.disconnect().catch(() => undefined), session.admin?.disconnect().catch(() => undefined)]);
  }

  /** Describes the failure, marks a suspect session for rebuilding and logs the first of a run of failures. */
  private failed(error: unknown, session?: Session) {
    const failure = describeKafkaError(error, this.config.topic);
    if (session && failure.connectionLost) session.broken = true;
    if (failure.connectionLost) this.outage.failed(error, `kafka target unavailable: ${failure.message}`);
    return failure;
  }

  private withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    return withTimeout(promise, this.config.timeoutMs, () => new Error(`${what} timed out after ${this.config.timeoutMs} ms`));
  }
}
