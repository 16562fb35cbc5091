import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalDiskStore } from "../../storage/local-disk-store.ts";
import { decodeOneMessage, type DecodedMessage } from "../../../../test/support/event-stream-decoder.ts";
import { runSelect, type SelectRequest } from "../run-select.ts";
import { openStoredObject, selectObjectFromBuffer } from "../select-object.ts";
import { DuckdbEngine } from "./duckdb-engine.ts";

/**
 * The DuckDB path must give byte-for-byte the evaluator's answer. Every query
 * here runs twice over the same bytes, once with DuckDB (forced on for small
 * objects) and once without, and the event-stream payloads are compared; a
 * counter on the engine proves DuckDB really ran (or, for data it cannot read
 * exactly, that the answer still matched after falling back).
 */
let engine: DuckdbEngine;
let connects = 0;

beforeAll(async () => {
  engine = await DuckdbEngine.create({ threads: 2, memoryLimit: "128MB" });
  const connect = engine.connect.bind(engine);
  engine.connect = () => {
    connects += 1;
    return connect();
  };
});

afterAll(async () => {
  await engine?.close();
});

interface Outcome {
  records: string;
  kinds: string[];
  error?: { code: string; message: string };
  thrown?: string;
}

function kindOf(m: DecodedMessage): string {
  return m.headers[":message-type"] === "error" ? "error" : (m.headers[":event-type"] ?? "?");
}

async function query(request: SelectRequest, data: string, useDuckdb: boolean): Promise<Outcome> {
  const messages: DecodedMessage[] = [];
  const object = selectObjectFromBuffer(Buffer.from(data, "utf8"), 4096);
  const options = useDuckdb ? { duckdb: () => Promise.resolve(engine), duckdbMinBytes: 0 } : {};
  try {
    await runSelect(request, object, { message: (b) => messages.push(decodeOneMessage(b)) }, { now: () => new Date("2024-01-02T03:04:05Z"), ...options });
  } catch (error) {
    return { records: "", kinds: [], thrown: (error as { code?: string }).code ?? String(error) };
  }
  const errorMessage = messages.find((m) => kindOf(m) === "error");
  return {
    records: Buffer.concat(messages.filter((m) => kindOf(m) === "Records").map((m) => m.payload)).toString("utf8"),
    kinds: [...new Set(messages.map(kindOf))],
    ...(errorMessage ? { error: { code: errorMessage.headers[":error-code"] ?? "", message: errorMessage.headers[":error-message"] ?? "" } } : {}),
  };
}

/** Runs both ways, expects equal results, returns them and whether DuckDB connected. */
async function both(expression: string, data: string, input: SelectRequest["input"] = { CSV: { FileHeaderInfo: "USE" } }, output: SelectRequest["output"] = { CSV: {} }) {
  const request: SelectRequest = { expression, input, output };
  const before = connects;
  const fast = await query(request, data, true);
  const usedDuckdb = connects > before;
  const slow = await query(request, data, false);
  expect(fast).toEqual(slow);
  return { result: fast, usedDuckdb };
}

function table(rows: number, row: (i: number) => string, header = "id,x,name,city"): string {
  const lines = [header];
  for (let i = 0; i < rows; i++) lines.push(row(i));
  return lines.join("\n") + "\n";
}

const PLAIN = table(5000, (i) => `${i},${(i * 7919) % 1000},name${i},city${i % 7}`);

describe("DuckDB CSV scans give the evaluator's exact results", () => {
  it("counts with a cast filter (the benchmark query) on DuckDB", async () => {
    const { result, usedDuckdb } = await both("SELECT count(*) FROM S3Object s WHERE CAST(s.x AS INT) > 500", PLAIN);
    expect(usedDuckdb).toBe(true);
    expect(result.records).toBe(`${[...Array(5000).keys()].filter((i) => (i * 7919) % 1000 > 500).length}\n`);
  });

  it("projects with a filter, in file order, in CSV and JSON", async () => {
    const csv = await both("SELECT s.id, s.name FROM S3Object s WHERE CAST(s.x AS INT) BETWEEN 100 AND 120", PLAIN);
    expect(csv.usedDuckdb).toBe(true);
    expect(csv.result.records.split("\n").length).toBeGreaterThan(50);
    const ids = csv.result.records.trim().split("\n").map((l) => Number(l.split(",")[0]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const json = await both("SELECT s.id, CAST(s.x AS INT) AS x, city FROM S3Object s WHERE s.city = 'city3' AND CAST(x AS FLOAT) < 50.5", PLAIN, undefined, { JSON: {} });
    expect(json.usedDuckdb).toBe(true);
    expect(json.result.records).toContain('"x":');
  });

  it("aggregates SUM, AVG, MIN, MAX, COUNT(x) exactly", async () => {
    const { result, usedDuckdb } = await both(
      "SELECT SUM(CAST(x AS INT)), AVG(CAST(x AS INT)), MIN(CAST(x AS FLOAT)), MAX(CAST(id AS INT)), COUNT(s.name) FROM S3Object s WHERE s.city IN ('city1', 'city2')",
      PLAIN,
      undefined,
      { JSON: {} },
    );
    expect(usedDuckdb).toBe(true);
    expect(Object.keys(JSON.parse(result.records))).toHaveLength(5);
  });

  it("hands records with quotes or unusual numbers to the evaluator, keeping order", async () => {
    const data = table(3000, (i) => (i % 97 === 0 ? `${i}," ${i % 1000}","quoted, name",x` : i % 89 === 0 ? `${i}, 12.9 ,n${i},y` : `${i},${i % 1000},n${i},z`));
    const { result, usedDuckdb } = await both("SELECT s.id, s.name, CAST(s.x AS INT) FROM S3Object s WHERE CAST(s.x AS INT) >= 0", data);
    expect(usedDuckdb).toBe(true);
    expect(result.records).toContain('"quoted, name"');
    expect(result.records).toContain("89,n89,12\n");
    const count = await both("SELECT count(*) FROM S3Object s WHERE CAST(s.x AS INT) > 10", data);
    expect(count.result.records).not.toBe("");
  });

  it("treats short records' absent fields as MISSING and skips comments and empty lines", async () => {
    const data = "a,b,c\n1,2,3\n#comment,9\n\n4,5\n6\n7,8,9\n";
    const { result } = await both("SELECT s.a, s.c FROM S3Object s WHERE s.b <> '2'", data, { CSV: { FileHeaderInfo: "USE", Comments: "#" } }, { JSON: {} });
    expect(result.records).toBe('{"a":"4"}\n{"a":"7","c":"9"}\n');
  });

  it("reads headers case-insensitively, positions with NONE and IGNORE", async () => {
    await both("SELECT \"NAME\", Name FROM S3Object WHERE ID = '3'", PLAIN.replace("id,x,name,city", "ID,X,NAME,City"));
    const none = await both("SELECT _3 FROM S3Object WHERE _2 LIKE '9%'", PLAIN, { CSV: { FileHeaderInfo: "NONE" } });
    expect(none.usedDuckdb).toBe(true);
    await both("SELECT _3 FROM S3Object WHERE _2 LIKE '9%'", PLAIN, { CSV: { FileHeaderInfo: "IGNORE" } });
  });

  it("stops at LIMIT", async () => {
    const { result } = await both("SELECT id FROM S3Object LIMIT 3", PLAIN);
    expect(result.records).toBe("0\n1\n2\n");
  });

  it("reports a cast failure the way the evaluator does", async () => {
    const data = table(2000, (i) => (i === 1500 ? `${i},oops,n,c` : `${i},${i},n,c`));
    const { result } = await both("SELECT CAST(x AS INT) FROM S3Object", data);
    expect(result.error?.code).toBe("CastFailed");
    const before = await both("SELECT count(*) FROM S3Object WHERE CAST(x AS INT) > 3", data);
    expect(before.result.thrown).toBe("CastFailed");
  });

  it("leaves CRLF data and unsupported queries to the evaluator", async () => {
    const crlf = await both("SELECT count(*) FROM S3Object WHERE CAST(x AS INT) > 3", PLAIN.replaceAll("\n", "\r\n"));
    expect(crlf.usedDuckdb).toBe(false);
    // A CR past the sniffed first MiB stops DuckDB before it answers; the evaluator's answer keeps the CR.
    const late = table(60_000, (i) => (i === 59_000 ? `${i},5,late\r,c` : `${i},${i % 10},name${i},c`));
    const lateCount = await both("SELECT count(*) FROM S3Object WHERE CAST(x AS INT) > 3", late);
    expect(lateCount.usedDuckdb).toBe(true);
    const lateRow = await both("SELECT name FROM S3Object WHERE id = '59000'", late, undefined, { JSON: {} });
    expect(lateRow.result.records).toBe('{"name":"late\\r"}\n');
    const fn = await both("SELECT UPPER(name) FROM S3Object LIMIT 2", PLAIN);
    expect(fn.usedDuckdb).toBe(false);
  });

  it("agrees with the evaluator on awkward number spellings, quotes and short records (seeded random data)", async () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const numbers = ["12", " 12", "+5", "007", "12.9", "-0", "1e3", ".5", "5.", "-3.25", "99999", "0", "-17", "1.0", "2.50"];
    const words = ["a", "b,c", 'say "hi"', "x y", "é", "CITY"];
    const data = table(4000, (i) => {
      const fields = [String(i), numbers[random(numbers.length)] ?? "0", words[random(words.length)] ?? "a", numbers[random(numbers.length)] ?? "0"];
      const quoted = fields.map((f) => (f.includes(",") || f.includes('"') ? `"${f.replaceAll('"', '""')}"` : f));
      return quoted.slice(0, random(10) === 0 ? 2 : 4).join(",");
    });
    const queries = [
      "SELECT count(*) FROM S3Object s WHERE CAST(s.x AS INT) > 4",
      "SELECT SUM(CAST(x AS INT)), MIN(CAST(city AS FLOAT)), MAX(CAST(city AS FLOAT)), COUNT(city) FROM S3Object",
      "SELECT id, CAST(x AS INT), name FROM S3Object WHERE CAST(city AS FLOAT) <= 12 OR name = 'a'",
      "SELECT id, CAST(city AS FLOAT) FROM S3Object WHERE x IN ('12', '007') AND NOT name LIKE 'b%'",
    ];
    let fast = 0;
    for (const expression of queries) {
      for (const output of [{ CSV: {} }, { JSON: {} }, { CSV: { QuoteFields: "ALWAYS" as const } }]) {
        const { usedDuckdb } = await both(expression, data, undefined, output);
        if (usedDuckdb) fast += 1;
      }
    }
    expect(fast).toBeGreaterThan(0);
  });

  it("cannot read any file but the pipes it is given", async () => {
    const connection = await engine.connect();
    try {
      await expect(connection.run("SELECT * FROM read_csv('/etc/passwd')")).rejects.toThrow(/disabled|Permission/i);
      await expect(connection.run("SET enable_external_access = true")).rejects.toThrow();
    } finally {
      connection.closeSync();
    }
  });
});

describe("DuckDB reading a local-disk object's own file", () => {
  let dir: string;
  let store: LocalDiskStore;
  let fileEngine: DuckdbEngine;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "herald-duck-link-"));
    store = await LocalDiskStore.open({ root: path.join(dir, "objects") });
    await store.createBucket("duck");
    // Scratch on the store's filesystem, so the scan can hard-link the object's file.
    fileEngine = await DuckdbEngine.create({ threads: 2, memoryLimit: "128MB", scratchRoot: path.join(dir, "tmp") });
  });

  afterAll(async () => {
    await fileEngine?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function viaFile(key: string, data: string, expression: string, input: SelectRequest["input"] = { CSV: { FileHeaderInfo: "USE" } }) {
    await store.putObject("duck", key, Readable.from([Buffer.from(data)]), { contentType: "text/csv", metadata: { "x-note": "trailer text" } });
    const { object } = await openStoredObject(store, "duck", key);
    let opens = 0;
    const counted = { ...object, open: (range?: { start: number; end: number }) => ((opens += 1), object.open(range)) };
    const run = async (withDuckdb: boolean) => {
      const messages: DecodedMessage[] = [];
      await runSelect({ expression, input, output: { CSV: {} } }, withDuckdb ? counted : object, { message: (b) => messages.push(decodeOneMessage(b)) }, {
        ...(withDuckdb ? { duckdb: () => Promise.resolve(fileEngine), duckdbMinBytes: 0 } : {}),
      });
      const records = Buffer.concat(messages.filter((m) => kindOf(m) === "Records").map((m) => m.payload)).toString("utf8");
      const stats = messages.find((m) => kindOf(m) === "Stats")?.payload.toString("utf8") ?? "";
      return { records, scanned: Number(/<BytesScanned>(\d+)</.exec(stats)?.[1]) };
    };
    const fast = await run(true);
    const slow = await run(false);
    expect(fast).toEqual(slow);
    return { ...fast, opens };
  }

  it("reads the linked file: one small read of the start, the trailer left out, header lines skipped", async () => {
    const data = "\n#note\nid,x\n" + [...Array(3000).keys()].map((i) => `${i},${i % 10}`).join("\n") + "\n";
    const result = await viaFile("link.csv", data, "SELECT count(*), SUM(CAST(x AS INT)) FROM S3Object WHERE CAST(x AS INT) >= 0", { CSV: { FileHeaderInfo: "USE", Comments: "#" } });
    expect(result.records).toBe(`3000,${[...Array(3000).keys()].reduce((a, i) => a + (i % 10), 0)}\n`);
    expect(result.scanned).toBe(Buffer.byteLength(data));
    // Only the sniff of the first bytes went through Node: DuckDB read the rest from the file.
    expect(result.opens).toBe(1);
  });

  it("projects rows in order from the linked file", async () => {
    const data = "id,name\n" + [...Array(2000).keys()].map((i) => `${i},n${i}`).join("\n") + "\n";
    const result = await viaFile("rows.csv", data, "SELECT name FROM S3Object WHERE CAST(id AS INT) BETWEEN 10 AND 12");
    expect(result.records).toBe("n10\nn11\nn12\n");
    expect(result.opens).toBe(1);
  });

  it("streams through pipes when the body does not end with a newline", async () => {
    const result = await viaFile("no-newline.csv", "id,x\n1,2\n3,4", "SELECT count(*) FROM S3Object WHERE CAST(x AS INT) > 0");
    expect(result.records).toBe("2\n");
    expect(result.opens).toBeGreaterThan(1);
  });
});
