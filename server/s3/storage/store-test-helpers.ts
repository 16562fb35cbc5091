import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { expect } from "vitest";
import { AppError } from "../../errors/app-error.ts";
import type { ErrorCode } from "../../errors/error-codes.ts";
import { LocalDiskStore, type LocalDiskStoreOptions } from "./local-disk-store.ts";

/** A store in a fresh temp directory: `base` is the parent, `root` = `<base>/objects` as Herald lays it out. */
export interface TestStore {
  store: LocalDiskStore;
  base: string;
  root: string;
  cleanup(): Promise<void>;
}

export async function makeStore(options: Partial<LocalDiskStoreOptions> = {}): Promise<TestStore> {
  const base = await mkdtemp(path.join(os.tmpdir(), "herald-store-"));
  const root = path.join(base, "objects");
  const store = new LocalDiskStore({ root, ...options });
  return {
    store,
    base,
    root,
    async cleanup() {
      await store.close();
      await rm(base, { recursive: true, force: true });
    },
  };
}

export function body(content: string | Buffer): Readable {
  return Readable.from([typeof content === "string" ? Buffer.from(content, "utf8") : content]);
}

/** A body that arrives in `chunks` pieces, yielding to the event loop between them, like a socket. */
export function slowBody(content: Buffer, chunks: number, gate?: Promise<void>): Readable {
  const size = Math.ceil(content.length / chunks);
  return Readable.from(
    (async function* () {
      for (let offset = 0; offset < content.length; offset += size) {
        if (offset > 0 && gate !== undefined) await gate;
        await new Promise((resolve) => setImmediate(resolve));
        yield content.subarray(offset, offset + size);
      }
    })(),
  );
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function md5Hex(content: string | Buffer): string {
  return createHash("md5").update(content).digest("hex");
}

export function md5Base64(content: string | Buffer): string {
  return createHash("md5").update(content).digest("base64");
}

export async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected AppError ${code}`).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe(code);
  return caught as AppError;
}

/** Every file under `dir`, relative to it. */
export async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}
