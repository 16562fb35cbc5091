import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QueryColumn } from "./column-types.ts";
import type { QueryErrorInfo } from "./query-error.ts";
import type { RunQueryInput } from "./query-input.ts";
import type { QueryListener, QueryProgress, QueryStats, QuerySummary } from "./query-service.ts";
import { createQueryFixture, csvRows, type QueryFixture } from "./query-test-support.ts";

let fx: QueryFixture;

const PEOPLE = "id,name,score,active,joined\n1,ann,3.5,true,2026-01-02\n2,bob,4,false,2026-02-03\n3,cy,1,true,2026-03-04\n";

beforeAll(async () => {
  fx = await createQueryFixture({ progressIntervalMs: 20 });
  await fx.put("data", "people.csv", PEOPLE);
  await fx.put("data", "logs/a.jsonl", '{"level":"info","n":1,"tags":["x"]}\n{"level":"warn","n":2.5,"ctx":{"k":1}}\n');
  await fx.put("data", "big.csv", csvRows(400_000));
});

afterAll(async () => {
  await fx?.remove();
});

interface Recorded {
  columns: QueryColumn[][];
  rows: Record<string, unknown>[];
  progress: QueryProgress[];
  stats: QueryStats[];
  end: QuerySummary[];
  errors: QueryErrorInfo[];
  order: string[];
}

function recorder(onRows?: (r: Recorded) => void): { listener: QueryListener; got: Recorded } {
  const got: Recorded = { columns: [], rows: [], progress: [], stats: [], end: [], errors: [], order: [] };
  return {
    got,
    listener: {
      columns: (c) => (got.columns.push(c), got.order.push("columns")),
      rows: (r) => {
        got.rows.push(...r);
        got.order.push("rows");
        onRows?.(got);
      },
      progress: (p) => (got.progress.push(p), got.order.push("progress")),
      stats: (s) => (got.stats.push(s), got.order.push("stats")),
      end: (e) => (got.end.push(e), got.order.push("end")),
      error: (e) => (got.errors.push(e), got.order.push("error")),
    },
  };
}

const csvQuery = (expression: string, key = "people.csv"): RunQueryInput => ({
  bucket: "data",
  key,
  expression,
  input: { CSV: { FileHeaderInfo: "USE" }, CompressionType: "NONE" },
});

describe("QueryService.run", () => {
  it("streams the matching rows with their column types, progress, stats and end, and records the run", async () => {
    const { listener, got } = recorder();
    const summary = await fx.service.run("ann", csvQuery("SELECT s.name, CAST(s.score AS FLOAT) AS score, s.joined FROM S3Object s WHERE CAST(s.score AS FLOAT) > 2"), listener, new AbortController().signal);
    expect(summary).toMatchObject({ status: "ok", rows: 2, truncatedRows: 0 });
    expect(got.rows).toEqual([
      { name: "ann", score: 3.5, joined: "2026-01-02" },
      { name: "bob", score: 4, joined: "2026-02-03" },
    ]);
    expect(got.columns.at(-1)).toEqual([
      { name: "name", type: "string" },
      { name: "score", type: "float" },
      { name: "joined", type: "timestamp" },
    ]);
    expect(got.progress[0]).toEqual({ bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0, objectSize: PEOPLE.length });
    expect(got.stats).toEqual([{ bytesScanned: PEOPLE.length, bytesProcessed: PEOPLE.length, bytesReturned: expect.any(Number), objectSize: PEOPLE.length, rows: 2 }]);
    expect(got.order.at(-1)).toBe("end");
    expect(got.order.indexOf("columns")).toBeLessThan(got.order.indexOf("rows"));
    expect(got.errors).toEqual([]);
    const [run] = await fx.service.listHistory("ann");
    expect(run).toMatchObject({ user: "ann", bucket: "data", key: "people.csv", status: "ok", rows: 2, bytesScanned: PEOPLE.length, errorCode: null });
    expect(run!.input).toEqual({ CSV: { FileHeaderInfo: "USE" }, CompressionType: "NONE" });
  });

  it("adds the columns of JSON records as they appear", async () => {
    const { listener, got } = recorder();
    await fx.service.run("ann", { bucket: "data", key: "logs/a.jsonl", expression: "SELECT * FROM S3Object", input: { JSON: { Type: "LINES" } } }, listener, new AbortController().signal);
    expect(got.columns.at(-1)).toEqual([
      { name: "level", type: "string" },
      { name: "n", type: "float" },
      { name: "tags", type: "array" },
      { name: "ctx", type: "object" },
    ]);
  });

  it("sends at most maxRows rows and counts the rest", async () => {
    const capped = await createQueryFixture({ maxRows: 2 });
    try {
      await capped.put("data", "people.csv", PEOPLE);
      const { listener, got } = recorder();
      const summary = await capped.service.run("ann", csvQuery("SELECT * FROM S3Object"), listener, new AbortController().signal);
      expect(got.rows).toHaveLength(2);
      expect(summary).toMatchObject({ rows: 3, truncatedRows: 1 });
      expect(got.stats[0]!.rows).toBe(3);
    } finally {
      await capped.remove();
    }
  });

  it("reports a SQL error with its code and position, and records it", async () => {
    const { listener, got } = recorder();
    const summary = await fx.service.run("ann", csvQuery("SELECT name\nFROM S3Object WHERE name = = 1"), listener, new AbortController().signal);
    expect(summary.status).toBe("error");
    expect(got.errors).toHaveLength(1);
    expect(got.errors[0]).toMatchObject({ code: "ParseUnexpectedOperator", position: { line: 2, column: 28 } });
    expect(got.end).toEqual([]);
    const [run] = await fx.service.listHistory("ann");
    expect(run).toMatchObject({ status: "error", errorCode: "ParseUnexpectedOperator" });
  });

  it("reports a missing object as NoSuchKey", async () => {
    const { listener, got } = recorder();
    await fx.service.run("ann", csvQuery("SELECT * FROM S3Object", "nope.csv"), listener, new AbortController().signal);
    expect(got.errors.map((e) => e.code)).toEqual(["NoSuchKey"]);
  });

  it("stops a scan when cancelled: nothing after, recorded as cancelled", async () => {
    const controller = new AbortController();
    const { listener, got } = recorder();
    const running = fx.service.run("ann", csvQuery("SELECT * FROM S3Object s WHERE s.name LIKE '%-99999%'", "big.csv"), listener, controller.signal);
    while (got.progress.length < 2) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error("cancelled"));
    const summary = await running;
    expect(summary.status).toBe("cancelled");
    const after = got.order.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(got.order.length).toBe(after);
    expect(got.end).toEqual([]);
    expect(got.errors).toEqual([]);
    expect(got.progress.at(-1)!.bytesScanned).toBeLessThan(got.progress.at(-1)!.objectSize);
    expect((await fx.service.listHistory("ann"))[0]!.status).toBe("cancelled");
  });

  it("keeps history per user and clears it", async () => {
    await fx.service.run("bob", csvQuery("SELECT * FROM S3Object LIMIT 1"), recorder().listener, new AbortController().signal);
    expect((await fx.service.listHistory("bob")).map((r) => r.expression)).toEqual(["SELECT * FROM S3Object LIMIT 1"]);
    expect(await fx.service.clearHistory("bob")).toBe(1);
    expect(await fx.service.listHistory("bob")).toEqual([]);
    expect((await fx.service.listHistory("ann")).length).toBeGreaterThan(0);
  });
});

describe("QueryService.download", () => {
  async function download(format: "csv" | "json", expression: string): Promise<string> {
    let text = "";
    const out = {
      write: (t: string) => {
        text += t;
        return true;
      },
      drained: () => Promise.resolve(),
    };
    await fx.service.download(csvQuery(expression), format, out, new AbortController().signal);
    return text;
  }

  it("waits for a backed-up client before producing more", async () => {
    let text = "";
    let waits = 0;
    const out = {
      write: (t: string) => {
        text += t;
        return false;
      },
      drained: async () => {
        waits += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
    };
    // 400,000 rows make many Records messages, each of which finds the client backed up.
    await fx.service.download(csvQuery("SELECT s.id FROM S3Object s", "big.csv"), "json", out, new AbortController().signal);
    const rows = JSON.parse(text) as { id: string }[];
    expect(rows).toHaveLength(400_000);
    expect(rows.at(-1)).toEqual({ id: "399999" });
    expect(waits).toBeGreaterThan(10);
  });

  it("writes CSV with a header row and JSON as an array", async () => {
    expect(await download("csv", "SELECT s.id, s.name FROM S3Object s WHERE s.name <> 'cy'")).toBe('id,name\r\n1,ann\r\n2,bob\r\n');
    expect(JSON.parse(await download("json", "SELECT s.name FROM S3Object s"))).toEqual([{ name: "ann" }, { name: "bob" }, { name: "cy" }]);
    expect(JSON.parse(await download("json", "SELECT s.name FROM S3Object s WHERE s.name = 'zed'"))).toEqual([]);
  });

  it("throws before writing anything when the query is wrong", async () => {
    const chunks: string[] = [];
    const out = {
      write: (t: string) => chunks.push(t) > 0,
      drained: () => Promise.resolve(),
    };
    await expect(fx.service.download(csvQuery("SELEC"), "json", out, new AbortController().signal)).rejects.toMatchObject({ code: expect.stringMatching(/^Parse/) });
    expect(chunks).toEqual([]);
  });
});

describe("objects and input guesses", () => {
  it("lists buckets, objects by prefix with folders, and pages", async () => {
    expect((await fx.service.listBuckets()).map((b) => b.name)).toEqual(["data"]);
    const top = await fx.service.listObjects({ bucket: "data", limit: 100 });
    expect(top.objects.map((o) => o.key)).toEqual(["big.csv", "people.csv"]);
    expect(top.prefixes).toEqual(["logs/"]);
    const page = await fx.service.listObjects({ bucket: "data", limit: 1 });
    expect(page.nextCursor).not.toBeNull();
    const next = await fx.service.listObjects({ bucket: "data", limit: 100, cursor: page.nextCursor! });
    expect(next.objects.length + next.prefixes.length).toBe(2);
    expect((await fx.service.listObjects({ bucket: "data", prefix: "logs/", limit: 100 })).objects.map((o) => o.key)).toEqual(["logs/a.jsonl"]);
  });

  it("guesses the input options of an object", async () => {
    expect(await fx.service.guessInput("data", "logs/a.jsonl")).toEqual({ JSON: { Type: "LINES" }, CompressionType: "NONE" });
  });
});
