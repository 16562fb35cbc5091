import { describe, expect, it } from "vitest";
import { isAppError } from "../../../errors/app-error.ts";
import { csvRecords } from "./csv-records.ts";
import type { CsvInput } from "./input-options.ts";
import { newScanStats } from "./scan-range.ts";
import { bytesStream, collect, rejection } from "./test-streams.ts";

async function rows(text: string, options: CsvInput, chunkSize = 7) {
  return collect(csvRecords(bytesStream(text, chunkSize), options));
}
async function fields(text: string, options: CsvInput, chunkSize = 7) {
  return (await rows(text, options, chunkSize)).map((row) => row.fields);
}

describe("csvRecords", () => {
  it("reads plain records with the AWS defaults", async () => {
    expect(await fields("a,b,c\n1,2,3\n", {})).toEqual([
      ["a", "b", "c"],
      ["1", "2", "3"],
    ]);
    // no trailing delimiter; empty fields kept; empty lines skipped
    expect(await fields("1,,3\n\n4,5,", {})).toEqual([
      ["1", "", "3"],
      ["4", "5", ""],
    ]);
  });

  it("honours header modes", async () => {
    const text = "id,name\n1,alice\n2,bob\n";
    const none = await rows(text, { FileHeaderInfo: "NONE" });
    expect(none.map((r) => r.fields)).toEqual([["id", "name"], ["1", "alice"], ["2", "bob"]]);
    expect(none[0]?.header).toBeUndefined();

    const use = await rows(text, { FileHeaderInfo: "USE" });
    expect(use).toEqual([
      { fields: ["1", "alice"], header: ["id", "name"] },
      { fields: ["2", "bob"], header: ["id", "name"] },
    ]);

    const ignore = await rows(text, { FileHeaderInfo: "IGNORE" });
    expect(ignore).toEqual([
      { fields: ["1", "alice"], header: undefined },
      { fields: ["2", "bob"], header: undefined },
    ]);
  });

  it("uses custom field and multi-character record delimiters", async () => {
    const text = "a|b|c\r\n1|2|3\r\n4|5|6";
    for (const chunkSize of [1, 2, 3, 100]) {
      expect(await fields(text, { FieldDelimiter: "|", RecordDelimiter: "\r\n" }, chunkSize)).toEqual([
        ["a", "b", "c"],
        ["1", "2", "3"],
        ["4", "5", "6"],
      ]);
    }
    expect(await fields("1\t2;3\t4;", { FieldDelimiter: "\t", RecordDelimiter: ";" })).toEqual([
      ["1", "2"],
      ["3", "4"],
    ]);
  });

  it("parses quoted fields with escaped quotes", async () => {
    expect(await fields('"a,b","say ""hi""",plain\n"",x\n', {})).toEqual([
      ["a,b", 'say "hi"', "plain"],
      ["", "x"],
    ]);
    // custom quote and escape characters
    expect(await fields("'it\\'s',2\n", { QuoteCharacter: "'", QuoteEscapeCharacter: "\\" })).toEqual([["it's", "2"]]);
    expect(await fields("'a\\\\b','c'\n", { QuoteCharacter: "'", QuoteEscapeCharacter: "\\" })).toEqual([["a\\b", "c"]]);
  });

  it("splits at quoted record delimiters unless AllowQuotedRecordDelimiter", async () => {
    const text = 'id,text\n1,"line one\nline two"\n2,x\n';
    expect(await fields(text, { AllowQuotedRecordDelimiter: true })).toEqual([
      ["id", "text"],
      ["1", "line one\nline two"],
      ["2", "x"],
    ]);
    expect(await fields(text, { AllowQuotedRecordDelimiter: false })).toEqual([
      ["id", "text"],
      ["1", "line one"],
      ['line two"'],
      ["2", "x"],
    ]);
    expect(
      await fields('1;"a;b"|2;"c""d"|', {
        AllowQuotedRecordDelimiter: true,
        FieldDelimiter: ";",
        RecordDelimiter: "|",
      }),
    ).toEqual([
      ["1", "a;b"],
      ["2", 'c"d'],
    ]);
  });

  it("skips comment lines in both modes", async () => {
    const text = "#comment,here\n1,2\n#another\n3,#4\n";
    for (const allow of [false, true]) {
      expect(await fields(text, { Comments: "#", AllowQuotedRecordDelimiter: allow })).toEqual([
        ["1", "2"],
        ["3", "#4"],
      ]);
    }
    expect(await fields("h1,h2\n%skip\n1,2\n", { Comments: "%", FileHeaderInfo: "USE" })).toEqual([["1", "2"]]);
  });

  it("handles multi-byte UTF-8 split across chunks", async () => {
    expect(await fields("é,日本\nü,x\n", {}, 1)).toEqual([
      ["é", "日本"],
      ["ü", "x"],
    ]);
  });

  it("fails a record over 1 MiB with OverMaxRecordSize", async () => {
    const big = "x".repeat(1024 * 1024 + 10);
    for (const allow of [false, true]) {
      const error = await rejection(
        collect(csvRecords(bytesStream(`a,b\n1,${big}\n2,3\n`, 64 * 1024), { AllowQuotedRecordDelimiter: allow })),
      );
      expect(isAppError(error) && error.code).toBe("OverMaxRecordSize");
    }
    // without any delimiter at all
    const error = await rejection(collect(csvRecords(bytesStream(big, 64 * 1024), {})));
    expect(isAppError(error) && error.code).toBe("OverMaxRecordSize");
  });

  it("accepts a record just under 1 MiB", async () => {
    const field = "y".repeat(1024 * 1024 - 10);
    const out = await fields(`${field}\n1\n`, {}, 64 * 1024);
    expect(out.length).toBe(2);
    expect(out[0]?.[0]?.length).toBe(field.length);
  });

  it("applies a ScanRange: records starting in [Start, End] only", async () => {
    // offsets:   0   4   8   12
    const text = "a,1\nb,2\nc,3\nd,4\n";
    const scan = async (start: number | undefined, end: number | undefined, options: CsvInput = {}) =>
      (await collect(csvRecords(bytesStream(text, 3), options, { start, end }))).map((r) => r.fields[0]);
    expect(await scan(0, 0)).toEqual(["a"]);
    expect(await scan(1, 4)).toEqual(["b"]); // partial first record skipped
    expect(await scan(4, 4)).toEqual(["b"]); // starts exactly at Start
    expect(await scan(5, 9)).toEqual(["c"]); // c starts at 8, finished past End
    expect(await scan(3, 8)).toEqual(["b", "c"]);
    expect(await scan(13, undefined)).toEqual([]);
    expect(await scan(6, undefined)).toEqual(["c", "d"]);
    expect(await scan(0, 100)).toEqual(["a", "b", "c", "d"]);
    // header is still taken from the start of the object
    const withHeader = await collect(csvRecords(bytesStream(text, 3), { FileHeaderInfo: "USE" }, { start: 6, end: 8 }));
    expect(withHeader).toEqual([{ fields: ["c", "3"], header: ["a", "1"] }]);
  });

  it("applies a ScanRange with a two-byte record delimiter", async () => {
    // offsets:   0     5     10
    const text = "a,1\r\nb,2\r\nc,3\r\n";
    const scan = async (start: number, end: number) =>
      (await collect(csvRecords(bytesStream(text, 2), { RecordDelimiter: "\r\n" }, { start, end }))).map((r) => r.fields);
    expect(await scan(4, 5)).toEqual([["b", "2"]]); // Start inside the delimiter
    expect(await scan(5, 9)).toEqual([["b", "2"]]);
    expect(await scan(1, 10)).toEqual([["b", "2"], ["c", "3"]]);
  });

  it("reports the bytes scanned and stops reading after the range", async () => {
    const text = "a,1\nb,2\n" + "z,9\n".repeat(10_000);
    const stats = newScanStats();
    const out = await collect(csvRecords(bytesStream(text, 16), {}, { start: 0, end: 5 }, stats));
    expect(out.map((r) => r.fields)).toEqual([["a", "1"], ["b", "2"]]);
    expect(stats.bytesScanned).toBeLessThan(64);

    const all = newScanStats();
    await collect(csvRecords(bytesStream(text, 1000), {}, undefined, all));
    expect(all.bytesScanned).toBe(Buffer.byteLength(text));
  });

  it("rejects ScanRange with AllowQuotedRecordDelimiter", async () => {
    const error = await rejection(
      collect(csvRecords(bytesStream("a\nb\n"), { AllowQuotedRecordDelimiter: true }, { start: 2 })),
    );
    expect(isAppError(error) && error.code).toBe("InvalidArgument");
  });
});
