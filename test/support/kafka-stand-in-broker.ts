import net from "node:net";
import tls from "node:tls";
import { decodeRecordBatches, RecordBatchError, type CompressionName } from "./kafka-record-batch.ts";
import { SaslServerSession, type StandInSaslConfig } from "./kafka-stand-in-sasl.ts";
import { WireReader, WireWriter } from "./kafka-wire.ts";

/*
 * A single-node Kafka broker for tests, speaking the real wire protocol so
 * the real kafkajs client can be pointed at it (no Kafka broker is installed
 * on this machine). It implements what a producer and a metadata-reading
 * admin use, in non-flexible versions only, which kafkajs 2 negotiates down
 * to: ApiVersions v0-2, Metadata v0-5, Produce v3-7 (record batch v2, none or
 * gzip), SaslHandshake v0-1 and SaslAuthenticate v0-1 (PLAIN, SCRAM-SHA-256/512),
 * over plain TCP or TLS (optionally requiring a client certificate).
 * It keeps an in-memory log per partition, records every record it accepts
 * for assertions, and survives stop()/restart() on the same port with its
 * log intact, as a broker with a disk would.
 */

export const API = { Produce: 0, Metadata: 3, SaslHandshake: 17, ApiVersions: 18, SaslAuthenticate: 36 } as const;

const SUPPORTED: Record<number, [min: number, max: number]> = {
  [API.Produce]: [3, 7],
  [API.Metadata]: [0, 5],
  [API.SaslHandshake]: [0, 1],
  [API.ApiVersions]: [0, 2],
  [API.SaslAuthenticate]: [0, 1],
};

export const ERROR = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  NOT_LEADER_FOR_PARTITION: 6,
  MESSAGE_TOO_LARGE: 10,
  INVALID_REQUIRED_ACKS: 21,
  TOPIC_AUTHORIZATION_FAILED: 29,
  UNSUPPORTED_SASL_MECHANISM: 33,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  SASL_AUTHENTICATION_FAILED: 58,
} as const;

export interface ReceivedKafkaRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  timestamp: number;
  compression: CompressionName;
  /** Which record batch (in arrival order, across the broker) carried it. */
  batch: number;
  /** The acks of the Produce request that carried it. */
  acks: number;
}

export interface StandInBrokerOptions {
  port?: number;
  /** Topic name → partition count. */
  topics?: Record<string, number>;
  sasl?: StandInSaslConfig;
  /** Largest record batch accepted; larger ones get MESSAGE_TOO_LARGE. */
  maxBatchBytes?: number;
  tls?: StandInTls;
}

export interface StandInTls {
  key: string | Buffer;
  cert: string | Buffer;
  /** CA for client certificates; with requireClientCert, connections without one signed by it are refused. */
  ca?: string | Buffer;
  requireClientCert?: boolean;
}

interface Connection {
  socket: net.Socket;
  pending: Buffer;
  authenticated: boolean;
  sasl: SaslServerSession | undefined;
}

export class KafkaStandInBroker {
  readonly records: ReceivedKafkaRecord[] = [];
  /** Every request, by API name and version, in arrival order. */
  readonly requests: { apiKey: number; apiVersion: number; clientId: string | null }[] = [];
  private readonly logs = new Map<string, number>();
  private readonly topics = new Map<string, number>();
  private readonly injected: number[] = [];
  private server: net.Server | undefined;
  private readonly connections = new Set<Connection>();
  private batchCount = 0;
  private tls: StandInTls | undefined;
  /** SHA-256 fingerprint of each verified client certificate, one per TLS connection. */
  readonly clientCertificates: string[] = [];
  port = 0;

  private constructor(private readonly options: StandInBrokerOptions) {
    for (const [topic, partitions] of Object.entries(options.topics ?? {})) this.topics.set(topic, partitions);
    this.tls = options.tls;
  }

  static async start(options: StandInBrokerOptions = {}): Promise<KafkaStandInBroker> {
    const broker = new KafkaStandInBroker(options);
    broker.port = options.port ?? 0;
    await broker.listen();
    return broker;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Records of `topic` in log order per partition (by offset), ready for assertions. */
  recordsOf(topic: string): ReceivedKafkaRecord[] {
    return this.records.filter((r) => r.topic === topic);
  }

  /** The next `times` partition writes are refused with `errorCode` (nothing appended). */
  failProduce(errorCode: number, times = 1): void {
    for (let i = 0; i < times; i++) this.injected.push(errorCode);
  }

  /** Closes the port and every connection, as a crashed or stopped broker would. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const connection of this.connections) connection.socket.destroy();
    this.connections.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port; the log and the records are kept. A new `tls` replaces the certificate (rotation). */
  async restart(options: { tls?: StandInTls } = {}): Promise<void> {
    if (this.server) return;
    if (options.tls) this.tls = options.tls;
    await this.listen();
  }

  private listen(): Promise<void> {
    const settings = this.tls;
    const server = settings
      ? tls.createServer(
          { key: settings.key, cert: settings.cert, ...(settings.ca ? { ca: settings.ca } : {}), requestCert: settings.requireClientCert ?? false, rejectUnauthorized: settings.requireClientCert ?? false },
          (socket) => {
            const fingerprint = socket.getPeerCertificate().fingerprint256;
            if (typeof fingerprint === "string") this.clientCertificates.push(fingerprint);
            this.accept(socket);
          },
        )
      : net.createServer((socket) => this.accept(socket));
    // A failed TLS handshake is the client's problem to report; the broker carries on.
    server.on("tlsClientError", () => undefined);
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => {
        server.off("error", reject);
        const address = server.address();
        this.port = typeof address === "object" && address ? address.port : this.port;
        this.server = server;
        resolve();
      });
    });
  }

  private accept(socket: net.Socket): void {
    const connection: Connection = { socket, pending: Buffer.alloc(0), authenticated: this.options.sasl === undefined, sasl: undefined };
    this.connections.add(connection);
    socket.on("error", () => undefined);
    socket.on("close", () => this.connections.delete(connection));
    socket.on("data", (chunk: Buffer) => {
      connection.pending = Buffer.concat([connection.pending, chunk]);
      while (connection.pending.length >= 4) {
        const size = connection.pending.readInt32BE(0);
        if (connection.pending.length < 4 + size) break;
        const frame = connection.pending.subarray(4, 4 + size);
        connection.pending = connection.pending.subarray(4 + size);
        try {
          this.handle(connection, frame);
        } catch (error) {
          // A request the stand-in cannot parse: drop the connection, as a broker does.
          socket.destroy(error instanceof Error ? error : new Error(String(error)));
          return;
        }
      }
    });
  }

  private handle(connection: Connection, frame: Buffer): void {
    const reader = new WireReader(frame);
    // Request header v1: kafkajs never sends the flexible v2 header since it never uses flexible versions.
    const apiKey = reader.int16();
    const apiVersion = reader.int16();
    const correlationId = reader.int32();
    const clientId = reader.string();
    this.requests.push({ apiKey, apiVersion, clientId });
    const reply = (body: WireWriter) => {
      const payload = Buffer.concat([new WireWriter().int32(correlationId).toBuffer(), body.toBuffer()]);
      connection.socket.write(Buffer.concat([new WireWriter().int32(payload.length).toBuffer(), payload]));
    };

    const range = SUPPORTED[apiKey];
    if (apiKey === API.ApiVersions) {
      // An unsupported ApiVersions version is answered in v0 form, so the client can read the error and step down.
      const unsupported = range === undefined || apiVersion > range[1];
      reply(this.apiVersions(unsupported ? 0 : apiVersion, unsupported ? ERROR.UNSUPPORTED_VERSION : ERROR.NONE));
      return;
    }
    if (range === undefined || apiVersion < range[0] || apiVersion > range[1]) throw new Error(`unsupported API ${apiKey} v${apiVersion}`);
    if (!connection.authenticated && apiKey !== API.SaslHandshake && apiKey !== API.SaslAuthenticate) {
      throw new Error(`API ${apiKey} before SASL authentication`);
    }
    switch (apiKey) {
      case API.Metadata:
        reply(this.metadata(reader, apiVersion));
        return;
      case API.Produce: {
        const response = this.produce(reader, apiVersion);
        if (response) reply(response);
        return;
      }
      case API.SaslHandshake:
        reply(this.saslHandshake(connection, reader));
        return;
      case API.SaslAuthenticate: {
        const { body, failed } = this.saslAuthenticate(connection, reader, apiVersion);
        reply(body);
        // A broker closes the connection after a failed authentication.
        if (failed) connection.socket.end();
        return;
      }
    }
  }

  private apiVersions(version: number, errorCode: number): WireWriter {
    const w = new WireWriter().int16(errorCode);
    w.array(Object.entries(SUPPORTED), (out, [key, [min, max]]) => out.int16(Number(key)).int16(min).int16(max));
    if (version >= 1) w.int32(0); // throttle_time_ms
    return w;
  }

  private metadata(reader: WireReader, version: number): WireWriter {
    const requested = reader.array((r) => r.string() ?? "");
    const names = requested === null || requested.length === 0 ? [...this.topics.keys()] : requested;
    const w = new WireWriter();
    if (version >= 3) w.int32(0);
    w.array([1], (out) => {
      out.int32(1).string("127.0.0.1").int32(this.port);
      if (version >= 1) out.string(null); // rack
    });
    if (version >= 2) w.string("herald-stand-in");
    if (version >= 1) w.int32(1); // controller
    w.array(names, (out, topic) => {
      const partitions = this.topics.get(topic);
      out.int16(partitions === undefined ? ERROR.UNKNOWN_TOPIC_OR_PARTITION : ERROR.NONE).string(topic);
      if (version >= 1) out.boolean(false);
      out.array(Array.from({ length: partitions ?? 0 }, (_, i) => i), (p, partition) => {
        p.int16(ERROR.NONE).int32(partition).int32(1);
        p.array([1], (x) => x.int32(1)); // replicas
        p.array([1], (x) => x.int32(1)); // isr
        if (version >= 5) p.array([], () => undefined); // offline replicas
      });
    });
    return w;
  }

  /** Appends what it can and answers per partition; acks=0 gets no response at all, as on a broker. */
  private produce(reader: WireReader, version: number): WireWriter | undefined {
    reader.string(); // transactional_id
    const acks = reader.int16();
    reader.int32(); // timeout
    const topics =
      reader.array((r) => ({
        topic: r.string() ?? "",
        partitions: r.array((p) => ({ partition: p.int32(), records: p.bytes() ?? Buffer.alloc(0) })) ?? [],
      })) ?? [];
    const results = topics.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map(({ partition, records }) => ({ partition, ...this.append(topic, partition, records, acks) })),
    }));
    if (acks === 0) return undefined;
    const w = new WireWriter();
    w.array(results, (out, { topic, partitions }) => {
      out.string(topic);
      out.array(partitions, (p, r) => {
        p.int32(r.partition).int16(r.errorCode).int64(r.baseOffset).int64(-1);
        if (version >= 5) p.int64(0); // log_start_offset
      });
    });
    w.int32(0);
    return w;
  }

  private append(topic: string, partition: number, records: Buffer, acks: number): { errorCode: number; baseOffset: number } {
    const failed = { baseOffset: -1 };
    if (acks !== 0 && acks !== 1 && acks !== -1) return { errorCode: ERROR.INVALID_REQUIRED_ACKS, ...failed };
    const partitions = this.topics.get(topic);
    if (partitions === undefined || partition < 0 || partition >= partitions) return { errorCode: ERROR.UNKNOWN_TOPIC_OR_PARTITION, ...failed };
    const injected = this.injected.shift();
    if (injected !== undefined) return { errorCode: injected, ...failed };
    if (this.options.maxBatchBytes !== undefined && records.length > this.options.maxBatchBytes) return { errorCode: ERROR.MESSAGE_TOO_LARGE, ...failed };
    let batches;
    try {
      batches = decodeRecordBatches(records);
    } catch (error) {
      if (error instanceof RecordBatchError) return { errorCode: error.errorCode, ...failed };
      throw error;
    }
    const logKey = `${topic}/${partition}`;
    const baseOffset = this.logs.get(logKey) ?? 0;
    let next = baseOffset;
    for (const batch of batches) {
      const batchNo = ++this.batchCount;
      for (const record of batch.records) {
        this.records.push({
          topic,
          partition,
          offset: next++,
          key: record.key?.toString("utf8") ?? null,
          value: record.value?.toString("utf8") ?? null,
          headers: Object.fromEntries(record.headers.map((h) => [h.key, h.value?.toString("utf8") ?? ""])),
          timestamp: record.timestamp,
          compression: batch.compression,
          batch: batchNo,
          acks,
        });
      }
    }
    this.logs.set(logKey, next);
    return { errorCode: ERROR.NONE, baseOffset };
  }

  private saslHandshake(connection: Connection, reader: WireReader): WireWriter {
    const mechanism = reader.string() ?? "";
    const enabled = this.options.sasl ? [this.options.sasl.mechanism] : [];
    const ok = this.options.sasl !== undefined && mechanism.toUpperCase() === this.options.sasl.mechanism;
    connection.sasl = ok && this.options.sasl ? new SaslServerSession(this.options.sasl) : undefined;
    return new WireWriter().int16(ok ? ERROR.NONE : ERROR.UNSUPPORTED_SASL_MECHANISM).array(enabled, (w, m) => w.string(m));
  }

  private saslAuthenticate(connection: Connection, reader: WireReader, version: number): { body: WireWriter; failed: boolean } {
    const bytes = reader.bytes() ?? Buffer.alloc(0);
    const w = new WireWriter();
    const session = connection.sasl;
    if (session === undefined) {
      w.int16(ERROR.ILLEGAL_SASL_STATE).string("SaslAuthenticate before SaslHandshake").bytes(Buffer.alloc(0));
      if (version >= 1) w.int64(0);
      return { body: w, failed: true };
    }
    const step = session.step(bytes);
    const failed = step.outcome?.ok === false;
    if (step.outcome?.ok) connection.authenticated = true;
    w.int16(failed ? ERROR.SASL_AUTHENTICATION_FAILED : ERROR.NONE).string(step.outcome?.ok === false ? step.outcome.error : null).bytes(step.reply);
    if (version >= 1) w.int64(0); // session_lifetime_ms: no re-authentication
    return { body: w, failed };
  }
}
