/**
 * runSelect's event-stream output checked against a second implementation: every
 * message is decoded with @smithy/eventstream-codec (the AWS SDK's codec, which
 * verifies the prelude and message CRCs), and complete frames are compared byte for
 * byte with literals produced once by encoding the expected message with the smithy
 * codec (`codec.encode({ headers, body })`, headers in the order Herald writes them).
 * Each literal is also re-derived here from smithy's encoder, so the literal and the
 * expected message cannot drift apart. Inputs, query and clock are fixed.
 */
import { EventStreamCodec, type Message, type MessageHeaders } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { describe, expect, it } from "vitest";
import { contMessage } from "./event-stream.ts";
import { bytesStream } from "./io/test-streams.ts";
import { runSelect, type SelectRequest } from "./run-select.ts";
import { selectObjectFromStream } from "./select-object.ts";

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const NOW = new Date("2024-01-02T03:04:05.678Z");

/** A message of string headers (in this order) and a UTF-8 body. */
function message(headers: Record<string, string>, body: string): Message {
  const out: MessageHeaders = {};
  for (const [name, value] of Object.entries(headers)) out[name] = { type: "string", value };
  return { headers: out, body: fromUtf8(body) };
}

function smithyBytes(m: Message): Buffer {
  return Buffer.from(codec.encode(m));
}

function stringHeaders(m: Message): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, header] of Object.entries(m.headers)) {
    expect(header.type, `header ${name}`).toBe("string");
    out[name] = String(header.value);
  }
  return out;
}

async function frames(request: SelectRequest, data: string, chunkSize = 7): Promise<Buffer[]> {
  const out: Buffer[] = [];
  await runSelect(
    request,
    selectObjectFromStream(bytesStream(data, chunkSize), Buffer.byteLength(data)),
    { message: (bytes) => out.push(Buffer.from(bytes)) },
    { now: () => NOW },
  );
  return out;
}

const RECORDS_HEADERS = { ":event-type": "Records", ":content-type": "application/octet-stream", ":message-type": "event" };
const STATS_HEADERS = { ":event-type": "Stats", ":content-type": "text/xml", ":message-type": "event" };
const PROGRESS_HEADERS = { ":event-type": "Progress", ":content-type": "text/xml", ":message-type": "event" };
const END_HEADERS = { ":event-type": "End", ":message-type": "event" };

const DATA = "Name,City\nSam,Irvine\nJane,Chicago\nKate,Chicago\n"; // 47 bytes
const REQUEST: SelectRequest = {
  expression: "SELECT s.Name, UTCNOW() FROM S3Object s WHERE s.City = 'Chicago'",
  input: { CSV: { FileHeaderInfo: "USE" } },
  output: { CSV: {} },
  requestProgress: true,
};
const RECORDS = "Jane,2024-01-02T03:04:05.678Z\nKate,2024-01-02T03:04:05.678Z\n"; // 60 bytes
const COUNTS = "<BytesScanned>47</BytesScanned><BytesProcessed>47</BytesProcessed><BytesReturned>60</BytesReturned>";
const PROGRESS_XML = `<?xml version="1.0" encoding="UTF-8"?><Progress>${COUNTS}</Progress>`;
const STATS_XML = `<?xml version="1.0" encoding="UTF-8"?><Stats>${COUNTS}</Stats>`;

/** The expected frames of REQUEST over DATA, from smithy's encoder (base64). */
const EXPECTED_FRAMES: readonly { message: Message; base64: string }[] = [
  {
    message: message(RECORDS_HEADERS, RECORDS),
    base64:
      "AAAAoQAAAFUzZMw0CzpldmVudC10eXBlBwAHUmVjb3Jkcw06Y29udGVudC10eXBlBwAYYXBwbGljYXRpb24vb2N0ZXQtc3RyZWFtDTptZXNzYWdlLXR5cGUHAAVldmVudEphbmUsMjAyNC0wMS0wMlQwMzowNDowNS42NzhaCkthdGUsMjAyNC0wMS0wMlQwMzowNDowNS42NzhaCjqHXTs=",
  },
  {
    message: message(PROGRESS_HEADERS, PROGRESS_XML),
    base64:
      "AAAA9AAAAEZHKc1RCzpldmVudC10eXBlBwAIUHJvZ3Jlc3MNOmNvbnRlbnQtdHlwZQcACHRleHQveG1sDTptZXNzYWdlLXR5cGUHAAVldmVudDw/eG1sIHZlcnNpb249IjEuMCIgZW5jb2Rpbmc9IlVURi04Ij8+PFByb2dyZXNzPjxCeXRlc1NjYW5uZWQ+NDc8L0J5dGVzU2Nhbm5lZD48Qnl0ZXNQcm9jZXNzZWQ+NDc8L0J5dGVzUHJvY2Vzc2VkPjxCeXRlc1JldHVybmVkPjYwPC9CeXRlc1JldHVybmVkPjwvUHJvZ3Jlc3M+fmdJJg==",
  },
  {
    message: message(STATS_HEADERS, STATS_XML),
    base64:
      "AAAA6wAAAEPV8zmNCzpldmVudC10eXBlBwAFU3RhdHMNOmNvbnRlbnQtdHlwZQcACHRleHQveG1sDTptZXNzYWdlLXR5cGUHAAVldmVudDw/eG1sIHZlcnNpb249IjEuMCIgZW5jb2Rpbmc9IlVURi04Ij8+PFN0YXRzPjxCeXRlc1NjYW5uZWQ+NDc8L0J5dGVzU2Nhbm5lZD48Qnl0ZXNQcm9jZXNzZWQ+NDc8L0J5dGVzUHJvY2Vzc2VkPjxCeXRlc1JldHVybmVkPjYwPC9CeXRlc1JldHVybmVkPjwvU3RhdHM++u1zxw==",
  },
  {
    message: message(END_HEADERS, ""),
    base64: "AAAAOAAAACjBxoTUCzpldmVudC10eXBlBwADRW5kDTptZXNzYWdlLXR5cGUHAAVldmVudP4s7pk=",
  },
];

describe("event-stream frames of runSelect, checked with @smithy/eventstream-codec", () => {
  it("the expected literals are smithy's encoding of the expected messages", () => {
    for (const frame of EXPECTED_FRAMES) {
      expect(smithyBytes(frame.message).toString("base64")).toBe(frame.base64);
    }
  });

  it("decodes every message: headers, payloads, CRCs (Records, Progress, Stats, End)", async () => {
    const out = await frames(REQUEST, DATA);
    const decoded = out.map((bytes) => codec.decode(bytes)); // throws on a bad length or CRC
    expect(decoded.map(stringHeaders)).toEqual([RECORDS_HEADERS, PROGRESS_HEADERS, STATS_HEADERS, END_HEADERS]);
    expect(decoded.map((m) => toUtf8(m.body))).toEqual([RECORDS, PROGRESS_XML, STATS_XML, ""]);
  });

  it("each frame equals smithy's encoding of the same message, byte for byte", async () => {
    const out = await frames(REQUEST, DATA);
    expect(out.map((bytes) => bytes.toString("base64"))).toEqual(EXPECTED_FRAMES.map((f) => f.base64));
    // Re-encoding what smithy decoded gives the same bytes again.
    for (const bytes of out) expect(smithyBytes(codec.decode(bytes)).equals(bytes)).toBe(true);
  });

  it("the frames do not depend on how the input is chunked", async () => {
    const one = await frames(REQUEST, DATA, 1);
    const whole = await frames(REQUEST, DATA, 4096);
    expect(one.map((b) => b.toString("base64"))).toEqual(EXPECTED_FRAMES.map((f) => f.base64));
    expect(whole.map((b) => b.toString("base64"))).toEqual(EXPECTED_FRAMES.map((f) => f.base64));
  });

  it("without requestProgress: Records, Stats, End (End last, nothing after it)", async () => {
    const out = await frames({ ...REQUEST, requestProgress: false }, DATA);
    expect(out.map((b) => b.toString("base64"))).toEqual([EXPECTED_FRAMES[0], EXPECTED_FRAMES[2], EXPECTED_FRAMES[3]].map((f) => f?.base64));
  });

  it("a query with no matching record: Stats (BytesReturned 0) then End, no Records", async () => {
    const out = await frames({ ...REQUEST, expression: "SELECT * FROM S3Object s WHERE s.City = 'Paris'", requestProgress: false }, DATA);
    const decoded = out.map((bytes) => codec.decode(bytes));
    expect(decoded.map((m) => stringHeaders(m)[":event-type"])).toEqual(["Stats", "End"]);
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><Stats><BytesScanned>47</BytesScanned><BytesProcessed>47</BytesProcessed><BytesReturned>0</BytesReturned></Stats>';
    expect(out[0]?.equals(smithyBytes(message(STATS_HEADERS, xml)))).toBe(true);
  });

  it("a Cont message equals smithy's encoding", () => {
    const expected = "AAAAOQAAACmLoZ3yCzpldmVudC10eXBlBwAEQ29udA06bWVzc2FnZS10eXBlBwAFZXZlbnQj3MHy";
    expect(smithyBytes(message({ ":event-type": "Cont", ":message-type": "event" }, "")).toString("base64")).toBe(expected);
    expect(contMessage().toString("base64")).toBe(expected);
  });

  it("splits a large output into Records messages of at most 128 KiB; Stats counts every byte", async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `row-${String(i).padStart(6, "0")},${i % 7}`);
    const data = `${rows.join("\n")}\n`;
    const out = await frames({ expression: "SELECT _1, _2 FROM S3Object", input: { CSV: {} }, output: { CSV: {} } }, data, 65_536);
    const decoded = out.map((bytes) => codec.decode(bytes));
    const types = decoded.map((m) => stringHeaders(m)[":event-type"]);
    const records = decoded.filter((m) => stringHeaders(m)[":event-type"] === "Records");
    expect(records.length).toBeGreaterThanOrEqual(3);
    for (const m of records) {
      expect(m.body.byteLength).toBeLessThanOrEqual(128 * 1024);
      expect(stringHeaders(m)).toEqual(RECORDS_HEADERS);
    }
    // Full messages are exactly 128 KiB; only the last may be shorter.
    for (const m of records.slice(0, -1)) expect(m.body.byteLength).toBe(128 * 1024);
    const body = Buffer.concat(records.map((m) => Buffer.from(m.body))).toString("utf8");
    expect(body).toBe(data);
    expect(types.slice(-2)).toEqual(["Stats", "End"]);
    expect(types.filter((t) => t === "End")).toHaveLength(1);
    const size = Buffer.byteLength(data);
    const xml = `<?xml version="1.0" encoding="UTF-8"?><Stats><BytesScanned>${size}</BytesScanned><BytesProcessed>${size}</BytesProcessed><BytesReturned>${size}</BytesReturned></Stats>`;
    expect(toUtf8(decoded.at(-2)?.body ?? new Uint8Array())).toBe(xml);
    expect(out.at(-2)?.equals(smithyBytes(message(STATS_HEADERS, xml)))).toBe(true);
    expect(out.at(-1)?.toString("base64")).toBe(EXPECTED_FRAMES[3]?.base64);
  });

  it("an error after records were sent: error message with :error-code and :error-message, no Stats or End", async () => {
    const data = "1\n2\nx\n";
    const out = await frames({ expression: "SELECT CAST(_1 AS INT) FROM S3Object", input: { CSV: {} }, output: { CSV: {} } }, data);
    const decoded = out.map((bytes) => codec.decode(bytes));
    expect(decoded).toHaveLength(2);
    expect(out[0]?.toString("base64")).toBe(
      "AAAAaQAAAFXqAW8uCzpldmVudC10eXBlBwAHUmVjb3Jkcw06Y29udGVudC10eXBlBwAYYXBwbGljYXRpb24vb2N0ZXQtc3RyZWFtDTptZXNzYWdlLXR5cGUHAAVldmVudDEKMgqCmiaL",
    );
    expect(out[0]?.equals(smithyBytes(message(RECORDS_HEADERS, "1\n2\n")))).toBe(true);
    const errorHeaders = {
      ":error-code": "CastFailed",
      ":error-message": "at line 1, column 8: cannot cast 'x' to INT",
      ":message-type": "error",
    };
    expect(stringHeaders(decoded[1] as Message)).toEqual(errorHeaders);
    expect(decoded[1]?.body.byteLength).toBe(0);
    expect(out[1]?.toString("base64")).toBe(
      "AAAAfAAAAGwdBP/UCzplcnJvci1jb2RlBwAKQ2FzdEZhaWxlZA46ZXJyb3ItbWVzc2FnZQcAK2F0IGxpbmUgMSwgY29sdW1uIDg6IGNhbm5vdCBjYXN0ICd4JyB0byBJTlQNOm1lc3NhZ2UtdHlwZQcABWVycm9y2XnAOw==",
    );
    expect(out[1]?.equals(smithyBytes(message(errorHeaders, "")))).toBe(true);
  });

  it("a CastFailed on record 5000, after records were streamed: records, then the error last, no End", async () => {
    const data = Array.from({ length: 5000 }, (_, i) => (i === 4999 ? "oops" : String(i + 1))).join("\n") + "\n";
    const out = await frames({ expression: "SELECT CAST(_1 AS INT) FROM S3Object", input: { CSV: {} }, output: { JSON: {} } }, data, 4096);
    const decoded = out.map((bytes) => codec.decode(bytes));
    const last = decoded.at(-1) as Message;
    expect(stringHeaders(last)[":message-type"]).toBe("error");
    expect(stringHeaders(last)[":error-code"]).toBe("CastFailed");
    expect(stringHeaders(last)[":error-message"]).toContain("line 1, column 8");
    expect(stringHeaders(last)[":event-type"]).toBeUndefined();
    const rest = decoded.slice(0, -1).map((m) => stringHeaders(m));
    expect(rest.length).toBeGreaterThanOrEqual(1);
    for (const headers of rest) expect(headers).toEqual(RECORDS_HEADERS);
    const body = Buffer.concat(decoded.slice(0, -1).map((m) => Buffer.from(m.body))).toString("utf8");
    expect(body).toBe(Array.from({ length: 4999 }, (_, i) => `{"_1":${i + 1}}\n`).join(""));
    expect(out.at(-1)?.equals(smithyBytes(message(stringHeaders(last), "")))).toBe(true);
  });
});
