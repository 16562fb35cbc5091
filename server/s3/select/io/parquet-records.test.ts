import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetMetadata } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../../../errors/app-error.ts";
import { Timestamp, type ValueObject } from "../eval/values.ts";
import type { SelectObject } from "../select-object.ts";
import { parquetRecords } from "./parquet-records.ts";
import { newScanStats, type ScanRange } from "./scan-range.ts";
import { collect, rejection } from "./test-streams.ts";

let dir: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parquet-records-"));
  duck = await DuckDBInstance.create(":memory:");
  db = await duck.connect();
});

afterAll(() => {
  db.closeSync();
  duck.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes `select` to a Parquet file with DuckDB (an independent writer) and returns its path. */
async function writeParquet(name: string, select: string, options = "COMPRESSION snappy"): Promise<string> {
  const path = join(dir, `${name}.parquet`);
  await db.run(`COPY (${select}) TO '${path}' (FORMAT parquet, ${options})`);
  return path;
}

/** A file as a SelectObject whose ranged opens are counted. */
function fileObject(path: string): SelectObject & { opens: number } {
  const object = {
    size: statSync(path).size,
    opens: 0,
    open(range?: { start: number; end: number }) {
      object.opens += 1;
      return Promise.resolve(createReadStream(path, range === undefined ? {} : { start: range.start, end: range.end }));
    },
  };
  return object;
}

/** Where each row group starts (its first column chunk's first page), read independently of the reader. */
function groupOffsets(path: string): { offset: number; rows: number }[] {
  const metadata = parquetMetadata(new Uint8Array(readFileSync(path)).buffer);
  return metadata.row_groups.map((group) => {
    const meta = group.columns[0]?.meta_data;
    const dictionary = Number(meta?.dictionary_page_offset ?? 0n);
    return { offset: dictionary > 0 ? dictionary : Number(meta?.data_page_offset), rows: Number(group.num_rows) };
  });
}

async function readAll(path: string, range?: ScanRange): Promise<{ records: ValueObject[]; scanned: number }> {
  const stats = newScanStats();
  const records = await collect(parquetRecords(fileObject(path), range, stats));
  return { records, scanned: stats.bytesScanned };
}

describe("parquetRecords: values", () => {
  it("maps Parquet types to the evaluator's values", async () => {
    const path = await writeParquet(
      "types",
      `SELECT 7::INTEGER AS i32, 9007199254740993::BIGINT AS i64, 3::TINYINT AS i8, 1.5::DOUBLE AS f64, 0.25::FLOAT AS f32,
        'héllo' AS text, true AS flag, NULL::INTEGER AS nothing,
        0.3::DECIMAL(10,1) AS dec1, 1.15::DECIMAL(10,2) AS dec2, 12345.678::DECIMAL(18,3) AS dec18, 1.5::DECIMAL(30,4) AS dec30,
        TIMESTAMP '2024-01-02 03:04:05.123456' AS ts_us, TIMESTAMP_MS '2024-01-02 03:04:05.120' AS ts_ms,
        TIMESTAMP_NS '1969-12-31 23:59:59.000000001' AS ts_ns, TIMESTAMP '2024-01-02 03:04:05' AS ts_whole,
        DATE '2024-03-01' AS day, TIME '12:34:56.5' AS tod,
        [1, 2, NULL] AS ints, [] :: VARCHAR[] AS empty, [[1], [2, 3]] AS nested,
        {'a': 1, 'b': 'x', 'c': {'d': 2.5}} AS st, NULL::STRUCT(a INTEGER) AS null_struct,
        MAP {'k1': 10, 'k2': 20} AS m, [{'n': 1}, {'n': 2}] AS structs,
        'abc'::BLOB AS text_blob, '\\xFF\\x00\\x01'::BLOB AS blob, '{"a": [1]}'::JSON AS doc`,
    );
    const { records } = await readAll(path);
    expect(records).toHaveLength(1);
    const r = records[0] as ValueObject;
    expect(r.i32).toBe(7n);
    expect(r.i64).toBe(9007199254740993n);
    expect(r.i8).toBe(3n);
    expect(r.f64).toBe(1.5);
    expect(r.f32).toBe(0.25);
    expect(r.text).toBe("héllo");
    expect(r.flag).toBe(true);
    expect(r.nothing).toBeNull();
    expect(r.dec1).toBe(0.3);
    expect(r.dec2).toBe(1.15);
    expect(r.dec18).toBe(12345.678);
    expect(r.dec30).toBe(1.5);
    expect(r.ts_us).toBeInstanceOf(Timestamp);
    expect(String(r.ts_us)).toBe("2024-01-02T03:04:05.123456Z");
    expect(String(r.ts_ms)).toBe("2024-01-02T03:04:05.12Z");
    expect(String(r.ts_ns)).toBe("1969-12-31T23:59:59.000000001Z");
    expect(String(r.ts_whole)).toBe("2024-01-02T03:04:05Z");
    expect(String(r.day)).toBe("2024-03-01T");
    expect(r.tod).toBe("12:34:56.5");
    expect(r.ints).toEqual([1n, 2n, null]);
    expect(r.empty).toEqual([]);
    expect(r.nested).toEqual([[1n], [2n, 3n]]);
    expect(r.st).toEqual({ a: 1n, b: "x", c: { d: 2.5 } });
    expect(r.null_struct).toBeNull();
    expect(r.m).toEqual({ k1: 10n, k2: 20n });
    expect(r.structs).toEqual([{ n: 1n }, { n: 2n }]);
    expect(r.text_blob).toBe("abc");
    expect(r.blob).toBe(Buffer.from([0xff, 0x00, 0x01]).toString("base64"));
    expect(r.doc).toBe('{"a": [1]}');
  });

  it("keeps column order and names, with nulls per row", async () => {
    const path = await writeParquet(
      "nulls",
      "SELECT i::INTEGER AS id, CASE WHEN i % 2 = 0 THEN 'even' END AS tag, CASE WHEN i = 1 THEN [i] END AS l FROM range(3) t(i)",
    );
    const { records } = await readAll(path);
    expect(records).toEqual([
      { id: 0n, tag: "even", l: null },
      { id: 1n, tag: null, l: [1n] },
      { id: 2n, tag: "even", l: null },
    ]);
    expect(Object.keys(records[0] as ValueObject)).toEqual(["id", "tag", "l"]);
  });
});

describe("parquetRecords: codecs and row groups", () => {
  const ROWS = 5000;
  const select = `SELECT i::INTEGER AS id, 'row-' || i AS name, i * 0.5 AS half FROM range(${ROWS}) t(i)`;

  it.each(["snappy", "gzip", "zstd", "brotli", "lz4_raw", "uncompressed"])(
    "reads every row of a %s file with several row groups, in order",
    async (codec) => {
      const path = await writeParquet(`codec-${codec}`, select, `COMPRESSION ${codec}, ROW_GROUP_SIZE 2048`);
      const metadata = parquetMetadata(new Uint8Array(readFileSync(path)).buffer);
      expect(metadata.row_groups.length).toBeGreaterThan(1);
      expect(metadata.row_groups[0]?.columns[0]?.meta_data?.codec).toBe(codec === "lz4_raw" ? "LZ4_RAW" : codec.toUpperCase());
      const { records, scanned } = await readAll(path);
      expect(records).toHaveLength(ROWS);
      records.forEach((record, i) => {
        if (record.id !== BigInt(i) || record.name !== `row-${i}` || record.half !== i * 0.5) {
          throw new Error(`row ${i} is ${JSON.stringify(record, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v))}`);
        }
      });
      // Every byte is read at least once; the footer fetch is not read again.
      expect(scanned).toBeGreaterThanOrEqual(statSync(path).size);
    },
  );

  it("reads a small file exactly once (the footer fetch covers it)", async () => {
    const path = await writeParquet("small", "SELECT 1 AS a");
    const object = fileObject(path);
    const stats = newScanStats();
    expect(await collect(parquetRecords(object, undefined, stats))).toEqual([{ a: 1n }]);
    expect(stats.bytesScanned).toBe(object.size);
    expect(object.opens).toBe(1);
  });

  it("reads one row group at a time, lazily", async () => {
    const path = await writeParquet(
      "lazy",
      "SELECT i::INTEGER AS id, 'row-' || i AS name, i * 0.5 AS half FROM range(200000) t(i)",
      "ROW_GROUP_SIZE 20480",
    );
    expect(groupOffsets(path).length).toBeGreaterThan(8);
    const object = fileObject(path);
    const stats = newScanStats();
    const iterator = parquetRecords(object, undefined, stats);
    const first = await iterator.next();
    expect(first.value).toEqual({ id: 0n, name: "row-0", half: 0 });
    const afterFirst = stats.bytesScanned;
    // Only the footer fetch and the first group have been read.
    expect(afterFirst).toBeLessThan(statSync(path).size / 4);
    await iterator.return(undefined);
    expect(stats.bytesScanned).toBe(afterFirst);
  });

  it("reads only the row groups whose start offset lies in the ScanRange", async () => {
    const path = await writeParquet("ranged", select, "ROW_GROUP_SIZE 2048");
    const groups = groupOffsets(path);
    expect(groups.map((g) => g.rows)).toEqual([2048, 2048, 904]);
    const [g0, g1, g2] = groups as [(typeof groups)[0], (typeof groups)[0], (typeof groups)[0]];
    const ids = (records: ValueObject[]): bigint[] => records.map((r) => r.id as bigint);
    const range = (from: number, to: number): bigint[] => Array.from({ length: to - from }, (_, i) => BigInt(from + i));

    // Starting inside group 0 and ending just before group 2: only group 1 starts in it.
    const middle = await readAll(path, { start: g0.offset + 1, end: g2.offset - 1 });
    expect(ids(middle.records)).toEqual(range(2048, 4096));
    expect(middle.scanned).toBeLessThan(statSync(path).size);

    // End is inclusive: a range ending exactly at group 2's start includes it.
    expect(ids((await readAll(path, { start: g1.offset, end: g2.offset })).records)).toEqual(range(2048, 5000));
    expect(ids((await readAll(path, { start: 0, end: g1.offset - 1 })).records)).toEqual(range(0, 2048));
    expect(ids((await readAll(path, { start: g2.offset })).records)).toEqual(range(4096, 5000));
    // A range between two group starts reads nothing.
    expect((await readAll(path, { start: g0.offset + 1, end: g0.offset + 2 })).records).toEqual([]);
  });
});

describe("parquetRecords: invalid input", () => {
  const code = async (bytes: Buffer): Promise<unknown> => {
    const path = join(dir, `bad-${Math.random().toString(36).slice(2)}.parquet`);
    writeFileSync(path, bytes);
    const error = await rejection(collect(parquetRecords(fileObject(path), undefined, newScanStats())));
    return isAppError(error) ? error.code : error;
  };

  it("fails a file that is not Parquet with ParquetParsingError", async () => {
    expect(await code(Buffer.from("id,name\n1,ann\n"))).toBe("ParquetParsingError");
    expect(await code(Buffer.alloc(0))).toBe("ParquetParsingError");
    expect(await code(Buffer.from("PAR1"))).toBe("ParquetParsingError");
  });

  it("fails a corrupt footer and corrupt pages with ParquetParsingError", async () => {
    const footer = Buffer.alloc(4);
    footer.writeUInt32LE(20);
    expect(await code(Buffer.concat([Buffer.from("PAR1"), Buffer.alloc(20, 0xee), footer, Buffer.from("PAR1")]))).toBe(
      "ParquetParsingError",
    );
    const path = await writeParquet("to-corrupt", "SELECT 'value-' || i AS s FROM range(1000) t(i)", "COMPRESSION zstd");
    const bytes = readFileSync(path);
    const [group] = groupOffsets(path);
    bytes.fill(0xff, (group?.offset ?? 4) + 4, (group?.offset ?? 4) + 200);
    expect(await code(bytes)).toBe("ParquetParsingError");
  });
});
