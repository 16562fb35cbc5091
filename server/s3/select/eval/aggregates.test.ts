import { describe, expect, it } from "vitest";
import type { AggregateCall, SelectList } from "../sql/ast.ts";
import { parseExpression, parseSelect } from "../sql/parser.ts";
import { AggregateQuery, collectAggregates, createAggregator, isAggregateQuery } from "./aggregates.ts";
import { aliasOf, csvScope, jsonScope, type RecordScope } from "./record-scope.ts";
import { expectError } from "./test-helpers.ts";
import { fromJson, type Value } from "./values.ts";

function aggregate(sql: string, scopes: RecordScope[]): Value {
  const call = parseExpression(sql) as AggregateCall;
  const aggregator = createAggregator(call);
  for (const scope of scopes) aggregator.add(scope);
  return aggregator.result();
}

const json = (records: unknown[]) => records.map((record) => jsonScope(fromJson(record), { alias: "s" }));
const RECORDS = json([{ n: 1, x: "b" }, { n: null, x: "a" }, {}, { n: 4, x: "c" }, { n: 2.5 }]);

describe("aggregators", () => {
  it("COUNT(*) counts records and COUNT(x) skips NULL and MISSING", () => {
    expect(aggregate("COUNT(*)", RECORDS)).toBe(5n);
    expect(aggregate("COUNT(s.n)", RECORDS)).toBe(3n);
    expect(aggregate("COUNT(s.x)", RECORDS)).toBe(3n);
    expect(aggregate("COUNT(*)", [])).toBe(0n);
    expect(aggregate("COUNT(s.n)", [])).toBe(0n);
  });

  it("SUM and AVG skip NULL/MISSING and are NULL over nothing", () => {
    const ints = json([{ n: 1 }, { n: 2 }, { n: null }, {}]);
    expect(aggregate("SUM(s.n)", ints)).toBe(3n);
    expect(aggregate("AVG(s.n)", ints)).toBe(1.5);
    expect(aggregate("SUM(s.n)", RECORDS)).toBe(7.5);
    expect(aggregate("AVG(s.n)", RECORDS)).toBe(2.5);
    expect(aggregate("SUM(s.n)", json([{}, { n: null }]))).toBe(null);
    expect(aggregate("AVG(s.n)", [])).toBe(null);
  });

  it("MIN and MAX over numbers, strings and timestamps", () => {
    expect(aggregate("MIN(s.n)", RECORDS)).toBe(1n);
    expect(aggregate("MAX(s.n)", RECORDS)).toBe(4n);
    expect(aggregate("MIN(s.x)", RECORDS)).toBe("a");
    expect(aggregate("MAX(s.x)", RECORDS)).toBe("c");
    expect(aggregate("MAX(s.n)", [])).toBe(null);
    const ts = json([{ t: "2010-01-02T" }, { t: "2009T" }]);
    expect(String(aggregate("MIN(CAST(s.t AS TIMESTAMP))", ts))).toBe("2009T");
    expectError(() => aggregate("MIN(s.v)", json([{ v: 1 }, { v: "a" }])), "IncorrectSqlFunctionArgumentType");
  });

  it("requires numeric CSV fields to be CAST for SUM", () => {
    const rows = [csvScope(["1"], null, { alias: "s" }), csvScope(["2"], null, { alias: "s" })];
    expect(aggregate("SUM(CAST(s._1 AS INT))", rows)).toBe(3n);
    expect(aggregate("AVG(CAST(s._1 AS FLOAT))", rows)).toBe(1.5);
    expectError(() => aggregate("SUM(s._1)", rows), "IncorrectSqlFunctionArgumentType", { line: 1, column: 5 });
    expectError(() => aggregate("AVG(_1)", rows), "IncorrectSqlFunctionArgumentType");
  });
});

describe("aggregate queries", () => {
  it("tells aggregate queries apart", () => {
    expect(isAggregateQuery(parseSelect("SELECT COUNT(*), SUM(s.n) FROM S3Object s").projection)).toBe(true);
    expect(isAggregateQuery(parseSelect("SELECT SUM(s.n) / COUNT(*) FROM S3Object s").projection)).toBe(true);
    expect(isAggregateQuery(parseSelect("SELECT s.n FROM S3Object s").projection)).toBe(false);
    expect(isAggregateQuery(parseSelect("SELECT * FROM S3Object s").projection)).toBe(false);
    expectError(
      () => isAggregateQuery(parseSelect("SELECT COUNT(*), s.n FROM S3Object s").projection),
      "UnsupportedSqlOperation",
      { line: 1, column: 18 },
    );
    expectError(() => collectAggregates(parseExpression("SUM(COUNT(*))")), "UnsupportedSqlOperation");
  });

  it("evaluates items combining aggregates", () => {
    const statement = parseSelect("SELECT COUNT(*), SUM(s.n) / COUNT(s.n), MAX(s.x) AS m FROM S3Object s");
    const query = new AggregateQuery((statement.projection as SelectList).items);
    const alias = aliasOf(statement.from);
    const records = [{ n: 2, x: "a" }, { n: 4 }, { x: "z" }].map((r) => jsonScope(fromJson(r), { alias }));
    for (const scope of records) query.add(scope);
    expect(query.results(jsonScope(null, { alias }))).toEqual([3n, 3n, "z"]);
  });
});
