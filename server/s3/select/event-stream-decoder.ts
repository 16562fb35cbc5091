import { crc32 } from "node:zlib";

export interface DecodedMessage {
  headers: Record<string, string>;
  payload: Buffer;
}

/**
 * Decodes AWS event-stream messages. Written from the spec independently of
 * the encoder (event-stream.ts), so the encoder's tests check its bytes
 * against a second reading; the query console decodes the runner's messages
 * with it too. Throws on a wrong length, a CRC that does not match or a
 * header that is not a string.
 */
export function decodeEventStream(stream: Buffer): DecodedMessage[] {
  const out: DecodedMessage[] = [];
  let pos = 0;
  while (pos < stream.length) {
    if (stream.length - pos < 16) throw new Error(`event stream: ${stream.length - pos} trailing bytes, less than a message`);
    const total = stream.readUInt32BE(pos);
    const headersLength = stream.readUInt32BE(pos + 4);
    if (crc32(stream.subarray(pos, pos + 8)) !== stream.readUInt32BE(pos + 8)) throw new Error(`event stream: prelude CRC mismatch at ${pos}`);
    if (pos + total > stream.length) throw new Error(`event stream: message at ${pos} claims ${total} bytes, ${stream.length - pos} remain`);
    const message = stream.subarray(pos, pos + total);
    if (crc32(message.subarray(0, total - 4)) !== message.readUInt32BE(total - 4)) throw new Error(`event stream: message CRC mismatch at ${pos}`);

    const headers: Record<string, string> = {};
    let h = 12;
    const headersEnd = 12 + headersLength;
    while (h < headersEnd) {
      const nameLength = message.readUInt8(h);
      h += 1;
      const name = message.subarray(h, h + nameLength).toString("utf8");
      h += nameLength;
      const type = message.readUInt8(h);
      if (type !== 7) throw new Error(`event stream: header ${name} has value type ${type}, not string (7)`);
      h += 1;
      const valueLength = message.readUInt16BE(h);
      h += 2;
      headers[name] = message.subarray(h, h + valueLength).toString("utf8");
      h += valueLength;
    }
    if (h !== headersEnd) throw new Error(`event stream: headers overrun their declared length at ${pos}`);
    out.push({ headers, payload: Buffer.from(message.subarray(headersEnd, total - 4)) });
    pos += total;
  }
  return out;
}

/** Exactly one message, decoded. */
export function decodeOneMessage(message: Buffer): DecodedMessage {
  const all = decodeEventStream(message);
  if (all.length !== 1) throw new Error(`event stream: expected one message, got ${all.length}`);
  return all[0]!;
}
