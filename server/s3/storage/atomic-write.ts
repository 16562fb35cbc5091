import { Buffer } from "node:buffer";
import { createHash, randomBytes } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { open, rename, unlink } from "node:fs/promises";
import path from "node:path";
import { AppError, isAppError } from "../../errors/app-error.ts";
import { isNotFound, mapWriteError } from "./fs-errors.ts";

/**
 * Every write goes to a fresh file in <root>/.tmp (same file system as its
 * destination, so the final rename is atomic), is fsynced, and only then
 * renamed over its destination: readers and concurrent writers see the old
 * file or the new one, never a mix, and a crash leaves only a temp file that
 * the next start sweeps (see temp-files.ts).
 */

/** Writes are batched to about this size: sockets deliver 16-64 KiB chunks, and one syscall per chunk is slow. */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** A concurrent delete may prune the directory between our mkdir and our rename; retrying a few times wins that race. */
const RENAME_ATTEMPTS = 5;

export interface BodyCheck {
  /** Content-MD5 as sent (base64). */
  contentMd5?: string | undefined;
  /** Declared length. */
  size?: number | undefined;
}

export interface WrittenBody {
  size: number;
  md5: Buffer;
}

/** InvalidDigest unless `value` is base64 of exactly 16 bytes. */
export function parseContentMd5(value: string | undefined): Buffer | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  // Buffer.from ignores junk in base64, so check the shape first or "not-md5" would decode to something.
  if (!/^[A-Za-z0-9+/]{22}==$/.test(trimmed)) {
    throw new AppError("InvalidDigest", "The Content-MD5 you specified is not valid", { details: { contentMd5: value } });
  }
  return Buffer.from(trimmed, "base64");
}

export function quoteETag(md5Hex: string): string {
  return `"${md5Hex}"`;
}

/** ETags arrive quoted or not (and some clients send &quot;); compare them bare. */
export function bareETag(eTag: string): string {
  return eTag.replaceAll("&quot;", "").replace(/^"+|"+$/g, "").trim();
}

export class TempFile {
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  static async create(tmpDir: string): Promise<TempFile> {
    const tempPath = path.join(tmpDir, `${randomBytes(16).toString("hex")}.tmp`);
    try {
      return new TempFile(tempPath, await open(tempPath, "wx", 0o644));
    } catch (error) {
      throw mapWriteError(error);
    }
  }

  /**
   * Streams `body` into the file, hashing and counting as it goes, and checks
   * it against what the client declared. Nothing is buffered beyond one batch.
   */
  async writeBody(body: AsyncIterable<unknown>, check: BodyCheck = {}): Promise<WrittenBody> {
    const expectedMd5 = parseContentMd5(check.contentMd5);
    const hash = createHash("md5");
    let size = 0;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    const flush = async (): Promise<void> => {
      if (batchBytes === 0) return;
      const data = batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch, batchBytes);
      batch = [];
      batchBytes = 0;
      await this.writeAll(data);
    };
    const iterator = body[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await iterator.next();
      } catch (error) {
        // The body failed (client went away, or a verifying stream upstream refused it): our own
        // errors pass through, anything else means the body did not arrive whole.
        throw isAppError(error) ? error : new AppError("IncompleteBody", "The request body ended before it was complete", { cause: error });
      }
      if (next.done === true) break;
      const chunk = toBuffer(next.value);
      size += chunk.length;
      if (check.size !== undefined && size > check.size) {
        await iterator.return?.();
        throw incompleteBody(check.size, `more than ${check.size}`);
      }
      hash.update(chunk);
      batch.push(chunk);
      batchBytes += chunk.length;
      if (batchBytes >= WRITE_BATCH_BYTES) await flush();
    }
    await flush();
    if (check.size !== undefined && size !== check.size) throw incompleteBody(check.size, String(size));
    const md5 = hash.digest();
    if (expectedMd5 !== undefined && !md5.equals(expectedMd5)) {
      throw new AppError("BadDigest", "The Content-MD5 you specified did not match what we received", {
        details: { expected: expectedMd5.toString("base64"), calculated: md5.toString("base64") },
      });
    }
    return { size, md5 };
  }

  async append(data: Buffer): Promise<void> {
    await this.writeAll(data);
  }

  /**
   * fsyncs, closes and renames over `target`. `prepare` (creating the
   * target's directories) runs when the rename finds no directory; an ENOENT
   * it throws (the bucket or upload is gone) reaches the caller.
   */
  async commit(target: string, prepare?: () => Promise<void>): Promise<void> {
    try {
      await this.handle.sync();
      await this.close();
      for (let attempt = 1; ; attempt++) {
        try {
          await rename(this.path, target);
          break;
        } catch (error) {
          if (!isNotFound(error) || prepare === undefined || attempt >= RENAME_ATTEMPTS) throw error;
          await prepare();
        }
      }
    } catch (error) {
      await this.discard();
      throw mapWriteError(error);
    }
    await syncDirectory(path.dirname(target));
  }

  /** Removes the temp file; safe to call after commit or twice. */
  async discard(): Promise<void> {
    await this.close().catch(() => undefined);
    await unlink(this.path).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  private async writeAll(data: Buffer): Promise<void> {
    let offset = 0;
    try {
      while (offset < data.length) {
        const { bytesWritten } = await this.handle.write(data, offset, data.length - offset);
        offset += bytesWritten;
      }
    } catch (error) {
      throw mapWriteError(error);
    }
  }
}

/** Makes a rename durable; best effort, since some platforms cannot fsync a directory. */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // A lost fsync of a directory costs durability of the latest rename on power loss, not correctness.
  }
}

function toBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  throw new AppError("InternalError", "Object bodies must stream bytes");
}

function incompleteBody(declared: number, received: string): AppError {
  return new AppError("IncompleteBody", `The request body was ${received} bytes, not the declared ${declared}`, {
    details: { declared },
  });
}

/** writeFile plus fsync, for small files that are renamed into place as part of a directory. */
export async function writeFileDurably(filePath: string, data: string): Promise<void> {
  const handle = await open(filePath, "wx", 0o644);
  try {
    await handle.writeFile(data, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}
