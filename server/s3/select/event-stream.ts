/**
 * AWS event stream framing (`application/vnd.amazon.eventstream`) as used by
 * S3 SelectObjectContent responses.
 *
 * Message layout (all integers big-endian):
 *   prelude:  total length (u32) | headers length (u32) | CRC32 of those 8 bytes (u32)
 *   headers:  repeated { name length (u8) | name | value type (u8, 7 = string) | value length (u16) | value }
 *   payload
 *   message CRC32 (u32) of everything before it
 */
import { crc32 } from "node:zlib";

const PRELUDE_LENGTH = 12;
const MESSAGE_CRC_LENGTH = 4;
const HEADER_TYPE_STRING = 7;

/** Largest Records payload S3 sends in one message. */
export const MAX_RECORDS_PAYLOAD = 128 * 1024;

export const EVENT_STREAM_CONTENT_TYPE = "application/vnd.amazon.eventstream";

function encodeHeaders(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const nameBytes = Buffer.from(name, "utf8");
    const valueBytes = Buffer.from(value, "utf8");
    if (nameBytes.length === 0 || nameBytes.length > 255) {
      throw new RangeError(`event stream header name must be 1..255 bytes: ${JSON.stringify(name)}`);
    }
    if (valueBytes.length > 0xffff) {
      throw new RangeError(`event stream header value too long for ${name}`);
    }
    const head = Buffer.alloc(1 + nameBytes.length + 1 + 2);
    head.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(head, 1);
    head.writeUInt8(HEADER_TYPE_STRING, 1 + nameBytes.length);
    head.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    parts.push(head, valueBytes);
  }
  return Buffer.concat(parts);
}

/** Encodes one event stream message with string-valued headers. */
export function encodeMessage(headers: Record<string, string>, payload: Uint8Array): Buffer {
  const headerBytes = encodeHeaders(headers);
  const total = PRELUDE_LENGTH + headerBytes.length + payload.byteLength + MESSAGE_CRC_LENGTH;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headerBytes.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headerBytes.copy(out, PRELUDE_LENGTH);
  out.set(payload, PRELUDE_LENGTH + headerBytes.length);
  const crcOffset = total - MESSAGE_CRC_LENGTH;
  out.writeUInt32BE(crc32(out.subarray(0, crcOffset)), crcOffset);
  return out;
}

const EMPTY = new Uint8Array(0);

export interface SelectByteCounts {
  bytesScanned: number;
  bytesProcessed: number;
  bytesReturned: number;
}

function countsXml(root: "Progress" | "Stats", c: SelectByteCounts): Buffer {
  const n = (v: number): string => {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`invalid byte count: ${v}`);
    return String(v);
  };
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><${root}>` +
      `<BytesScanned>${n(c.bytesScanned)}</BytesScanned>` +
      `<BytesProcessed>${n(c.bytesProcessed)}</BytesProcessed>` +
      `<BytesReturned>${n(c.bytesReturned)}</BytesReturned>` +
      `</${root}>`,
    "utf8",
  );
}

/** Records event: a chunk of output records. */
export function recordsMessage(payload: Uint8Array): Buffer {
  return encodeMessage(
    { ":event-type": "Records", ":content-type": "application/octet-stream", ":message-type": "event" },
    payload,
  );
}

/** Continuation (keep-alive) event, empty payload. */
export function contMessage(): Buffer {
  return encodeMessage({ ":event-type": "Cont", ":message-type": "event" }, EMPTY);
}

/** Progress event (sent when RequestProgress.Enabled). */
export function progressMessage(p: SelectByteCounts): Buffer {
  return encodeMessage(
    { ":event-type": "Progress", ":content-type": "text/xml", ":message-type": "event" },
    countsXml("Progress", p),
  );
}

/** Stats event, sent once after the last Records event. */
export function statsMessage(s: SelectByteCounts): Buffer {
  return encodeMessage(
    { ":event-type": "Stats", ":content-type": "text/xml", ":message-type": "event" },
    countsXml("Stats", s),
  );
}

/** End event: the request completed; the last message of a successful response. */
export function endMessage(): Buffer {
  return encodeMessage({ ":event-type": "End", ":message-type": "event" }, EMPTY);
}

/** An error after streaming began: ":message-type"="error", ":error-code", ":error-message". */
export function errorMessage(code: string, message: string): Buffer {
  return encodeMessage(
    { ":error-code": code, ":error-message": message, ":message-type": "error" },
    EMPTY,
  );
}

/**
 * Splits output records into Records messages of at most `maxPayload` bytes
 * (128 KiB by default). Nothing is emitted for empty input.
 */
export class RecordsBatcher {
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  private readonly maxPayload: number;

  constructor(
    private readonly onMessage: (message: Buffer) => void,
    maxPayload: number = MAX_RECORDS_PAYLOAD,
  ) {
    if (!Number.isSafeInteger(maxPayload) || maxPayload <= 0) {
      throw new RangeError(`maxPayload must be a positive integer: ${maxPayload}`);
    }
    this.maxPayload = maxPayload;
  }

  push(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.byteLength) {
      const room = this.maxPayload - this.buffered;
      const take = Math.min(room, bytes.byteLength - offset);
      // Copy: the caller may reuse its buffer after push returns.
      this.chunks.push(Uint8Array.prototype.slice.call(bytes, offset, offset + take));
      this.buffered += take;
      offset += take;
      if (this.buffered >= this.maxPayload) this.emit();
    }
  }

  flush(): void {
    if (this.buffered > 0) this.emit();
  }

  private emit(): void {
    const payload = Buffer.concat(this.chunks, this.buffered);
    this.chunks.length = 0;
    this.buffered = 0;
    this.onMessage(recordsMessage(payload));
  }
}
