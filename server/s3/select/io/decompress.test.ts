import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { isAppError } from "../../../errors/app-error.ts";
import { csvRecords } from "./csv-records.ts";
import { decompress } from "./decompress.ts";
import { jsonRecords } from "./json-records.ts";
import { bytesStream, collect, rejection } from "./test-streams.ts";

/** `printf 'id,name\n1,alice\n2,"bob, jr"\n' | bzip2 -c | base64` */
const CSV_BZ2 =
  "QlpoOTFBWSZTWX9R0sIAAArZgAAQUAQwAD43kAAgACIgD0QxqFNMjExMRkvg1UDgTMlXQwREozn4u5IpwoSD+o6WEA==";
/** `printf '{"a":1}\n{"a":2}\n' | bzip2 -c | base64` */
const LINES_BZ2 = "QlpoOTFBWSZTWSKd4ukAAAZZgAAQEAAwECAAAAogADEMCBKAeonCJoaL4u5IpwoSBFO8XSA=";

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(parts).toString("utf8");
}

describe("decompress", () => {
  it("passes NONE through", async () => {
    expect(await text(decompress(bytesStream("plain"), "NONE"))).toBe("plain");
  });

  it("gunzips, including multi-member gzip, feeding csvRecords", async () => {
    const gz = Buffer.concat([gzipSync("id,name\n1,alice\n"), gzipSync("2,bob\n")]);
    const rows = await collect(csvRecords(decompress(bytesStream(gz, 5), "GZIP"), { FileHeaderInfo: "USE" }));
    expect(rows).toEqual([
      { fields: ["1", "alice"], header: ["id", "name"] },
      { fields: ["2", "bob"], header: ["id", "name"] },
    ]);
  });

  it("gunzips a large input", async () => {
    const body = "k,v\n".repeat(200_000);
    expect(await text(decompress(bytesStream(gzipSync(body), 64 * 1024), "GZIP"))).toBe(body);
  });

  it("bunzips", async () => {
    const rows = await collect(csvRecords(decompress(bytesStream(Buffer.from(CSV_BZ2, "base64"), 9), "BZIP2"), {}));
    expect(rows.map((r) => r.fields)).toEqual([["id", "name"], ["1", "alice"], ["2", "bob, jr"]]);
    const values = await collect(jsonRecords(decompress(bytesStream(Buffer.from(LINES_BZ2, "base64")), "BZIP2"), "LINES"));
    expect(values).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("fails invalid gzip with InvalidCompressionFormat", async () => {
    for (const bad of [Buffer.from("not gzip at all\n"), gzipSync("a,b\n".repeat(1000)).subarray(0, 40)]) {
      const error = await rejection(collect(csvRecords(decompress(bytesStream(bad), "GZIP"), {})));
      expect(isAppError(error) && error.code).toBe("InvalidCompressionFormat");
    }
  });

  it("fails invalid bzip2 with InvalidCompressionFormat", async () => {
    const error = await rejection(text(decompress(bytesStream("definitely not bzip2 data"), "BZIP2")));
    expect(isAppError(error) && error.code).toBe("InvalidCompressionFormat");
  });

  it("passes errors of the source through unchanged", async () => {
    const source = bytesStream(gzipSync("a\n"));
    const out = decompress(source, "GZIP");
    source.destroy(new Error("network down"));
    const error = await rejection(text(out));
    expect((error as Error).message).toBe("network down");
  });
});
