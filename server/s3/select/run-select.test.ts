import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error.ts";
import { bytesStream } from "./io/test-streams.ts";
import { runSelect, type SelectRequest } from "./run-select.ts";
import { selectObjectFromStream } from "./select-object.ts";
import { decodeOneMessage, type DecodedMessage } from "../../../test/support/event-stream-decoder.ts";

interface Result {
  messages: DecodedMessage[];
  types: string[];
  records: string;
  stats: { scanned: number; processed: number; returned: number } | undefined;
}

function counts(xml: string): { scanned: number; processed: number; returned: number } {
  const n = (tag: string): number => Number(new RegExp(`<${tag}>(\\d+)</${tag}>`).exec(xml)?.[1]);
  return { scanned: n("BytesScanned"), processed: n("BytesProcessed"), returned: n("BytesReturned") };
}

function typeOf(m: DecodedMessage): string {
  return m.headers[":message-type"] === "error" ? "error" : (m.headers[":event-type"] ?? "?");
}

async function run(
  request: SelectRequest,
  data: string | Buffer,
  options: { chunkSize?: number; body?: Readable; contIntervalMs?: number } = {},
): Promise<Result> {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const body = options.body ?? bytesStream(bytes, options.chunkSize ?? 7);
  const messages: DecodedMessage[] = [];
  await runSelect(
    request,
    selectObjectFromStream(body, bytes.length),
    { message: (b) => messages.push(decodeOneMessage(b)) },
    { now: () => new Date("2024-01-02T03:04:05Z"), ...(options.contIntervalMs === undefined ? {} : { contIntervalMs: options.contIntervalMs }) },
  );
  const types = messages.map(typeOf);
  const records = Buffer.concat(messages.filter((m) => typeOf(m) === "Records").map((m) => m.payload)).toString("utf8");
  const statsMsg = messages.find((m) => typeOf(m) === "Stats");
  return { messages, types, records, stats: statsMsg === undefined ? undefined : counts(statsMsg.payload.toString("utf8")) };
}

const CSV_OUT = { CSV: {} };
const JSON_OUT = { JSON: {} };
const PEOPLE = "name,age,city\nann,30,Paris\nbob,25,Oslo\ncid,41,Rome\ndee,x,Lima\n";

function csvReq(expression: string, output: SelectRequest["output"] = CSV_OUT, extra: Partial<SelectRequest> = {}): SelectRequest {
  return { expression, input: { CSV: { FileHeaderInfo: "USE" } }, output, ...extra };
}

describe("runSelect: CSV", () => {
  it("filters with WHERE + CAST, projects, limits; ends with Stats and End", async () => {
    const r = await run(
      csvReq("SELECT s.name, age FROM S3Object s WHERE CAST(s.age AS INT) > 26 AND s.city <> 'Lima' LIMIT 5"),
      PEOPLE.replace("dee,x,Lima\n", ""),
    );
    expect(r.records).toBe("ann,30\ncid,41\n");
    expect(r.types.at(-2)).toBe("Stats");
    expect(r.types.at(-1)).toBe("End");
    const size = Buffer.byteLength(PEOPLE.replace("dee,x,Lima\n", ""));
    expect(r.stats).toEqual({ scanned: size, processed: size, returned: Buffer.byteLength(r.records) });
  });

  it("SELECT * outputs the fields as is; LIMIT stops", async () => {
    const r = await run(csvReq("SELECT * FROM S3Object LIMIT 2"), PEOPLE);
    expect(r.records).toBe("ann,30,Paris\nbob,25,Oslo\n");
  });

  it("LIMIT 1 stops reading a big input early", async () => {
    const big = "a,b\n" + Array.from({ length: 50_000 }, (_, i) => `${i},row${i}`).join("\n") + "\n";
    const r = await run(csvReq("SELECT * FROM S3Object LIMIT 1"), big, { chunkSize: 4096 });
    expect(r.records).toBe("0,row0\n");
    expect(r.stats?.scanned).toBeGreaterThan(0);
    expect(r.stats?.scanned).toBeLessThan(Buffer.byteLength(big) / 10);
  });

  it("LIMIT 0 outputs nothing", async () => {
    const r = await run(csvReq("SELECT * FROM S3Object LIMIT 0"), PEOPLE);
    expect(r.types).toEqual(["Stats", "End"]);
    expect(r.stats?.returned).toBe(0);
  });

  it("names JSON output fields: alias, last path field, _N", async () => {
    const r = await run(
      csvReq("SELECT s.name, age AS years, UPPER(city), _1, CAST(age AS INT) + 1 FROM S3Object s LIMIT 1", JSON_OUT),
      PEOPLE,
    );
    expect(JSON.parse(r.records)).toEqual({ name: "ann", years: "30", _3: "PARIS", _1: "ann", _5: 31 });
  });

  it("SELECT * to JSON names fields by header, else _N", async () => {
    const withHeader = await run(csvReq("SELECT * FROM S3Object LIMIT 1", JSON_OUT), PEOPLE);
    expect(JSON.parse(withHeader.records)).toEqual({ name: "ann", age: "30", city: "Paris" });
    const noHeader = await run(
      { expression: "SELECT * FROM S3Object LIMIT 1", input: { CSV: {} }, output: JSON_OUT },
      "1,2\n",
    );
    expect(JSON.parse(noHeader.records)).toEqual({ _1: "1", _2: "2" });
  });

  it("outputs MISSING as empty CSV and omits it from JSON", async () => {
    const data = "a,b\n1\n";
    const csv = await run(csvReq("SELECT a, b, _9 FROM S3Object"), data);
    expect(csv.records).toBe("1,,\n");
    const json = await run(csvReq("SELECT a, b FROM S3Object", JSON_OUT), data);
    expect(json.records).toBe('{"a":"1"}\n');
  });

  it("writes values as text: numbers, booleans, timestamps", async () => {
    const r = await run(
      csvReq("SELECT CAST(age AS INT) * 2, CAST(age AS FLOAT) / 4, age = '30', CAST('2020-01-02T03:04Z' AS TIMESTAMP) FROM S3Object LIMIT 1"),
      PEOPLE,
    );
    expect(r.records).toBe("60,7.5,true,2020-01-02T03:04Z\n");
  });

  it("reads GZIP input; BytesScanned counts compressed bytes", async () => {
    const gz = gzipSync(Buffer.from(PEOPLE));
    const r = await run(
      { expression: "SELECT name FROM S3Object WHERE city = 'Oslo'", input: { CSV: { FileHeaderInfo: "USE" }, CompressionType: "GZIP" }, output: CSV_OUT },
      gz,
    );
    expect(r.records).toBe("bob\n");
    expect(r.stats).toEqual({ scanned: gz.length, processed: Buffer.byteLength(PEOPLE), returned: 4 });
  });

  it("stops reading GZIP input early with LIMIT", async () => {
    const big = Array.from({ length: 200_000 }, (_, i) => `${i},${(i * 7919) % 1000003}`).join("\n") + "\n";
    const gz = gzipSync(Buffer.from(big));
    const r = await run(
      { expression: "SELECT _2 FROM S3Object LIMIT 1", input: { CSV: {}, CompressionType: "GZIP" }, output: CSV_OUT },
      gz,
      { chunkSize: 1024 },
    );
    expect(r.records).toBe("0\n");
    expect(r.stats?.scanned).toBeLessThan(gz.length);
    expect(r.stats?.processed).toBeLessThan(Buffer.byteLength(big));
    expect(r.types.slice(-2)).toEqual(["Stats", "End"]);
  });

  it("applies a ScanRange (records starting in the range; the header still used)", async () => {
    const start = PEOPLE.indexOf("bob");
    const r = await run(csvReq("SELECT name FROM S3Object", CSV_OUT, { scanRange: { start, end: start + 3 } }), PEOPLE);
    expect(r.records).toBe("bob\n");
    const tail = await run(csvReq("SELECT name FROM S3Object", CSV_OUT, { scanRange: { end: 11 } }), PEOPLE);
    expect(tail.records).toBe("dee\n");
  });

  it("rejects a ScanRange on compressed input before any output", async () => {
    const gz = gzipSync(Buffer.from(PEOPLE));
    await expect(
      run({ expression: "SELECT * FROM S3Object", input: { CSV: {}, CompressionType: "GZIP" }, output: CSV_OUT, scanRange: { start: 1 } }, gz),
    ).rejects.toMatchObject({ code: "InvalidArgument" });
  });
});

describe("runSelect: JSON", () => {
  it("reads LINES; SELECT * outputs the record object", async () => {
    const data = '{"a":1,"b":{"c":[1,2]}}\n\n{"a":2.5,"b":null}\n';
    const r = await run({ expression: "SELECT * FROM S3Object s WHERE s.a > 1", input: { JSON: { Type: "LINES" } }, output: JSON_OUT }, data);
    expect(r.records).toBe('{"a":2.5,"b":null}\n');
    const all = await run({ expression: "SELECT * FROM S3Object", input: { JSON: { Type: "LINES" } }, output: JSON_OUT }, data);
    expect(all.records).toBe('{"a":1,"b":{"c":[1,2]}}\n{"a":2.5,"b":null}\n');
  });

  it("fans out a FROM path over DOCUMENT input", async () => {
    // Two concatenated top-level documents; `S3Object[*]` iterates them.
    const data = JSON.stringify({ items: [{ id: 1, tag: "x" }, { id: 2 }] }) + "\n " + JSON.stringify({ items: [{ id: 3, tag: "z" }] });
    const r = await run(
      { expression: "SELECT i.id, i.tag FROM S3Object[*].items[*] i", input: { JSON: { Type: "DOCUMENT" } }, output: JSON_OUT },
      data,
    );
    expect(r.records).toBe('{"id":1,"tag":"x"}\n{"id":2}\n{"id":3,"tag":"z"}\n');
    const csv = await run(
      { expression: "SELECT i.id, i.tag FROM S3Object[*].items[*] i", input: { JSON: { Type: "DOCUMENT" } }, output: CSV_OUT },
      data,
    );
    expect(csv.records).toBe("1,x\n2,\n3,z\n");
  });

  it("fans out paths without a leading [*], and a top-level array with [*][*]", async () => {
    const doc = JSON.stringify({ Rules: [{ id: "1" }, { id: "2" }] });
    const r = await run(
      { expression: "SELECT r.id FROM S3Object.Rules[*] r", input: { JSON: { Type: "DOCUMENT" } }, output: CSV_OUT },
      doc,
    );
    expect(r.records).toBe("1\n2\n");
    const arr = await run(
      { expression: "SELECT * FROM S3Object[*][*] r WHERE r.id = 2", input: { JSON: { Type: "DOCUMENT" } }, output: JSON_OUT },
      JSON.stringify([{ id: 1 }, { id: 2 }]),
    );
    expect(arr.records).toBe('{"id":2}\n');
  });

  it("fans out a FROM path over LINES input", async () => {
    const data = '{"items":[{"n":"a"},{"n":"b"}]}\n{"items":[{"n":"c"}]}\n';
    const r = await run(
      { expression: "SELECT s.n FROM S3Object[*].items[*] s LIMIT 2", input: { JSON: { Type: "LINES" } }, output: CSV_OUT },
      data,
    );
    expect(r.records).toBe("a\nb\n");
  });

  it("writes nested values as JSON (and as JSON text in CSV)", async () => {
    const data = '{"a":{"b":[1,"x"]}}\n';
    const json = await run({ expression: "SELECT s.a FROM S3Object s", input: { JSON: { Type: "LINES" } }, output: JSON_OUT }, data);
    expect(json.records).toBe('{"a":{"b":[1,"x"]}}\n');
    const csv = await run({ expression: "SELECT s.a FROM S3Object s", input: { JSON: { Type: "LINES" } }, output: CSV_OUT }, data);
    expect(csv.records).toBe('"{""b"":[1,""x""]}"\n');
  });
});

describe("runSelect: aggregates", () => {
  it("COUNT(*), SUM(CAST(_2 AS INT)), AVG output one record at the end", async () => {
    const data = "a,1\nb,2\nc,3\nd,4\n";
    const r = await run(
      { expression: "SELECT COUNT(*), SUM(CAST(_2 AS INT)), AVG(CAST(_2 AS INT)) FROM S3Object WHERE _1 <> 'd'", input: { CSV: {} }, output: CSV_OUT },
      data,
    );
    expect(r.records).toBe("3,6,2\n");
    expect(r.types).toEqual(["Records", "Stats", "End"]);
    const json = await run(
      { expression: "SELECT COUNT(*) AS n, MAX(CAST(_2 AS INT)) FROM S3Object", input: { CSV: {} }, output: JSON_OUT },
      data,
    );
    expect(JSON.parse(json.records)).toEqual({ n: 4, _2: 4 });
  });

  it("aggregates over no records", async () => {
    const r = await run({ expression: "SELECT COUNT(*), SUM(CAST(_1 AS INT)) FROM S3Object", input: { CSV: {} }, output: JSON_OUT }, "");
    expect(r.records).toBe('{"_1":0,"_2":null}\n');
  });
});

describe("runSelect: errors", () => {
  it("throws a parse error before any message", async () => {
    const messages: Buffer[] = [];
    const body = bytesStream(PEOPLE);
    const error = await runSelect(csvReq("SELECT FROM WHERE"), selectObjectFromStream(body, PEOPLE.length), { message: (b) => messages.push(b) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(messages).toEqual([]);
  });

  it("throws an evaluation error on the first record (nothing sent yet)", async () => {
    await expect(run(csvReq("SELECT CAST(city AS INT) FROM S3Object"), PEOPLE)).rejects.toBeInstanceOf(AppError);
  });

  it("turns an evaluation error after output into an error message, with no End", async () => {
    const r = await run(csvReq("SELECT name, CAST(age AS INT) FROM S3Object"), PEOPLE);
    expect(r.records).toBe("ann,30\nbob,25\ncid,41\n");
    expect(r.types.at(-1)).toBe("error");
    expect(r.types).not.toContain("End");
    expect(r.types).not.toContain("Stats");
    const last = r.messages.at(-1);
    expect(last?.headers[":error-code"]).toMatch(/^[A-Za-z]+$/);
    expect(last?.headers[":error-message"]).toContain("line 1");
  });

  it("reports malformed JSON mid-stream as an error message", async () => {
    const r = await run(
      { expression: "SELECT * FROM S3Object", input: { JSON: { Type: "LINES" } }, output: JSON_OUT },
      '{"a":1}\n{oops\n',
    );
    expect(r.records).toBe('{"a":1}\n');
    expect(r.types.at(-1)).toBe("error");
  });
});

describe("runSelect: Progress and Cont", () => {
  it("sends Progress before Stats when requested", async () => {
    const r = await run(csvReq("SELECT name FROM S3Object", CSV_OUT, { requestProgress: true }), PEOPLE);
    const progress = r.types.indexOf("Progress");
    expect(progress).toBeGreaterThanOrEqual(0);
    expect(progress).toBeLessThan(r.types.indexOf("Stats"));
    expect(r.types).toContain("Progress");
    const p = r.messages[progress];
    expect(p && counts(p.payload.toString("utf8")).scanned).toBe(Buffer.byteLength(PEOPLE));
  });

  it("sends Cont messages while a slow scan has no output", async () => {
    const lines = Array.from({ length: 6 }, (_, i) => `${i}\n`);
    const body = new Readable({ read() {} });
    let i = 0;
    const timer = setInterval(() => {
      const line = lines[i++];
      if (line === undefined) {
        clearInterval(timer);
        body.push(null);
      } else body.push(line);
    }, 15);
    const r = await run(
      { expression: "SELECT * FROM S3Object WHERE _1 = 'none'", input: { CSV: {} }, output: CSV_OUT },
      lines.join(""),
      { body, contIntervalMs: 10 },
    );
    expect(r.types).toContain("Cont");
    expect(r.types.slice(-2)).toEqual(["Stats", "End"]);
    expect(r.records).toBe("");
  });
});
