import { describe, expect, it } from "vitest";
import { isAppError } from "../../../errors/app-error.ts";
import { jsonRecords } from "./json-records.ts";
import { newScanStats } from "./scan-range.ts";
import { bytesStream, collect, rejection } from "./test-streams.ts";

describe("jsonRecords LINES", () => {
  it("reads one value per line, skipping blank lines and tolerating CRLF", async () => {
    const text = '{"a":1,"b":{"c":[1,2]}}\n\n  {"a":2}  \r\n[1,2]\n"s"\n{"a":3}';
    for (const chunkSize of [1, 5, 1000]) {
      expect(await collect(jsonRecords(bytesStream(text, chunkSize), "LINES"))).toEqual([
        { a: 1, b: { c: [1, 2] } },
        { a: 2 },
        [1, 2],
        "s",
        { a: 3 },
      ]);
    }
  });

  it("fails malformed lines with InvalidArgument / JSONParsingError", async () => {
    const error = await rejection(collect(jsonRecords(bytesStream('{"a":1}\n{"a":\n'), "LINES")));
    expect(isAppError(error) && error.code).toBe("InvalidArgument");
    expect(isAppError(error) && error.details).toMatchObject({ reason: "JSONParsingError", offset: 8 });
  });

  it("fails a line over 1 MiB with OverMaxRecordSize", async () => {
    const big = `{"a":"${"x".repeat(1024 * 1024)}"}\n`;
    const error = await rejection(collect(jsonRecords(bytesStream(`{"a":1}\n${big}`, 64 * 1024), "LINES")));
    expect(isAppError(error) && error.code).toBe("OverMaxRecordSize");
  });

  it("applies a ScanRange to lines", async () => {
    // offsets:    0        8        16       24
    const text = '{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n';
    const scan = async (start: number | undefined, end: number | undefined) =>
      (await collect(jsonRecords(bytesStream(text, 3), "LINES", { start, end }))).map((v) => (v as { n: number }).n);
    expect(await scan(0, 0)).toEqual([1]);
    expect(await scan(1, 8)).toEqual([2]);
    expect(await scan(8, 17)).toEqual([2, 3]);
    expect(await scan(9, undefined)).toEqual([3, 4]);
    expect(await scan(25, undefined)).toEqual([]);
    const stats = newScanStats();
    await collect(jsonRecords(bytesStream(text, 4), "LINES", { start: 0, end: 3 }, stats));
    expect(stats.bytesScanned).toBeLessThan(Buffer.byteLength(text));
  });
});

describe("jsonRecords DOCUMENT", () => {
  it("reads several top-level values with any whitespace between", async () => {
    const text = ' {"a":{"b":{"c":"}{"}},"d":[1,{"e":"\\"]"}]}\n\n{"a":2}{"a":3}\t[1,[2]] 42 true "x\\"y" null\n';
    for (const chunkSize of [1, 3, 1000]) {
      expect(await collect(jsonRecords(bytesStream(text, chunkSize), "DOCUMENT"))).toEqual([
        { a: { b: { c: "}{" } }, d: [1, { e: '"]' }] },
        { a: 2 },
        { a: 3 },
        [1, [2]],
        42,
        true,
        'x"y',
        null,
      ]);
    }
  });

  it("reads a pretty-printed document", async () => {
    const doc = JSON.stringify({ rows: [{ id: 1, tags: ["a", "b"] }, { id: 2, name: "é日本" }] }, null, 2);
    expect(await collect(jsonRecords(bytesStream(doc, 1), "DOCUMENT"))).toEqual([JSON.parse(doc)]);
  });

  it("yields nothing for empty or blank input", async () => {
    expect(await collect(jsonRecords(bytesStream(" \n\t "), "DOCUMENT"))).toEqual([]);
  });

  it("fails malformed or truncated documents with InvalidArgument", async () => {
    for (const text of ['{"a":1} {"a":}', '{"a":1} {"a":[1,2', '{"a":1},{"a":2}', "{\"a\":'x'}"]) {
      const error = await rejection(collect(jsonRecords(bytesStream(text), "DOCUMENT")));
      expect(isAppError(error) && error.code, text).toBe("InvalidArgument");
      expect(isAppError(error) && error.details, text).toMatchObject({ reason: "JSONParsingError" });
    }
  });

  it("fails a value over 1 MiB with OverMaxRecordSize", async () => {
    const big = JSON.stringify({ a: Array.from({ length: 200_000 }, (_, i) => i) });
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const error = await rejection(collect(jsonRecords(bytesStream(`{"ok":1}${big}`, 64 * 1024), "DOCUMENT")));
    expect(isAppError(error) && error.code).toBe("OverMaxRecordSize");
  });

  it("rejects a ScanRange", async () => {
    const error = await rejection(collect(jsonRecords(bytesStream("{}"), "DOCUMENT", { start: 1 })));
    expect(isAppError(error) && error.code).toBe("InvalidArgument");
  });
});
