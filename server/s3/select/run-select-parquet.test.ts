import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { parquetMetadata } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSelect, type SelectRequest } from "./run-select.ts";
import type { SelectObject } from "./select-object.ts";
import { decodeOneMessage, type DecodedMessage } from "../../../test/support/event-stream-decoder.ts";

let dir: string;
let duck: DuckDBInstance;
let db: DuckDBConnection;
/** 5000 rows in row groups of 2048: id, name, score (DOUBLE), flag, ts, day, price (DECIMAL), tags (list), info (struct). */
let people: string;

const ROWS = 5000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "run-select-parquet-"));
  duck = await DuckDBInstance.create(":memory:");
  db = await duck.connect();
  people = await writeParquet(
    "people",
    `SELECT i::INTEGER AS id, 'p' || i AS name, i / 4 AS score, i % 2 = 0 AS flag,
       CASE WHEN i % 5 = 0 THEN NULL ELSE i % 7 END AS maybe,
       TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE AS ts, DATE '2024-01-01' + (i % 10)::INTEGER AS day,
       (i % 100 / 4)::DECIMAL(8,2) AS price, ['t' || (i % 3), 'u'] AS tags, {'city': 'c' || (i % 4), 'zip': i % 4} AS info
     FROM range(${ROWS}) t(i)`,
    "COMPRESSION zstd, ROW_GROUP_SIZE 2048",
  );
});

afterAll(() => {
  db.closeSync();
  duck.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function writeParquet(name: string, select: string, options: string): Promise<string> {
  const path = join(dir, `${name}.parquet`);
  await db.run(`COPY (${select}) TO '${path}' (FORMAT parquet, ${options})`);
  return path;
}

function fileObject(path: string, onOpen?: () => void): SelectObject {
  return {
    size: statSync(path).size,
    open(range) {
      onOpen?.();
      return Promise.resolve(createReadStream(path, range === undefined ? {} : { start: range.start, end: range.end }));
    },
  };
}

interface Result {
  types: string[];
  records: string;
  stats: { scanned: number; processed: number; returned: number } | undefined;
}

function typeOf(m: DecodedMessage): string {
  return m.headers[":message-type"] === "error" ? "error" : (m.headers[":event-type"] ?? "?");
}

async function run(request: SelectRequest, object: SelectObject): Promise<Result> {
  const messages: DecodedMessage[] = [];
  await runSelect(request, object, { message: (b) => messages.push(decodeOneMessage(b)) }, { now: () => new Date("2024-06-01T00:00:00Z") });
  const types = messages.map(typeOf);
  const records = Buffer.concat(messages.filter((m) => typeOf(m) === "Records").map((m) => m.payload)).toString("utf8");
  const stats = messages.find((m) => typeOf(m) === "Stats")?.payload.toString("utf8");
  const n = (xml: string, tag: string): number => Number(new RegExp(`<${tag}>(\\d+)</${tag}>`).exec(xml)?.[1]);
  return {
    types,
    records,
    stats: stats === undefined ? undefined : { scanned: n(stats, "BytesScanned"), processed: n(stats, "BytesProcessed"), returned: n(stats, "BytesReturned") },
  };
}

function req(expression: string, output: SelectRequest["output"] = { JSON: {} }, extra: Partial<SelectRequest> = {}): SelectRequest {
  return { expression, input: { Parquet: {} }, output, ...extra };
}

v8.setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const jsonLines = (text: string): unknown[] => text.trim().split("\n").map((line) => JSON.parse(line) as unknown);

describe("runSelect: Parquet input", () => {
  it("SELECT * outputs each row as a JSON object with typed values", async () => {
    const r = await run(req("SELECT * FROM S3Object LIMIT 2"), fileObject(people));
    expect(jsonLines(r.records)).toEqual([
      {
        id: 0,
        name: "p0",
        score: 0,
        flag: true,
        maybe: null,
        ts: "2024-01-01T00:00:00Z",
        day: "2024-01-01T",
        price: 0,
        tags: ["t0", "u"],
        info: { city: "c0", zip: 0 },
      },
      {
        id: 1,
        name: "p1",
        score: 0.25,
        flag: false,
        maybe: 1,
        ts: "2024-01-01T00:01:00Z",
        day: "2024-01-02T",
        price: 0.25,
        tags: ["t1", "u"],
        info: { city: "c1", zip: 1 },
      },
    ]);
    expect(r.types.slice(-2)).toEqual(["Stats", "End"]);
  });

  it("projects paths into structs and lists, filters with WHERE, writes CSV", async () => {
    const r = await run(
      req(
        "SELECT s.id, s.info.city, s.tags[0], s.price * 4 FROM S3Object s WHERE s.id BETWEEN 4097 AND 4100 AND s.flag = false",
        { CSV: {} },
      ),
      fileObject(people),
    );
    expect(r.records).toBe("4097,c1,t2,97\n4099,c3,t1,99\n");
  });

  it("compares timestamps, INTs and NULLs as the evaluator's types", async () => {
    const r = await run(
      req(
        "SELECT s.id, s.ts FROM S3Object s WHERE s.ts >= CAST('2024-01-03T10:00:00Z' AS TIMESTAMP) AND s.maybe IS NULL AND s.id < 4000",
      ),
      fileObject(people),
    );
    // 2024-01-03T10:00Z is minute 3480 after the start; ids divisible by 5 have maybe NULL.
    const expected = [];
    for (let id = 3480; id < 4000; id += 5) expected.push({ id, ts: new Date(Date.UTC(2024, 0, 1) + id * 60_000).toISOString().replace(".000Z", "Z") });
    expect(jsonLines(r.records)).toEqual(expected);
  });

  it("aggregates over every row group", async () => {
    const r = await run(
      req(
        "SELECT COUNT(*) AS n, SUM(s.id) AS total, AVG(s.score) AS mean, MIN(s.name) AS \"first\", MAX(s.ts) AS \"last\", COUNT(s.maybe) AS present FROM S3Object s",
      ),
      fileObject(people),
    );
    expect(jsonLines(r.records)).toEqual([
      {
        n: ROWS,
        total: (ROWS * (ROWS - 1)) / 2,
        mean: (ROWS - 1) / 8,
        first: "p0",
        last: new Date(Date.UTC(2024, 0, 1) + (ROWS - 1) * 60_000).toISOString().replace(".000Z", "Z"),
        present: ROWS - ROWS / 5,
      },
    ]);
    const size = statSync(people).size;
    expect(r.stats?.scanned).toBeGreaterThanOrEqual(size);
    expect(r.stats?.processed).toBe(r.stats?.scanned);
  });

  it("LIMIT stops reading after the row group that satisfies it", async () => {
    const path = await writeParquet(
      "many-groups",
      "SELECT i::BIGINT AS id, md5(i::VARCHAR) AS h FROM range(300000) t(i)",
      "COMPRESSION snappy, ROW_GROUP_SIZE 20480",
    );
    let opens = 0;
    const r = await run(req("SELECT s.id FROM S3Object s LIMIT 3", { CSV: {} }), fileObject(path, () => (opens += 1)));
    expect(r.records).toBe("0\n1\n2\n");
    const size = statSync(path).size;
    expect(r.stats?.scanned).toBeGreaterThan(0);
    expect(r.stats?.scanned).toBeLessThan(size / 5);
    expect(opens).toBeLessThanOrEqual(3);
  });

  it("ScanRange selects the row groups starting in it", async () => {
    const metadata = parquetMetadata(new Uint8Array(readFileSync(people)).buffer);
    const starts = metadata.row_groups.map((group) => {
      const meta = group.columns[0]?.meta_data;
      const dictionary = Number(meta?.dictionary_page_offset ?? 0n);
      return dictionary > 0 ? dictionary : Number(meta?.data_page_offset);
    });
    expect(starts).toHaveLength(3);
    const r = await run(
      req("SELECT COUNT(*) AS n, MIN(s.id) AS lo, MAX(s.id) AS hi FROM S3Object s", { JSON: {} }, {
        scanRange: { start: (starts[0] ?? 0) + 1, end: starts[2] },
      }),
      fileObject(people),
    );
    expect(jsonLines(r.records)).toEqual([{ n: ROWS - 2048, lo: 2048, hi: ROWS - 1 }]);
  });

  it("rejects whole-object compression and FROM paths for Parquet before any output", async () => {
    await expect(
      run({ expression: "SELECT * FROM S3Object", input: { Parquet: {}, CompressionType: "GZIP" }, output: { JSON: {} } }, fileObject(people)),
    ).rejects.toMatchObject({ code: "InvalidArgument", field: "InputSerialization.CompressionType" });
    await expect(run(req("SELECT * FROM S3Object[*].tags[*]"), fileObject(people))).rejects.toMatchObject({
      code: "UnsupportedSqlOperation",
    });
    await expect(
      run({ expression: "SELECT * FROM S3Object", input: { Parquet: {}, JSON: { Type: "LINES" } }, output: { JSON: {} } }, fileObject(people)),
    ).rejects.toMatchObject({ code: "InvalidArgument", field: "InputSerialization" });
  });

  it("fails a non-Parquet object with ParquetParsingError", async () => {
    const path = join(dir, "not-parquet.parquet");
    writeFileSync(path, "id,name\n1,ann\n");
    await expect(run(req("SELECT * FROM S3Object"), fileObject(path))).rejects.toMatchObject({ code: "ParquetParsingError" });
  });

  it("counts a ~100 MB file with heap growth bounded by a row group, not the file", async () => {
    // md5 text does not compress, so the file really is ~100 MB; 28 row groups of ~3.6 MB.
    const path = await writeParquet(
      "big",
      "SELECT i::BIGINT AS id, md5(i::VARCHAR) || md5((i * 7)::VARCHAR) AS s FROM range(1400000) t(i)",
      "COMPRESSION uncompressed, ROW_GROUP_SIZE 50000",
    );
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(95 * 1024 * 1024);
    const used = (): number => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    collectGarbage();
    const before = used();
    let peak = before;
    // Sampled at every ranged open (between row groups) before collecting: the heap then holds
    // everything allocated while the previous group was read, live or not, an upper bound of its peak.
    const sample = (): void => {
      peak = Math.max(peak, used());
      collectGarbage();
    };
    const r = await run(req("SELECT COUNT(*) AS n FROM S3Object"), fileObject(path, sample));
    sample();
    expect(jsonLines(r.records)).toEqual([{ n: 1_400_000 }]);
    expect(r.stats?.scanned).toBeGreaterThanOrEqual(size);
    expect(peak - before).toBeLessThan(size / 2);
  }, 20_000);
});
