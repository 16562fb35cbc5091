import http from "node:http";
import type { AddressInfo } from "node:net";
import { S3Client, SelectObjectContentCommand } from "@aws-sdk/client-s3";
import { afterEach, describe, expect, it } from "vitest";
import {
  RecordsBatcher,
  contMessage,
  encodeMessage,
  endMessage,
  errorMessage,
  progressMessage,
  recordsMessage,
  statsMessage,
} from "./event-stream.ts";
import { decodeOneMessage, type DecodedMessage } from "../../../test/support/event-stream-decoder.ts";

describe("event stream encoding (independent decoder)", () => {
  it("encodes arbitrary headers and payload with correct lengths and CRCs", () => {
    const payload = Buffer.from("hello, world");
    const msg = encodeMessage({ a: "1", "longer-name": "välue" }, payload);
    const headersLength = 1 + 1 + 1 + 2 + 1 + (1 + 11 + 1 + 2 + Buffer.byteLength("välue"));
    expect(msg.readUInt32BE(0)).toBe(msg.length);
    expect(msg.readUInt32BE(4)).toBe(headersLength);
    expect(msg.length).toBe(16 + headersLength + payload.length);
    const d = decodeOneMessage(msg);
    expect(d.headers).toEqual({ a: "1", "longer-name": "välue" });
    expect(d.payload.toString()).toBe("hello, world");
  });

  it("encodes an empty message (no headers, no payload) as 16 bytes", () => {
    const msg = encodeMessage({}, new Uint8Array(0));
    expect(msg.length).toBe(16);
    expect(decodeOneMessage(msg)).toEqual({ headers: {}, payload: Buffer.alloc(0) });
  });

  it("Records", () => {
    const d = decodeOneMessage(recordsMessage(Buffer.from("a,b\n")));
    expect(d.headers).toEqual({ ":message-type": "event", ":event-type": "Records", ":content-type": "application/octet-stream" });
    expect(d.payload.toString()).toBe("a,b\n");
  });

  it("Cont and End have no payload and no content type", () => {
    const cont = decodeOneMessage(contMessage());
    expect(cont.headers).toEqual({ ":message-type": "event", ":event-type": "Cont" });
    expect(cont.payload.length).toBe(0);
    const end = decodeOneMessage(endMessage());
    expect(end.headers).toEqual({ ":message-type": "event", ":event-type": "End" });
    expect(end.payload.length).toBe(0);
  });

  it("Progress and Stats carry XML byte counts", () => {
    const counts = { bytesScanned: 512, bytesProcessed: 1024, bytesReturned: 8 };
    const progress = decodeOneMessage(progressMessage(counts));
    expect(progress.headers).toEqual({ ":message-type": "event", ":event-type": "Progress", ":content-type": "text/xml" });
    expect(progress.payload.toString()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Progress><BytesScanned>512</BytesScanned><BytesProcessed>1024</BytesProcessed><BytesReturned>8</BytesReturned></Progress>',
    );
    const stats = decodeOneMessage(statsMessage(counts));
    expect(stats.headers).toEqual({ ":message-type": "event", ":event-type": "Stats", ":content-type": "text/xml" });
    expect(stats.payload.toString()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Stats><BytesScanned>512</BytesScanned><BytesProcessed>1024</BytesProcessed><BytesReturned>8</BytesReturned></Stats>',
    );
  });

  it("error messages", () => {
    const d = decodeOneMessage(errorMessage("InvalidTextEncoding", "UTF-8 encoding is required."));
    expect(d.headers).toEqual({
      ":message-type": "error",
      ":error-code": "InvalidTextEncoding",
      ":error-message": "UTF-8 encoding is required.",
    });
    expect(d.payload.length).toBe(0);
  });

  it("RecordsBatcher splits 300 KiB into three messages of at most 128 KiB", () => {
    const input = Buffer.alloc(300 * 1024);
    for (let i = 0; i < input.length; i++) input[i] = (i * 31 + 7) & 0xff;
    const messages: Buffer[] = [];
    const batcher = new RecordsBatcher((m) => messages.push(m));
    // Push in uneven pieces to exercise boundaries.
    let off = 0;
    const sizes = [1, 1000, 70_000, 100_000, 5];
    let s = 0;
    while (off < input.length) {
      const n = Math.min(sizes[s++ % sizes.length]!, input.length - off);
      batcher.push(input.subarray(off, off + n));
      off += n;
    }
    batcher.flush();
    expect(messages).toHaveLength(3);
    const decoded = messages.map(decodeOneMessage);
    for (const d of decoded) {
      expect(d.headers[":event-type"]).toBe("Records");
      expect(d.payload.length).toBeGreaterThan(0);
      expect(d.payload.length).toBeLessThanOrEqual(128 * 1024);
    }
    expect(decoded.map((d) => d.payload.length)).toEqual([128 * 1024, 128 * 1024, 44 * 1024]);
    expect(Buffer.concat(decoded.map((d) => d.payload)).equals(input)).toBe(true);
  });

  it("RecordsBatcher copies its input, emits nothing for empty input, and respects maxPayload", () => {
    const messages: Buffer[] = [];
    const batcher = new RecordsBatcher((m) => messages.push(m), 4);
    batcher.push(new Uint8Array(0));
    batcher.flush();
    expect(messages).toHaveLength(0);
    const reused = Buffer.from("ab");
    batcher.push(reused);
    reused.write("zz");
    batcher.push(Buffer.from("cdefg"));
    batcher.flush();
    batcher.flush();
    expect(messages.map((m) => decodeOneMessage(m).payload.toString())).toEqual(["abcd", "efg"]);
  });
});

// ---------------------------------------------------------------------------
// The real client: @aws-sdk/client-s3 parsing our bytes.
// ---------------------------------------------------------------------------
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function serve(body: Buffer[]): Promise<{ port: number; requests: { method: string; url: string }[] }> {
  const requests: { method: string; url: string }[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "" });
    req.resume();
    req.on("end", () => {
      if (req.method !== "POST") {
        res.writeHead(405).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
      // Write each message separately (chunked transfer), like a streaming server.
      for (const chunk of body) res.write(chunk);
      res.end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, requests };
}

function client(port: number): S3Client {
  return new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    maxAttempts: 1,
  });
}

function selectCommand(): SelectObjectContentCommand {
  return new SelectObjectContentCommand({
    Bucket: "b",
    Key: "k",
    Expression: "select * from s3object",
    ExpressionType: "SQL",
    InputSerialization: { CSV: {} },
    OutputSerialization: { CSV: {} },
    RequestProgress: { Enabled: true },
  });
}

describe("event stream read by @aws-sdk/client-s3 SelectObjectContent", () => {
  it("yields Records, Cont, Progress, Stats and End events", async () => {
    const { port, requests } = await serve([
      recordsMessage(Buffer.from("a,b\n")),
      recordsMessage(Buffer.from("c,d\n")),
      contMessage(),
      progressMessage({ bytesScanned: 8, bytesProcessed: 8, bytesReturned: 4 }),
      statsMessage({ bytesScanned: 100, bytesProcessed: 200, bytesReturned: 8 }),
      endMessage(),
    ]);
    const s3 = client(port);
    try {
      const response = await s3.send(selectCommand());
      expect(requests[0]?.method).toBe("POST");
      expect(requests[0]?.url).toMatch(/^\/b\/k\?select=?&select-type=2/);
      const kinds: string[] = [];
      let text = "";
      let stats: unknown;
      let progress: unknown;
      const decoder = new TextDecoder();
      for await (const event of response.Payload!) {
        if (event.Records) {
          kinds.push("Records");
          text += decoder.decode(event.Records.Payload, { stream: true });
        } else if (event.Stats) {
          kinds.push("Stats");
          stats = event.Stats.Details;
        } else if (event.Progress) {
          kinds.push("Progress");
          progress = event.Progress.Details;
        } else if (event.Cont) {
          kinds.push("Cont");
        } else if (event.End) {
          kinds.push("End");
        } else {
          kinds.push(`unknown:${Object.keys(event).join(",")}`);
        }
      }
      text += decoder.decode();
      expect(text).toBe("a,b\nc,d\n");
      expect(kinds).toEqual(["Records", "Records", "Cont", "Progress", "Stats", "End"]);
      expect(progress).toEqual({ BytesScanned: 8, BytesProcessed: 8, BytesReturned: 4 });
      expect(stats).toEqual({ BytesScanned: 100, BytesProcessed: 200, BytesReturned: 8 });
    } finally {
      s3.destroy();
    }
  });

  it("accepts the whole stream in a single write and a batcher's output", async () => {
    const chunks: Buffer[] = [];
    const batcher = new RecordsBatcher((m) => chunks.push(m));
    const big = Buffer.from("x,y\n".repeat(80 * 1024)); // 320 KiB
    batcher.push(big);
    batcher.flush();
    chunks.push(statsMessage({ bytesScanned: 1, bytesProcessed: 2, bytesReturned: big.length }), endMessage());
    expect(chunks.length).toBe(5);
    const { port } = await serve([Buffer.concat(chunks)]);
    const s3 = client(port);
    try {
      const response = await s3.send(selectCommand());
      const parts: Uint8Array[] = [];
      let last = "";
      for await (const event of response.Payload!) {
        if (event.Records?.Payload) parts.push(event.Records.Payload);
        last = Object.keys(event).filter((k) => k !== "$unknown")[0] ?? "";
      }
      expect(last).toBe("End");
      expect(Buffer.concat(parts).equals(big)).toBe(true);
    } finally {
      s3.destroy();
    }
  });

  it("surfaces an error message after streaming began as a thrown error with our code", async () => {
    const { port } = await serve([
      recordsMessage(Buffer.from("a,b\n")),
      errorMessage("CSVParsingError", "Encountered an error parsing the CSV file."),
    ]);
    const s3 = client(port);
    try {
      const response = await s3.send(selectCommand());
      let text = "";
      let caught: unknown;
      try {
        for await (const event of response.Payload!) {
          if (event.Records?.Payload) text += Buffer.from(event.Records.Payload).toString();
        }
      } catch (err) {
        caught = err;
      }
      expect(text).toBe("a,b\n");
      expect(caught).toBeInstanceOf(Error);
      const e = caught as Error & { code?: string; $fault?: string };
      expect(e.name).toBe("CSVParsingError");
      expect(e.message).toBe("Encountered an error parsing the CSV file.");
    } finally {
      s3.destroy();
    }
  });
});
