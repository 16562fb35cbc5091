import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { AppError } from "../errors/app-error.ts";

/** Reads a request body up to `limit` bytes; beyond it answers 413 without buffering the rest. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  return readLimited(req, limit);
}

/** Reads a stream (a request body, or one decoded from it) up to `limit` bytes; beyond it fails without buffering the rest. */
export async function readLimited(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      stream.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBody(req, limit);
  if (body.length === 0) throw new AppError("ValidationError", "the request body is empty; send JSON", { field: "body" });
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch (error) {
    throw new AppError("ValidationError", `the request body is not valid JSON: ${(error as Error).message}`, { field: "body" });
  }
}

function tooLarge(limit: number): AppError {
  return new AppError("PayloadTooLarge", `the request body is larger than ${limit} bytes`, { field: "body", details: { limit } });
}
