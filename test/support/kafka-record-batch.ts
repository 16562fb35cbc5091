import { gunzipSync } from "node:zlib";
import { crc32c, WireReader } from "./kafka-wire.ts";

export const COMPRESSION_NAMES = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
export type CompressionName = (typeof COMPRESSION_NAMES)[number];

export interface DecodedRecord {
  offsetDelta: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
}

export interface DecodedBatch {
  magic: number;
  compression: CompressionName;
  producerId: bigint;
  baseSequence: number;
  transactional: boolean;
  records: DecodedRecord[];
}

/** Why a batch was refused, as the Kafka error code the broker answers with. */
export class RecordBatchError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const CORRUPT_MESSAGE = 2;
export const UNSUPPORTED_COMPRESSION_TYPE = 76;

/**
 * Decodes the RECORDS field of a Produce request: one or more record batches
 * (magic v2). The CRC-32C is checked before anything else is believed, as a
 * broker does; gzip is inflated with zlib; other codecs are refused with
 * UNSUPPORTED_COMPRESSION_TYPE since the stand-in has no decoder for them.
 */
export function decodeRecordBatches(records: Buffer): DecodedBatch[] {
  const reader = new WireReader(records);
  const batches: DecodedBatch[] = [];
  while (reader.remaining > 0) {
    if (reader.remaining < 12) throw new RecordBatchError(CORRUPT_MESSAGE, "truncated batch header");
    reader.int64(); // baseOffset: assigned by the broker, ignored from producers
    const length = reader.int32();
    if (length < 49 || length > reader.remaining) throw new RecordBatchError(CORRUPT_MESSAGE, `bad batch length ${length}`);
    batches.push(decodeBatchBody(new WireReader(reader.take(length))));
  }
  return batches;
}

function decodeBatchBody(reader: WireReader): DecodedBatch {
  reader.int32(); // partitionLeaderEpoch
  const magic = reader.int8();
  if (magic !== 2) throw new RecordBatchError(CORRUPT_MESSAGE, `record batch magic ${magic}, only v2 is supported`);
  const crc = reader.uint32();
  const checked = reader.buffer.subarray(reader.offset);
  const actual = crc32c(checked);
  if (actual !== crc) throw new RecordBatchError(CORRUPT_MESSAGE, `CRC-32C mismatch: batch says ${crc}, computed ${actual}`);
  const attributes = reader.int16();
  reader.int32(); // lastOffsetDelta
  const firstTimestamp = Number(reader.int64());
  reader.int64(); // maxTimestamp
  const producerId = reader.int64();
  reader.int16(); // producerEpoch
  const baseSequence = reader.int32();
  const count = reader.int32();
  const compression = COMPRESSION_NAMES[attributes & 0x07];
  if (compression === undefined) throw new RecordBatchError(UNSUPPORTED_COMPRESSION_TYPE, `unknown codec ${attributes & 0x07}`);
  let body = reader.buffer.subarray(reader.offset);
  if (compression === "gzip") body = gunzipSync(body);
  else if (compression !== "none") throw new RecordBatchError(UNSUPPORTED_COMPRESSION_TYPE, `${compression} batches are not supported by the stand-in`);
  const recordReader = new WireReader(body);
  const records = Array.from({ length: count }, () => decodeRecord(recordReader, firstTimestamp));
  if (recordReader.remaining !== 0) throw new RecordBatchError(CORRUPT_MESSAGE, `${recordReader.remaining} bytes after the last record`);
  return { magic, compression, producerId, baseSequence, transactional: (attributes & 0x10) !== 0, records };
}

function decodeRecord(batch: WireReader, firstTimestamp: number): DecodedRecord {
  const length = batch.varint();
  const reader = new WireReader(batch.take(length));
  reader.int8(); // record attributes: unused
  const timestamp = firstTimestamp + Number(reader.varlong());
  const offsetDelta = reader.varint();
  const key = reader.varBytes();
  const value = reader.varBytes();
  const headerCount = reader.varint();
  const headers = Array.from({ length: headerCount }, () => ({ key: (reader.varBytes() ?? Buffer.alloc(0)).toString("utf8"), value: reader.varBytes() }));
  if (reader.remaining !== 0) throw new RecordBatchError(CORRUPT_MESSAGE, "record longer than its fields");
  return { offsetDelta, timestamp, key, value, headers };
}
