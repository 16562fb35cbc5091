// Tests for the Kafka stand-in broker itself. No Kafka broker is installed on
// this machine; the Kafka target's tests rely on this stand-in, so its codec
// is checked here against kafkajs's own encoder and against the real client.
import { createRequire } from "node:module";
import { CompressionCodecs, CompressionTypes, Kafka, logLevel } from "kafkajs";
import { afterEach, describe, expect, it } from "vitest";
import { CORRUPT_MESSAGE, decodeRecordBatches, RecordBatchError, UNSUPPORTED_COMPRESSION_TYPE } from "./kafka-record-batch.ts";
import { ERROR, KafkaStandInBroker, type StandInBrokerOptions } from "./kafka-stand-in-broker.ts";
import { crc32c, WireReader, WireWriter } from "./kafka-wire.ts";

// kafkajs's internal encoders (CommonJS, not part of its typed API): the decoder must read what the client writes.
const require = createRequire(import.meta.url);
type Encoded = { buffer: Buffer };
const { RecordBatch } = require("kafkajs/src/protocol/recordBatch/v0") as {
  RecordBatch: (args: { compression?: number; records: unknown[]; firstTimestamp: number; maxTimestamp: number; lastOffsetDelta: number }) => Promise<Encoded>;
};
const Record = require("kafkajs/src/protocol/recordBatch/record/v0") as (args: {
  offsetDelta: number;
  timestampDelta: number;
  key: string | null;
  value: string | null;
  headers?: Record<string, string>;
}) => unknown;

async function kafkajsBatch(compression: number): Promise<Buffer> {
  const records = [
    Record({ offsetDelta: 0, timestampDelta: 0, key: "photos/a.jpg", value: '{"n":1}', headers: { ce_id: "e1", empty: "" } }),
    Record({ offsetDelta: 1, timestampDelta: 250, key: null, value: "x".repeat(300) }),
  ];
  const batch = await RecordBatch({ compression, records, firstTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_250, lastOffsetDelta: 1 });
  return batch.buffer;
}

const brokers: KafkaStandInBroker[] = [];
async function startBroker(options: StandInBrokerOptions): Promise<KafkaStandInBroker> {
  const broker = await KafkaStandInBroker.start(options);
  brokers.push(broker);
  return broker;
}

afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
});

describe("kafka wire codec", () => {
  it("computes CRC-32C (Castagnoli), not zlib's CRC-32", () => {
    // The check value from the CRC catalogue for CRC-32C.
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it("round-trips zigzag varints and length-prefixed fields", () => {
    const values = [0, -1, 1, 63, -64, 64, 300, -300, 2 ** 31, -(2 ** 40)];
    const w = new WireWriter();
    for (const v of values) w.varlong(v);
    w.string("héllo").string(null).bytes(Buffer.from([1, 2])).varBytes(null).int64(-5n);
    const r = new WireReader(w.toBuffer());
    expect(values.map(() => r.varint())).toEqual(values);
    expect([r.string(), r.string(), r.bytes(), r.varBytes(), r.int64()]).toEqual(["héllo", null, Buffer.from([1, 2]), null, -5n]);
    expect(r.remaining).toBe(0);
    // One byte for -1 (zigzag 1), two for 64 (zigzag 128): what Kafka's varint encoding requires.
    expect(new WireWriter().varlong(-1).toBuffer()).toEqual(Buffer.from([0x01]));
    expect(new WireWriter().varlong(64).toBuffer()).toEqual(Buffer.from([0x80, 0x01]));
  });
});

describe("record batch decoding", () => {
  it.each([
    ["none", CompressionTypes.None],
    ["gzip", CompressionTypes.GZIP],
  ])("reads a %s batch written by kafkajs's encoder", async (name, codec) => {
    const [batch, ...rest] = decodeRecordBatches(await kafkajsBatch(codec));
    expect(rest).toEqual([]);
    expect(batch?.compression).toBe(name);
    expect(batch?.magic).toBe(2);
    expect(batch?.records.map((r) => [r.offsetDelta, r.timestamp, r.key?.toString() ?? null, r.value?.toString()])).toEqual([
      [0, 1_700_000_000_000, "photos/a.jpg", '{"n":1}'],
      [1, 1_700_000_000_250, null, "x".repeat(300)],
    ]);
    expect(batch?.records[0]?.headers.map((h) => [h.key, h.value?.toString()])).toEqual([
      ["ce_id", "e1"],
      ["empty", ""],
    ]);
  });

  it("refuses a batch whose CRC does not match, with CORRUPT_MESSAGE", async () => {
    const raw = Buffer.from(await kafkajsBatch(CompressionTypes.None));
    raw[raw.length - 3] = (raw[raw.length - 3] as number) ^ 0xff;
    expect(() => decodeRecordBatches(raw)).toThrow(expect.objectContaining({ errorCode: CORRUPT_MESSAGE, message: expect.stringContaining("CRC-32C") }));
  });

  it("refuses codecs it cannot decode with UNSUPPORTED_COMPRESSION_TYPE", async () => {
    const raw = Buffer.from(await kafkajsBatch(CompressionTypes.None));
    // attributes sit after baseOffset(8) length(4) leaderEpoch(4) magic(1) crc(4); set the codec bits to snappy and re-sign.
    raw.writeInt16BE(2, 21);
    raw.writeUInt32BE(crc32c(raw.subarray(21)), 17);
    let caught: unknown;
    try {
      decodeRecordBatches(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RecordBatchError);
    expect((caught as RecordBatchError).errorCode).toBe(UNSUPPORTED_COMPRESSION_TYPE);
  });
});

describe("the stand-in broker with the real kafkajs client", () => {
  const client = (broker: KafkaStandInBroker, extra: Partial<ConstructorParameters<typeof Kafka>[0]> = {}) =>
    new Kafka({ brokers: [broker.address], logLevel: logLevel.NOTHING, retry: { retries: 0 }, ...extra });

  it("negotiates non-flexible versions, serves metadata and appends with increasing offsets", async () => {
    const broker = await startBroker({ topics: { events: 3 } });
    const kafka = client(broker);
    const admin = kafka.admin();
    await admin.connect();
    const metadata = await admin.fetchTopicMetadata({ topics: ["events"] });
    await admin.disconnect();
    expect(metadata.topics[0]?.partitions.map((p) => [p.partitionId, p.leader])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    const producer = kafka.producer();
    await producer.connect();
    const first = await producer.send({ topic: "events", messages: [{ partition: 1, value: "a" }, { partition: 1, value: "b" }] });
    const second = await producer.send({ topic: "events", messages: [{ partition: 1, value: "c" }] });
    await producer.disconnect();
    expect(first[0]?.baseOffset).toBe("0");
    expect(second[0]?.baseOffset).toBe("2");
    expect(broker.recordsOf("events").map((r) => [r.partition, r.offset, r.value])).toEqual([
      [1, 0, "a"],
      [1, 1, "b"],
      [1, 2, "c"],
    ]);
    const versions = new Set(broker.requests.map((r) => `${r.apiKey}v${r.apiVersion}`));
    expect(versions).toEqual(new Set(["18v2", "3v5", "0v7"]));
  });

  it("answers an unsupported codec with the error kafkajs reports", async () => {
    const broker = await startBroker({ topics: { events: 1 } });
    // A pass-through "snappy" codec, registered in this test file's module instance only.
    CompressionCodecs[CompressionTypes.Snappy] = () => ({ compress: async (encoder: Encoded) => encoder.buffer, decompress: async (buffer: Buffer) => buffer });
    const producer = client(broker).producer();
    await producer.connect();
    await expect(producer.send({ topic: "events", compression: CompressionTypes.Snappy, messages: [{ value: "a" }] })).rejects.toThrow(/compression type/i);
    await producer.disconnect();
    expect(broker.records).toEqual([]);
  });

  it("refuses wrong SASL PLAIN credentials as a broker does", async () => {
    const broker = await startBroker({ topics: { events: 1 }, sasl: { mechanism: "PLAIN", username: "herald", password: "right" } });
    const wrong = client(broker, { sasl: { mechanism: "plain", username: "herald", password: "wrong" } }).producer();
    await expect(wrong.connect()).rejects.toThrow(/SASL PLAIN authentication failed: Authentication failed: Invalid username or password/);
    const right = client(broker, { sasl: { mechanism: "plain", username: "herald", password: "right" } }).producer();
    await right.connect();
    await right.send({ topic: "events", messages: [{ value: "ok" }] });
    await right.disconnect();
    expect(broker.records.map((r) => r.value)).toEqual(["ok"]);
  });

  it("injects partition errors and keeps its log across a restart on the same port", async () => {
    const broker = await startBroker({ topics: { events: 1 } });
    broker.failProduce(ERROR.NOT_LEADER_FOR_PARTITION);
    const producer = client(broker).producer();
    await producer.connect();
    await expect(producer.send({ topic: "events", messages: [{ value: "refused" }] })).rejects.toThrow(/not the leader/);
    await producer.send({ topic: "events", messages: [{ value: "one" }] });
    await producer.disconnect();

    const port = broker.port;
    await broker.stop();
    await expect(client(broker).producer().connect()).rejects.toThrow(/ECONNREFUSED/);
    await broker.restart();
    expect(broker.port).toBe(port);
    const again = client(broker).producer();
    await again.connect();
    const [result] = await again.send({ topic: "events", messages: [{ value: "two" }] });
    await again.disconnect();
    expect(result?.baseOffset).toBe("1");
    expect(broker.records.map((r) => [r.offset, r.value])).toEqual([
      [0, "one"],
      [1, "two"],
    ]);
  });
});
