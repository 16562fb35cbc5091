import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeTrailer, readTrailer, type ObjectTrailer } from "./object-file.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "herald-object-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const trailer: ObjectTrailer = {
  kind: "object",
  id: "id-1",
  key: "line\nbreak ü",
  size: 4,
  eTag: '"abc"',
  contentType: "text/plain",
  metadata: { note: "a\r\nb" },
  lastModified: 1,
  tags: {},
};

async function read(file: string) {
  const handle = await open(file, "r");
  try {
    return await readTrailer(handle, "object", file);
  } finally {
    await handle.close();
  }
}

describe("stored object files", () => {
  it("end with a trailer that is one line of valid UTF-8 text, and read back", async () => {
    const encoded = encodeTrailer(trailer);
    expect(encoded.includes(0x0a)).toBe(false);
    expect(encoded.includes(0x0d)).toBe(false);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(encoded)).not.toThrow();
    const file = path.join(dir, "v2");
    writeFileSync(file, Buffer.concat([Buffer.from("body"), encoded]));
    expect(await read(file)).toEqual(trailer);
  });

  it("still read files written with the first footer (binary length, HRL1)", async () => {
    const json = Buffer.from(JSON.stringify(trailer));
    const footer = Buffer.alloc(8);
    footer.writeUInt32BE(json.length, 0);
    footer.write("HRL1", 4, "latin1");
    const file = path.join(dir, "v1");
    writeFileSync(file, Buffer.concat([Buffer.from("body"), json, footer]));
    expect(await read(file)).toEqual(trailer);
  });

  it("refuse a file whose footer is neither", async () => {
    const file = path.join(dir, "bad");
    writeFileSync(file, Buffer.from("body and no footer at all"));
    await expect(read(file)).rejects.toMatchObject({ code: "InternalError" });
  });
});
