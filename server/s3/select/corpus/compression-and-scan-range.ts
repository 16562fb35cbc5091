/**
 * CompressionType GZIP and BZIP2 for CSV and JSON, and ScanRange for CSV and JSON
 * LINES.
 *
 * From the AWS API reference for InputSerialization ("CompressionType: NONE | GZIP |
 * BZIP2") and ScanRange ("Start: ... End: ... If only End is supplied, it means scan
 * the last N bytes of the file"; "records that start within the scan range are
 * processed"; "ScanRange may be used ... for CSV and JSON (only in LINES mode)" on
 * uncompressed objects). A record that starts inside the range is read to its end.
 * InvalidCompressionFormat is AWS's code for data that is not in the declared
 * compression format. ScanRange with compression / JSON DOCUMENT is InvalidArgument in
 * Herald (AWS documents it as unsupported, without a code).
 */
import { BZIP2_FIXTURES } from "./bzip2-fixtures.ts";
import { gzipSync } from "node:zlib";
import { CSV_IN, CSV_OUT, CSV_USE, JSON_DOC, JSON_LINES, JSON_OUT, lines, type CorpusCase } from "./case.ts";

const CSV_TEXT = "Name,City\nSam,Irvine\nJane,Chicago\nKate,Chicago\n";
const LINES_TEXT = '{"name":"Susan","n":1}\n{"name":"Mary","n":2}\n';
/** Ten CSV records of 5 bytes each ("r0,0\n"): they start at offsets 0, 5, 10, ... */
const TEN = Array.from({ length: 10 }, (_, i) => `r${i},${i}\n`).join("");
const TEN_LINES = Array.from({ length: 5 }, (_, i) => `{"i":${i}}\n`).join(""); // 8 bytes each

export const compressionAndScanRangeCases: CorpusCase[] = [
  {
    name: "GZIP CSV",
    expression: "SELECT s.Name FROM S3Object s WHERE s.City = 'Chicago'",
    input: { CSV: { FileHeaderInfo: "USE" }, CompressionType: "GZIP" },
    output: CSV_OUT,
    data: gzipSync(CSV_TEXT),
    expect: { records: lines("Jane", "Kate") },
  },
  {
    name: "GZIP JSON LINES",
    expression: "SELECT s.name FROM S3Object s WHERE s.n = 2",
    input: { JSON: { Type: "LINES" }, CompressionType: "GZIP" },
    output: JSON_OUT,
    data: gzipSync(LINES_TEXT),
    expect: { records: '{"name":"Mary"}\n' },
  },
  {
    name: "GZIP JSON DOCUMENT",
    expression: "SELECT i FROM S3Object[*].items[*] i",
    input: { JSON: { Type: "DOCUMENT" }, CompressionType: "GZIP" },
    output: CSV_OUT,
    data: gzipSync('{"items":[1,2]}'),
    expect: { records: lines("1", "2") },
  },
  {
    name: "BZIP2 CSV",
    expression: "SELECT COUNT(*) FROM S3Object s WHERE s.City = 'Chicago'",
    input: { CSV: { FileHeaderInfo: "USE" }, CompressionType: "BZIP2" },
    output: CSV_OUT,
    data: BZIP2_FIXTURES.csv,
    expect: { records: lines("2") },
  },
  {
    name: "BZIP2 JSON LINES",
    expression: "SELECT s.name FROM S3Object s",
    input: { JSON: { Type: "LINES" }, CompressionType: "BZIP2" },
    output: CSV_OUT,
    data: BZIP2_FIXTURES.lines,
    expect: { records: lines("Susan", "Mary") },
  },
  {
    name: "CompressionType NONE explicitly",
    expression: "SELECT s.Name FROM S3Object s LIMIT 1",
    input: { CSV: { FileHeaderInfo: "USE" }, CompressionType: "NONE" },
    output: CSV_OUT,
    data: CSV_TEXT,
    expect: { records: lines("Sam") },
  },
  {
    name: "GZIP declared on uncompressed data",
    expression: "SELECT * FROM S3Object",
    input: { CSV: {}, CompressionType: "GZIP" },
    output: CSV_OUT,
    data: CSV_TEXT,
    expect: { error: { code: "InvalidCompressionFormat" } },
  },
  {
    name: "BZIP2 declared on GZIP data",
    expression: "SELECT * FROM S3Object",
    input: { JSON: { Type: "LINES" }, CompressionType: "BZIP2" },
    output: JSON_OUT,
    data: gzipSync(LINES_TEXT),
    expect: { error: { code: "InvalidCompressionFormat" } },
  },
  {
    name: "a CompressionType other than NONE, GZIP or BZIP2 is refused, even over BZIP2 data",
    expression: "SELECT s.Name FROM S3Object s",
    input: { CSV: { FileHeaderInfo: "USE" }, CompressionType: "ZIP" as "BZIP2" },
    output: CSV_OUT,
    data: BZIP2_FIXTURES.csv,
    expect: { error: { code: "InvalidCompressionFormat" } },
  },
  {
    name: "CompressionType is case-sensitive: bzip2 is not BZIP2",
    expression: "SELECT s.name FROM S3Object s",
    input: { JSON: { Type: "LINES" }, CompressionType: "bzip2" as "BZIP2" },
    output: CSV_OUT,
    data: BZIP2_FIXTURES.lines,
    expect: { error: { code: "InvalidCompressionFormat" } },
  },
  {
    name: "ScanRange: records that start in [Start, End]",
    expression: "SELECT _1 FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: TEN,
    scanRange: { start: 10, end: 20 },
    expect: { records: lines("r2", "r3", "r4") },
  },
  {
    name: "ScanRange: a record starting inside is read past End",
    expression: "SELECT _2 FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: TEN,
    scanRange: { start: 0, end: 1 },
    expect: { records: lines("0") },
  },
  {
    name: "ScanRange: a record that started before Start is skipped",
    expression: "SELECT _1 FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: TEN,
    scanRange: { start: 12, end: 16 },
    expect: { records: lines("r3") },
  },
  {
    name: "ScanRange: Start only reads to the end",
    expression: "SELECT _1 FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: TEN,
    scanRange: { start: 40 },
    expect: { records: lines("r8", "r9") },
  },
  {
    name: "ScanRange: End only means the last End bytes",
    expression: "SELECT _1 FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: TEN,
    scanRange: { end: 10 },
    expect: { records: lines("r8", "r9") },
  },
  {
    name: "ScanRange with a CSV header: the header still names columns",
    expression: "SELECT s.Name FROM S3Object s",
    input: CSV_USE,
    output: CSV_OUT,
    data: CSV_TEXT,
    scanRange: { start: CSV_TEXT.indexOf("Jane"), end: CSV_TEXT.indexOf("Jane") + 1 },
    expect: { records: lines("Jane") },
  },
  {
    name: "ScanRange: JSON LINES",
    expression: "SELECT s.i FROM S3Object s",
    input: JSON_LINES,
    output: CSV_OUT,
    data: TEN_LINES,
    scanRange: { start: 8, end: 23 },
    expect: { records: lines("1", "2") },
  },
  {
    name: "ScanRange beyond the records gives nothing",
    expression: "SELECT * FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: TEN,
    scanRange: { start: 49, end: 100 },
    expect: { records: "" },
  },
  {
    name: "ScanRange with WHERE and LIMIT",
    expression: "SELECT _1 FROM S3Object WHERE CAST(_2 AS INT) % 2 = 1 LIMIT 2",
    input: CSV_IN,
    output: CSV_OUT,
    data: TEN,
    scanRange: { start: 10 },
    expect: { records: lines("r3", "r5") },
  },
  {
    name: "ScanRange on compressed input is refused",
    expression: "SELECT * FROM S3Object",
    input: { CSV: {}, CompressionType: "GZIP" },
    output: CSV_OUT,
    data: gzipSync(TEN),
    scanRange: { start: 0, end: 10 },
    expect: { error: { code: "InvalidArgument" } },
  },
  {
    name: "ScanRange on JSON DOCUMENT is refused",
    expression: "SELECT * FROM S3Object",
    input: JSON_DOC,
    output: JSON_OUT,
    data: '{"a":1}',
    scanRange: { start: 1, end: 5 },
    expect: { error: { code: "InvalidArgument" } },
  },
];
