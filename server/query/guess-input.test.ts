import { describe, expect, it } from "vitest";
import { guessInput } from "./guess-input.ts";

describe("guessInput", () => {
  it.each([
    ["data/orders.csv", { CSV: { FileHeaderInfo: "USE" }, CompressionType: "NONE" }],
    ["data/orders.TSV", { CSV: { FileHeaderInfo: "USE", FieldDelimiter: "\t" }, CompressionType: "NONE" }],
    ["logs/2026.jsonl", { JSON: { Type: "LINES" }, CompressionType: "NONE" }],
    ["logs/2026.ndjson.gz", { JSON: { Type: "LINES" }, CompressionType: "GZIP" }],
    ["config.json", { JSON: { Type: "DOCUMENT" }, CompressionType: "NONE" }],
    ["big.csv.bz2", { CSV: { FileHeaderInfo: "USE" }, CompressionType: "BZIP2" }],
    ["table.parquet", { Parquet: {} }],
  ])("guesses %s from its key", (key, expected) => {
    expect(guessInput(key)).toEqual(expected);
  });

  it("falls back to the content type, then to CSV with a header", () => {
    expect(guessInput("export", "application/x-ndjson")).toEqual({ JSON: { Type: "LINES" }, CompressionType: "NONE" });
    expect(guessInput("export", "application/json")).toEqual({ JSON: { Type: "DOCUMENT" }, CompressionType: "NONE" });
    expect(guessInput("export.gz", "text/tab-separated-values")).toEqual({ CSV: { FileHeaderInfo: "USE", FieldDelimiter: "\t" }, CompressionType: "GZIP" });
    expect(guessInput("README")).toEqual({ CSV: { FileHeaderInfo: "USE" }, CompressionType: "NONE" });
  });
});
