/**
 * Kafka wire primitives for the test stand-in broker: big-endian integers,
 * int16-length strings, int32-length bytes, zigzag varints (record fields)
 * and CRC-32C (record batch checksum). Only the non-flexible encodings: the
 * stand-in advertises no flexible API versions, so compact forms never occur.
 */
export class WireReader {
  offset = 0;
  constructor(readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  int8(): number {
    const value = this.buffer.readInt8(this.offset);
    this.offset += 1;
    return value;
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  uint32(): number {
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  int64(): bigint {
    const value = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  take(length: number): Buffer {
    if (length < 0 || this.offset + length > this.buffer.length) throw new RangeError(`wire: ${length} bytes past the end`);
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  /** INT16 length, -1 for null. */
  string(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.take(length).toString("utf8");
  }

  /** INT32 length, -1 for null. */
  bytes(): Buffer | null {
    const length = this.int32();
    return length < 0 ? null : this.take(length);
  }

  /** INT32 count, -1 for null. */
  array<T>(item: (reader: WireReader) => T): T[] | null {
    const count = this.int32();
    if (count < 0) return null;
    return Array.from({ length: count }, () => item(this));
  }

  /** Zigzag varint, as record fields use. */
  varint(): number {
    return Number(this.varlong());
  }

  varlong(): bigint {
    let raw = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.buffer[this.offset++];
      if (byte === undefined) throw new RangeError("wire: varint past the end");
      raw |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new RangeError("wire: varint too long");
    }
    return (raw >> 1n) ^ -(raw & 1n);
  }

  /** Varint length, -1 for null. */
  varBytes(): Buffer | null {
    const length = this.varint();
    return length < 0 ? null : this.take(length);
  }
}

export class WireWriter {
  private readonly parts: Buffer[] = [];

  int8(value: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(value);
    return this.raw(b);
  }

  int16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(value);
    return this.raw(b);
  }

  int32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    return this.raw(b);
  }

  int64(value: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(value));
    return this.raw(b);
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const b = Buffer.from(value, "utf8");
    return this.int16(b.length).raw(b);
  }

  bytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    return this.int32(value.length).raw(value);
  }

  array<T>(items: readonly T[] | null, write: (writer: this, item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  varlong(value: bigint | number): this {
    let zigzag = (BigInt(value) << 1n) ^ (BigInt(value) >> 63n);
    zigzag = BigInt.asUintN(64, zigzag);
    const out: number[] = [];
    do {
      let byte = Number(zigzag & 0x7fn);
      zigzag >>= 7n;
      if (zigzag !== 0n) byte |= 0x80;
      out.push(byte);
    } while (zigzag !== 0n);
    return this.raw(Buffer.from(out));
  }

  varBytes(value: Buffer | null): this {
    if (value === null) return this.varlong(-1);
    return this.varlong(value.length).raw(value);
  }

  raw(buffer: Buffer): this {
    this.parts.push(buffer);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

// Castagnoli polynomial, reflected: what Kafka's record batch v2 checksums with (not zlib's CRC-32).
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
