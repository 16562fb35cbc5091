import { decodeOneMessage } from "../s3/select/event-stream-decoder.ts";

export interface ByteCounts {
  bytesScanned: number;
  bytesProcessed: number;
  bytesReturned: number;
}

/** One event-stream message of the runner, as the query service needs it. */
export type SelectMessage =
  | { kind: "records"; payload: Buffer }
  | { kind: "progress"; counts: ByteCounts }
  | { kind: "stats"; counts: ByteCounts }
  | { kind: "end" }
  | { kind: "cont" }
  | { kind: "error"; code: string; message: string };

function count(xml: string, name: string): number {
  const match = new RegExp(`<${name}>(\\d+)</${name}>`).exec(xml);
  return match ? Number(match[1]) : 0;
}

function countsOf(payload: Buffer): ByteCounts {
  const xml = payload.toString("utf8");
  return { bytesScanned: count(xml, "BytesScanned"), bytesProcessed: count(xml, "BytesProcessed"), bytesReturned: count(xml, "BytesReturned") };
}

/** Decodes one message (the runner hands them over one at a time) into what it means. */
export function readSelectMessage(bytes: Buffer): SelectMessage {
  const { headers, payload } = decodeOneMessage(bytes);
  if (headers[":message-type"] === "error") return { kind: "error", code: headers[":error-code"] ?? "InternalError", message: headers[":error-message"] ?? "" };
  switch (headers[":event-type"]) {
    case "Records":
      return { kind: "records", payload };
    case "Progress":
      return { kind: "progress", counts: countsOf(payload) };
    case "Stats":
      return { kind: "stats", counts: countsOf(payload) };
    case "End":
      return { kind: "end" };
    default:
      return { kind: "cont" };
  }
}
