import { randomBytes } from "node:crypto";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canMapFiles, mappedReadStream } from "./mapped-read-stream.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "herald-mapped-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PAGE = 4096;
// Two and a half small windows, so reads cross window boundaries and end part-way through one.
const content = randomBytes(PAGE * 4 * 2 + PAGE * 2 + 123);
const file = path.join(dir, "object.bin");
writeFileSync(file, content);
const small = { windowBytes: PAGE * 4, chunkBytes: 5000 };

async function collect(stream: NodeJS.ReadableStream): Promise<{ bytes: Buffer; chunks: number[] }> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return { bytes: Buffer.concat(parts), chunks: parts.map((part) => part.length) };
}

describe("mappedReadStream", () => {
  it("is available here: the native addon builds on install", () => {
    expect(canMapFiles()).toBe(true);
  });

  it("streams the whole file across windows, in chunks no larger than asked", async () => {
    const handle = await open(file, "r");
    const stream = mappedReadStream(handle, 0, content.length - 1, small)!;
    const { bytes, chunks } = await collect(stream);
    expect(bytes.equals(content)).toBe(true);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(5000);
    // Closed when the stream ended: a closed FileHandle has fd -1.
    expect(handle.fd).toBe(-1);
  });

  it.each([
    [1, 2],
    [PAGE - 1, PAGE],
    [PAGE * 4 - 7, PAGE * 4 + 9],
    [5, content.length - 1],
    [PAGE * 9 + 1, content.length - 2],
    [content.length - 1, content.length - 1],
  ])("streams bytes %i..%i exactly, from unaligned offsets", async (start, end) => {
    const handle = await open(file, "r");
    const { bytes } = await collect(mappedReadStream(handle, start, end, small)!);
    expect(bytes.equals(content.subarray(start, end + 1))).toBe(true);
  });

  it("keeps serving the version it mapped after the file is replaced", async () => {
    const replaced = path.join(dir, "replaced.bin");
    writeFileSync(replaced, content);
    const handle = await open(replaced, "r");
    const stream = mappedReadStream(handle, 0, content.length - 1, small)!;
    // Objects are published by rename: the old inode lives on under the reader.
    writeFileSync(path.join(dir, "next.bin"), Buffer.alloc(10, 1));
    renameSync(path.join(dir, "next.bin"), replaced);
    const { bytes } = await collect(stream);
    expect(bytes.equals(content)).toBe(true);
  });

  it("hands chunks over on later turns of the event loop, so a consumer that only computes lets timers run", async () => {
    const handle = await open(file, "r");
    const stream = mappedReadStream(handle, 0, content.length - 1, small)!;
    let chunks = 0;
    let chunksWhenTimerRan = -1;
    setImmediate(() => (chunksWhenTimerRan = chunks));
    for await (const _chunk of stream) chunks++;
    expect(chunks).toBeGreaterThan(5);
    expect(chunksWhenTimerRan).toBeGreaterThanOrEqual(0);
    expect(chunksWhenTimerRan).toBeLessThan(chunks);
  });

  it("closes the file when destroyed part-way", async () => {
    const handle = await open(file, "r");
    const stream = mappedReadStream(handle, 0, content.length - 1, small)!;
    await new Promise<void>((resolve) => stream.once("readable", () => resolve()));
    stream.read();
    stream.destroy();
    await new Promise((resolve) => stream.once("close", resolve));
    expect(handle.fd).toBe(-1);
  });

  it("declines what it cannot map, so the caller reads the ordinary way", async () => {
    const handle = await open(dir, "r");
    try {
      // A directory cannot be mapped.
      expect(mappedReadStream(handle, 0, PAGE - 1, small)).toBeUndefined();
      // An empty range is not a mapping either.
      expect(mappedReadStream(handle, 10, 9, small)).toBeUndefined();
    } finally {
      await handle.close();
    }
  });
});
