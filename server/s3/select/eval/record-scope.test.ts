import { describe, expect, it } from "vitest";
import { parseSelect } from "../sql/parser.ts";
import { aliasOf, csvScope, fromRecords, jsonScope } from "./record-scope.ts";
import { ev, expectError } from "./test-helpers.ts";
import { MISSING, fromJson } from "./values.ts";

describe("CSV without headers", () => {
  const scope = csvScope(["a", "b", ""], null, { alias: "s" });

  it("resolves positional names with or without the alias", () => {
    expect(ev("_1", scope)).toBe("a");
    expect(ev("s._2", scope)).toBe("b");
    expect(ev("S._2", scope)).toBe("b");
    expect(ev("s._3", scope)).toBe("");
    expect(ev("_4", scope)).toBe(MISSING);
    expect(ev("_4 IS MISSING", scope)).toBe(true);
  });

  it("rejects unknown names with their position", () => {
    expectError(() => ev("name", scope), "EvaluatorBindingDoesNotExist", { line: 1, column: 1 });
    // A step's position is its `.` or `[`.
    expectError(() => ev("1 + s.name", scope), "EvaluatorBindingDoesNotExist", { line: 1, column: 6 });
    expectError(() => ev("_0", scope), "EvaluatorBindingDoesNotExist");
  });

  it("gives MISSING when stepping into a field", () => {
    expect(ev("s._1.x", scope)).toBe(MISSING);
    expect(ev("s._1[0]", scope)).toBe(MISSING);
  });

  it("exposes the whole record under the alias", () => {
    expect(ev("s", scope)).toEqual({ _1: "a", _2: "b", _3: "" });
  });
});

describe("CSV with headers (FileHeaderInfo USE)", () => {
  const scope = csvScope(["Ann", "42", "x", "y"], ["Name", "Age", "city", "CITY"], { alias: "s" });

  it("matches unquoted names case-insensitively and quoted names exactly", () => {
    expect(ev("name", scope)).toBe("Ann");
    expect(ev("s.AGE", scope)).toBe("42");
    expect(ev('"Name"', scope)).toBe("Ann");
    expect(ev('s."city"', scope)).toBe("x");
    expect(ev('s."CITY"', scope)).toBe("y");
    expectError(() => ev('"name"', scope), "EvaluatorBindingDoesNotExist", { line: 1, column: 1 });
  });

  it("still resolves positions", () => {
    expect(ev("_2", scope)).toBe("42");
    expect(ev("CAST(s.age AS INT) = CAST(_2 AS INT)", scope)).toBe(true);
  });

  it("reports ambiguous unquoted names", () => {
    expectError(() => ev("city", scope), "AmbiguousFieldName", { line: 1, column: 1 });
    expectError(() => ev("s.City = 'x'", scope), "AmbiguousFieldName", { line: 1, column: 2 });
  });

  it("reports unknown names", () => {
    expectError(() => ev("s.email", scope), "EvaluatorBindingDoesNotExist", { line: 1, column: 2 });
  });
});

describe("JSON records", () => {
  const record = fromJson({
    name: "Ann",
    age: 42,
    score: 1.5,
    nothing: null,
    address: { city: "Paris", zip: "75001" },
    tags: ["a", "b"],
    items: [{ id: 1 }, { id: 2 }],
    Mixed: 1,
    mixed: 2,
  });
  const scope = jsonScope(record, { alias: "s" });

  it("navigates fields, brackets and indexes", () => {
    expect(ev("s.name", scope)).toBe("Ann");
    expect(ev("name", scope)).toBe("Ann");
    expect(ev("s.NAME", scope)).toBe("Ann");
    expect(ev("s.age", scope)).toBe(42n);
    expect(ev("s.score", scope)).toBe(1.5);
    expect(ev("s.address.city", scope)).toBe("Paris");
    expect(ev("s['address']['zip']", scope)).toBe("75001");
    expect(ev("s.tags[1]", scope)).toBe("b");
    expect(ev("s.items[0].id", scope)).toBe(1n);
  });

  it("distinguishes NULL from MISSING", () => {
    expect(ev("s.nothing", scope)).toBe(null);
    expect(ev("s.nothing IS MISSING", scope)).toBe(false);
    expect(ev("s.nothing IS NULL", scope)).toBe(true);
    expect(ev("s.absent", scope)).toBe(MISSING);
    expect(ev("s.absent IS MISSING", scope)).toBe(true);
    expect(ev("s.absent.deeper[3]", scope)).toBe(MISSING);
    expect(ev("s.tags[5]", scope)).toBe(MISSING);
    expect(ev('s."list"[1]', jsonScope(fromJson({ list: [1, null] }), { alias: "s" }))).toBe(null);
    expect(ev('s."list"[1] IS MISSING', jsonScope(fromJson({ list: [1, null] }), { alias: "s" }))).toBe(false);
    expect(ev("s['NAME']", scope)).toBe(MISSING);
    expect(ev("s.absent = 1", scope)).toBe(MISSING);
    expect(ev("s.nothing = 1", scope)).toBe(null);
  });

  it("matches quoted names exactly and reports case-insensitive ambiguity", () => {
    expect(ev('s."Mixed"', scope)).toBe(1n);
    expect(ev("s.mixed", scope)).toBe(2n);
    expectError(() => ev("s.MIXED", scope), "AmbiguousFieldName", { line: 1, column: 2 });
  });

  it("allows wildcards only where several values are expected", () => {
    expect(ev("2 IN s.items[*].id", scope)).toBe(true);
    expect(ev("'Paris' IN s.address.*", scope)).toBe(true);
    expectError(() => ev("s.tags[*]", scope), "UnsupportedSqlOperation", { line: 1, column: 7 });
  });
});

describe("FROM", () => {
  it("derives the alias", () => {
    expect(aliasOf(parseSelect("SELECT * FROM S3Object s").from)).toEqual({ name: "s", quoted: false });
    expect(aliasOf(parseSelect("SELECT * FROM S3Object").from)).toEqual({ name: "S3Object", quoted: false });
  });

  it("resolves with the default S3Object alias", () => {
    const scope = csvScope(["v"]);
    expect(ev("S3Object._1", scope)).toBe("v");
    expect(ev("s3object._1", scope)).toBe("v");
  });

  it("fans out the FROM path of a JSON document", () => {
    const doc = fromJson({ rows: [{ a: 1 }, { a: 2 }] });
    expect(fromRecords(parseSelect('SELECT * FROM S3Object[*]."rows"[*] s').from, [doc])).toEqual([
      { a: 1n },
      { a: 2n },
    ]);
    expect(fromRecords(parseSelect("SELECT * FROM S3Object s").from, doc)).toEqual([doc]);
  });
});
