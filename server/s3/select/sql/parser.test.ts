import { errorOf } from "../../../../test/support/error-of.ts";
import { describe, expect, it } from "vitest";
import { AppError } from "../../../errors/app-error.ts";
import type { ErrorCode } from "../../../errors/error-codes.ts";
import { parseExpression, parseSelect } from "./parser.ts";

/** Drops every `pos`, so shapes can be compared without positions. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => key !== "pos" && key !== "operatorPos")
        .map(([key, v]) => [key, strip(v)]),
    );
  }
  return value;
}

const expr = (sql: string) => strip(parseExpression(sql));
const select = (sql: string) => strip(parseSelect(sql));
const where = (condition: string) => strip(parseSelect(`SELECT * FROM S3Object s WHERE ${condition}`).where);

const id = (name: string, quoted = false) => ({ kind: "Identifier", name, quoted });
const field = (name: string, quoted = false, syntax: "dot" | "bracket" = "dot") => ({
  kind: "FieldStep",
  name,
  quoted,
  syntax,
});
const index = (n: number) => ({ kind: "IndexStep", index: n });
const wildcard = (syntax: "dot" | "bracket" = "bracket") => ({ kind: "WildcardStep", syntax });
const path = (root: string | ReturnType<typeof id>, ...steps: object[]) => ({
  kind: "Path",
  root: typeof root === "string" ? id(root) : root,
  steps,
});
const num = (text: string) => ({ kind: "NumberLiteral", text, value: Number(text), integer: /^\d+$/.test(text) });
const str = (value: string) => ({ kind: "StringLiteral", value });
const bin = (operator: string, left: unknown, right: unknown) => ({ kind: "Binary", operator, left, right });
const not = (operand: unknown) => ({ kind: "Unary", operator: "NOT", operand });
const call = (name: string, ...args: unknown[]) => ({ kind: "Call", name, arguments: args });

function expectError(sql: string, code: ErrorCode, line: number, column: number, token?: string): AppError {
  const error = errorOf(() => parseSelect(sql));
  expect({ code: error.code, line: error.details?.line, column: error.details?.column }).toEqual({ code, line, column });
  expect(error.message.startsWith(`at line ${line}, column ${column}: `)).toBe(true);
  if (token !== undefined) expect(error.details?.token).toBe(token);
  return error;
}

describe("parseSelect: statement", () => {
  it("parses SELECT * FROM S3Object", () => {
    expect(select("SELECT * FROM S3Object")).toEqual({
      kind: "Select",
      projection: { kind: "SelectAll" },
      from: { kind: "From", source: id("S3Object"), path: [], alias: null },
      where: null,
      limit: null,
    });
  });

  it("parses a select list with AS and bare aliases, FROM alias, WHERE and LIMIT", () => {
    expect(select(`SELECT s._1 AS "first", s.name n, _2 FROM S3Object AS s WHERE _2 = 'x' LIMIT 10`)).toEqual({
      kind: "Select",
      projection: {
        kind: "SelectList",
        items: [
          { kind: "SelectItem", expression: path("s", field("_1")), alias: id("first", true) },
          { kind: "SelectItem", expression: path("s", field("name")), alias: id("n") },
          { kind: "SelectItem", expression: path("_2"), alias: null },
        ],
      },
      from: { kind: "From", source: id("S3Object"), path: [], alias: id("s") },
      where: bin("=", path("_2"), str("x")),
      limit: { kind: "Limit", value: 10 },
    });
  });

  it("accepts keywords in any case and S3Object in any case", () => {
    expect(select("select * FROM s3object o WhErE o.a Is NoT nUlL lImIt 0")).toEqual(
      select("SELECT * FROM s3object o WHERE o.a IS NOT NULL LIMIT 0"),
    );
    expect(strip(parseSelect("SeLeCt CoUnT(*) FrOm S3Object").projection)).toEqual({
      kind: "SelectList",
      items: [{ kind: "SelectItem", expression: { kind: "Aggregate", name: "COUNT", argument: null }, alias: null }],
    });
  });

  it("records positions of nodes", () => {
    const statement = parseSelect("SELECT a,\n  b + 1\nFROM S3Object s\nWHERE s.x = 1 LIMIT 5");
    expect(statement.pos).toEqual({ line: 1, column: 1, offset: 0 });
    if (statement.projection.kind !== "SelectList") throw new Error("list expected");
    expect(statement.projection.items[1]?.expression.pos).toEqual({ line: 2, column: 3, offset: 12 });
    expect(statement.from.pos).toMatchObject({ line: 3, column: 6 });
    expect(statement.from.alias?.pos).toMatchObject({ line: 3, column: 15 });
    expect(statement.where?.pos).toMatchObject({ line: 4, column: 7 });
    expect(statement.limit?.pos).toMatchObject({ line: 4, column: 15 });
    expect(statement.where).toMatchObject({ kind: "Binary", operatorPos: { line: 4, column: 11 } });
  });
});

describe("parseSelect: identifiers and paths", () => {
  it("keeps unquoted names as written and marks quoted names", () => {
    expect(expr('Name')).toEqual(path(id("Name")));
    expect(expr('"Name"')).toEqual(path(id("Name", true)));
    expect(expr('"we said ""hi"""')).toEqual(path(id('we said "hi"', true)));
  });

  it("allows reserved words only when double-quoted", () => {
    expect(select('SELECT "select", s."from" AS "limit" FROM S3Object s')).toMatchObject({
      projection: {
        items: [
          { expression: path(id("select", true)), alias: null },
          { expression: path("s", field("from", true)), alias: id("limit", true) },
        ],
      },
    });
    expectError("SELECT select FROM S3Object", "ParseExpectedExpression", 1, 8, "select");
    expectError("SELECT a AS end FROM S3Object", "ParseUnExpectedKeyword", 1, 13, "end");
    expectError("SELECT s.from FROM S3Object s", "ParseUnExpectedKeyword", 1, 10, "from");
  });

  it("reserves every word of AWS's list: unquoted, as a name, it is ParseUnExpectedKeyword at its position", () => {
    // A column name, alone or in an expression.
    expectError("SELECT date FROM S3Object", "ParseUnExpectedKeyword", 1, 8, "date");
    expectError("SELECT * FROM S3Object WHERE value > 1", "ParseUnExpectedKeyword", 1, 30, "value");
    expectError("SELECT a + Count FROM S3Object", "ParseUnExpectedKeyword", 1, 12, "Count");
    // A path step.
    expectError("SELECT s.date FROM S3Object s", "ParseUnExpectedKeyword", 1, 10, "date");
    expectError("SELECT s.a.\n  user FROM S3Object s", "ParseUnExpectedKeyword", 2, 3, "user");
    // An alias, with or without AS, of a select item or of S3Object.
    expectError("SELECT a AS count FROM S3Object", "ParseUnExpectedKeyword", 1, 13, "count");
    expectError("SELECT a year FROM S3Object", "ParseUnExpectedKeyword", 1, 10, "year");
    expectError("SELECT * FROM S3Object AS user", "ParseUnExpectedKeyword", 1, 27, "user");
    expectError("SELECT * FROM S3Object table", "ParseUnExpectedKeyword", 1, 24, "table");
    // Quoted, or as a bracket string, the same words are names.
    expect(select('SELECT "date", s."value" AS "count", s[\'user\'] FROM S3Object AS "table"')).toMatchObject({
      projection: {
        items: [
          { expression: path(id("date", true)), alias: null },
          { expression: path("s", field("value", true)), alias: id("count", true) },
          { expression: path("s", field("user", true, "bracket")), alias: null },
        ],
      },
      from: { alias: id("table", true) },
    });
    // Not on the list: still plain names.
    expect(expr("s.trailing_x")).toEqual(path("s", field("trailing_x")));
    expect(expr("date_add_x")).toEqual(path("date_add_x"));
  });

  it("keeps reserved words working in their grammatical places", () => {
    expect(expr("COUNT(*)")).toMatchObject({ kind: "Aggregate", name: "COUNT", argument: null });
    expect(expr("sum(a) + Avg(b) + MIN(c) + max(d)")).toMatchObject({ kind: "Binary" });
    expect(expr("lower(UPPER(a))")).toMatchObject({ kind: "Call", name: "LOWER", arguments: [{ kind: "Call", name: "UPPER" }] });
    expect(expr("COALESCE(a, NULLIF(b, 1))")).toMatchObject({ kind: "Call", name: "COALESCE" });
    expect(expr("CHAR_LENGTH(a) + character_length(b)")).toMatchObject({ kind: "Binary" });
    expect(expr("CAST(a AS int)")).toMatchObject({ kind: "Cast", type: { name: "INT" } });
    expect(expr("CAST(a AS Decimal(5, 2))")).toMatchObject({ kind: "Cast", type: { name: "DECIMAL", precision: 5, scale: 2 } });
    for (const type of ["BOOL", "BOOLEAN", "INTEGER", "STRING", "FLOAT", "NUMERIC", "TIMESTAMP"]) {
      expect(expr(`CAST(a AS ${type})`)).toMatchObject({ kind: "Cast" });
    }
    expect(expr("DATE_ADD(year, 1, a)")).toMatchObject({ kind: "DateAdd", part: "year" });
    expect(expr("DATE_DIFF(Day, a, b)")).toMatchObject({ kind: "DateDiff", part: "day" });
    expect(expr("EXTRACT(TIMEZONE_MINUTE FROM a)")).toMatchObject({ kind: "Extract", part: "timezone_minute" });
    expect(expr("EXTRACT(second FROM a)")).toMatchObject({ kind: "Extract", part: "second" });
    // A reserved word that names no function, before '(', is still a misused keyword.
    expectError("SELECT date(a) FROM S3Object", "ParseUnExpectedKeyword", 1, 8, "date");
  });

  it("parses every path step in expressions", () => {
    expect(expr("s.a.\"B c\"[0]['d e'][*].*")).toEqual(
      path("s", field("a"), field("B c", true), index(0), field("d e", true, "bracket"), wildcard(), wildcard("dot")),
    );
    expect(expr("s.arr[*]")).toEqual(path("s", field("arr"), wildcard()));
  });

  it("parses paths in FROM", () => {
    expect(strip(parseSelect("SELECT * FROM S3Object[*].path s").from)).toEqual({
      kind: "From",
      source: id("S3Object"),
      path: [wildcard(), field("path")],
      alias: id("s"),
    });
    expect(strip(parseSelect("SELECT d.x FROM s3object.data[*] AS d").from)).toEqual({
      kind: "From",
      source: id("s3object"),
      path: [field("data"), wildcard()],
      alias: id("d"),
    });
    expect(strip(parseSelect("SELECT * FROM S3Object['a b'][2].*").from)).toMatchObject({
      path: [field("a b", true, "bracket"), index(2), wildcard("dot")],
      alias: null,
    });
  });
});

describe("parseSelect: literals", () => {
  it("parses every literal kind", () => {
    expect(expr("'it''s'")).toEqual(str("it's"));
    expect(expr("42")).toEqual(num("42"));
    expect(expr("1.5")).toEqual(num("1.5"));
    expect(expr(".5")).toEqual(num(".5"));
    expect(expr("1e3")).toEqual({ kind: "NumberLiteral", text: "1e3", value: 1000, integer: false });
    expect(expr("TRUE")).toEqual({ kind: "BooleanLiteral", value: true });
    expect(expr("false")).toEqual({ kind: "BooleanLiteral", value: false });
    expect(expr("NULL")).toEqual({ kind: "NullLiteral" });
    expect(expr("missing")).toEqual({ kind: "MissingLiteral" });
    expect(expr("`2010-01-01T`")).toEqual({ kind: "TimestampLiteral", text: "2010-01-01T" });
  });
});

describe("parseSelect: operators and precedence", () => {
  it("binds OR < AND < NOT < comparison < additive < multiplicative", () => {
    expect(where("a OR b AND NOT c = 1 + 2 * 3")).toEqual(
      bin(
        "OR",
        path("a"),
        bin("AND", path("b"), not(bin("=", path("c"), bin("+", num("1"), bin("*", num("2"), num("3")))))),
      ),
    );
  });

  it("applies NOT to a whole BETWEEN, and BETWEEN's AND is not a conjunction", () => {
    expect(where("NOT a BETWEEN 1 AND 2")).toEqual(
      not({ kind: "Between", operand: path("a"), low: num("1"), high: num("2"), negated: false }),
    );
    expect(where("a NOT BETWEEN 1 + 1 AND 5 AND b")).toEqual(
      bin(
        "AND",
        { kind: "Between", operand: path("a"), low: bin("+", num("1"), num("1")), high: num("5"), negated: true },
        path("b"),
      ),
    );
  });

  it("is left-associative for arithmetic, AND and OR", () => {
    expect(expr("1 - 2 - 3")).toEqual(bin("-", bin("-", num("1"), num("2")), num("3")));
    expect(expr("8 / 4 % 3")).toEqual(bin("%", bin("/", num("8"), num("4")), num("3")));
    expect(expr("a OR b OR c")).toEqual(bin("OR", bin("OR", path("a"), path("b")), path("c")));
    expect(expr("a AND b AND c")).toEqual(bin("AND", bin("AND", path("a"), path("b")), path("c")));
  });

  it("parses parentheses, unary minus/plus and every comparison (!= normalised to <>)", () => {
    expect(expr("-(1 + 2) * +x")).toEqual(
      bin("*", { kind: "Unary", operator: "-", operand: bin("+", num("1"), num("2")) }, {
        kind: "Unary",
        operator: "+",
        operand: path("x"),
      }),
    );
    expect(expr("- -1")).toEqual({ kind: "Unary", operator: "-", operand: { kind: "Unary", operator: "-", operand: num("1") } });
    for (const op of ["=", "<>", "<", ">", "<=", ">="]) expect(expr(`a ${op} 1`)).toEqual(bin(op, path("a"), num("1")));
    expect(expr("a != 1")).toEqual(bin("<>", path("a"), num("1")));
  });

  it("ranks < > above = as in the reference, = right-associative", () => {
    expect(expr("a = b < c")).toEqual(bin("=", path("a"), bin("<", path("b"), path("c"))));
    expect(expr("a = b = c")).toEqual(bin("=", path("a"), bin("=", path("b"), path("c"))));
    expect(expr("a < b IN (1)")).toEqual(
      bin("<", path("a"), { kind: "In", operand: path("b"), target: { kind: "List", items: [num("1")] }, negated: false }),
    );
  });

  it("parses IS [NOT] NULL / MISSING", () => {
    expect(where("a IS NULL")).toEqual({ kind: "Is", operand: path("a"), test: "NULL", negated: false });
    expect(where("a IS NOT MISSING")).toEqual({ kind: "Is", operand: path("a"), test: "MISSING", negated: true });
    expect(where("a + 1 IS NULL")).toMatchObject({ kind: "Is", operand: bin("+", path("a"), num("1")) });
  });

  it("parses [NOT] IN with a list and IN with a path", () => {
    expect(where("a IN ('a', 'b', 'c')")).toEqual({
      kind: "In",
      operand: path("a"),
      target: { kind: "List", items: [str("a"), str("b"), str("c")] },
      negated: false,
    });
    expect(where("a NOT IN (1)")).toMatchObject({ kind: "In", negated: true });
    expect(where("3 IN s.arr[*]")).toEqual({
      kind: "In",
      operand: num("3"),
      target: path("s", field("arr"), wildcard()),
      negated: false,
    });
  });

  it("parses [NOT] LIKE with an optional ESCAPE", () => {
    expect(where("a LIKE 'x%'")).toEqual({ kind: "Like", operand: path("a"), pattern: str("x%"), escape: null, negated: false });
    expect(where("a NOT LIKE '50!%' ESCAPE '!'")).toEqual({
      kind: "Like",
      operand: path("a"),
      pattern: str("50!%"),
      escape: str("!"),
      negated: true,
    });
  });
});

describe("parseSelect: functions and special forms", () => {
  it("parses aggregates", () => {
    expect(expr("COUNT(*)")).toEqual({ kind: "Aggregate", name: "COUNT", argument: null });
    for (const name of ["AVG", "count", "Max", "MIN", "sum"]) {
      expect(expr(`${name}(s.x)`)).toEqual({ kind: "Aggregate", name: name.toUpperCase(), argument: path("s", field("x")) });
    }
  });

  it("parses simple and searched CASE", () => {
    expect(expr("CASE x WHEN 1 THEN 'a' WHEN 2 THEN 'b' ELSE 'c' END")).toEqual({
      kind: "Case",
      operand: path("x"),
      branches: [
        { kind: "CaseBranch", when: num("1"), then: str("a") },
        { kind: "CaseBranch", when: num("2"), then: str("b") },
      ],
      otherwise: str("c"),
    });
    expect(expr("case when x > 1 then 'big' end")).toEqual({
      kind: "Case",
      operand: null,
      branches: [{ kind: "CaseBranch", when: bin(">", path("x"), num("1")), then: str("big") }],
      otherwise: null,
    });
  });

  it("parses CAST to every type, synonyms normalised", () => {
    const cases: Array<[string, string]> = [
      ["BOOL", "BOOL"],
      ["boolean", "BOOL"],
      ["INT", "INT"],
      ["integer", "INT"],
      ["STRING", "STRING"],
      ["FLOAT", "FLOAT"],
      ["DECIMAL", "DECIMAL"],
      ["numeric", "DECIMAL"],
      ["TIMESTAMP", "TIMESTAMP"],
    ];
    for (const [text, name] of cases) {
      expect(expr(`CAST(x AS ${text})`)).toEqual({
        kind: "Cast",
        operand: path("x"),
        type: { kind: "Type", name, text, precision: null, scale: null },
      });
    }
    expect(expr("CAST('1.23' AS DECIMAL(10, 2))")).toMatchObject({ type: { name: "DECIMAL", precision: 10, scale: 2 } });
    expect(expr("CAST('1' AS NUMERIC(5))")).toMatchObject({ type: { name: "DECIMAL", precision: 5, scale: null } });
    expect(expr("CAST('2010-01-01T' AS TIMESTAMP)")).toMatchObject({ operand: str("2010-01-01T"), type: { name: "TIMESTAMP" } });
  });

  it("parses the date functions", () => {
    expect(expr("DATE_ADD(year, 5, `2010-01-01T`)")).toEqual({
      kind: "DateAdd",
      part: "year",
      quantity: num("5"),
      timestamp: { kind: "TimestampLiteral", text: "2010-01-01T" },
    });
    expect(expr("date_diff(MONTH, a, b)")).toEqual({ kind: "DateDiff", part: "month", from: path("a"), to: path("b") });
    expect(expr("EXTRACT(timezone_hour FROM ts)")).toEqual({ kind: "Extract", part: "timezone_hour", operand: path("ts") });
    for (const part of ["day", "hour", "minute", "second", "timezone_minute"]) {
      expect(expr(`EXTRACT(${part} FROM ts)`)).toMatchObject({ part });
    }
    expect(expr("TO_STRING(ts, 'y-MM')")).toEqual(call("TO_STRING", path("ts"), str("y-MM")));
    expect(expr("TO_TIMESTAMP('2007T')")).toEqual(call("TO_TIMESTAMP", str("2007T")));
    expect(expr("UTCNOW()")).toEqual(call("UTCNOW"));
  });

  it("parses the string and conditional functions", () => {
    expect(expr("COALESCE(a, b, 1)")).toEqual(call("COALESCE", path("a"), path("b"), num("1")));
    expect(expr("NULLIF(a, 1)")).toEqual(call("NULLIF", path("a"), num("1")));
    expect(expr("char_length(a)")).toEqual(call("CHAR_LENGTH", path("a")));
    expect(expr("CHARACTER_LENGTH(a)")).toEqual(call("CHARACTER_LENGTH", path("a")));
    expect(expr("LOWER(a)")).toEqual(call("LOWER", path("a")));
    expect(expr("upper(a)")).toEqual(call("UPPER", path("a")));
  });

  it("parses both SUBSTRING forms", () => {
    expect(expr("SUBSTRING('123456789' FROM 2 FOR 3)")).toEqual({
      kind: "Substring",
      operand: str("123456789"),
      start: num("2"),
      length: num("3"),
    });
    expect(expr("substring(a FROM 2)")).toEqual({ kind: "Substring", operand: path("a"), start: num("2"), length: null });
    expect(expr("SUBSTRING(a, 2, 3)")).toEqual({ kind: "Substring", operand: path("a"), start: num("2"), length: num("3") });
    expect(expr("SUBSTRING(a, 2)")).toEqual({ kind: "Substring", operand: path("a"), start: num("2"), length: null });
  });

  it("parses every TRIM form", () => {
    const trim = (side: string, characters: unknown, operand: unknown) => ({ kind: "Trim", side, characters, operand });
    expect(expr("TRIM('  x  ')")).toEqual(trim("BOTH", null, str("  x  ")));
    expect(expr("TRIM(LEADING FROM a)")).toEqual(trim("LEADING", null, path("a")));
    expect(expr("trim(trailing 'x' from a)")).toEqual(trim("TRAILING", str("x"), path("a")));
    expect(expr("TRIM(BOTH '12' FROM a)")).toEqual(trim("BOTH", str("12"), path("a")));
    expect(expr("TRIM('x' FROM a)")).toEqual(trim("BOTH", str("x"), path("a")));
  });

  it("nests functions inside expressions", () => {
    expect(where("LOWER(s.name) LIKE 'a%' AND CHAR_LENGTH(s.name) > 3")).toEqual(
      bin(
        "AND",
        { kind: "Like", operand: call("LOWER", path("s", field("name"))), pattern: str("a%"), escape: null, negated: false },
        bin(">", call("CHAR_LENGTH", path("s", field("name"))), num("3")),
      ),
    );
  });
});

describe("parseSelect: errors", () => {
  it("ParseExpectedExpression when an expression is missing", () => {
    expectError("SELECT FROM S3Object", "ParseExpectedExpression", 1, 8, "FROM");
    expectError("SELECT * FROM S3Object WHERE", "ParseExpectedExpression", 1, 29, "");
    expectError("SELECT * FROM S3Object WHERE a IN ()", "ParseExpectedExpression", 1, 36);
    expectError("SELECT a,\n  , b FROM S3Object", "ParseExpectedExpression", 2, 3, ",");
  });

  it("ParseUnexpectedToken for a token after the statement, naming it", () => {
    const error = expectError("SELECT * FROM S3Object s WHERE a = 1 2", "ParseUnexpectedToken", 1, 38, "2");
    expect(error.message).toContain("'2'");
    expectError("SELECT * FROM S3Object s t", "ParseUnexpectedToken", 1, 26, "t");
    expectError("SELECT * FROM S3Object WHERE a NOT = 1", "ParseUnexpectedToken", 1, 32, "NOT");
  });

  it("ParseUnexpectedOperator when an expression starts with a binary operator", () => {
    expectError("SELECT * FROM S3Object WHERE = 1", "ParseUnexpectedOperator", 1, 30, "=");
    expectError("SELECT a * / 2 FROM S3Object", "ParseUnexpectedOperator", 1, 12, "/");
  });

  it("ParseUnknownOperator for ||", () => {
    expectError("SELECT a || b FROM S3Object", "ParseUnknownOperator", 1, 10, "||");
  });

  it("ParseExpectedTokenType when a specific token is missing", () => {
    const error = expectError("SELECT * FROM S3Object WHERE (a = 1", "ParseExpectedTokenType", 1, 36);
    expect(error.message).toContain("expected ')'");
    expectError("SELECT CASE WHEN a THEN 1 FROM S3Object", "ParseExpectedTokenType", 1, 27, "FROM");
    expectError("SELECT CASE a ELSE 1 END FROM S3Object", "ParseExpectedTokenType", 1, 15, "ELSE");
    expectError("SELECT CAST(a INT) FROM S3Object", "ParseExpectedTokenType", 1, 15, "INT");
    expectError("SELECT a", "ParseExpectedTokenType", 1, 9);
    expectError("SELECT * FROM", "ParseExpectedTokenType", 1, 14);
    expectError("SELECT * FROM S3Object LIMIT -1", "ParseExpectedTokenType", 1, 30, "-");
    expectError("SELECT * FROM S3Object LIMIT 1.5", "ParseExpectedTokenType", 1, 30, "1.5");
    expectError("SELECT * FROM S3Object WHERE a BETWEEN 1 OR 2", "ParseExpectedTokenType", 1, 42, "OR");
    expectError("SELECT * FROM S3Object WHERE a IS 1", "ParseExpectedTokenType", 1, 35, "1");
    expectError("SELECT * FROM S3Object[0 s", "ParseExpectedTokenType", 1, 26, "s");
    expectError("UPDATE x", "ParseExpectedTokenType", 1, 1, "UPDATE");
  });

  it("ParseInvalidPathComponent for bad path steps", () => {
    expectError("SELECT s.[0] FROM S3Object s", "ParseInvalidPathComponent", 1, 10, "[");
    expectError("SELECT s.a[-1] FROM S3Object s", "ParseInvalidPathComponent", 1, 12, "-");
    expectError("SELECT s.a[x] FROM S3Object s", "ParseInvalidPathComponent", 1, 12, "x");
    expectError("SELECT * FROM S3Object[1.5]", "ParseInvalidPathComponent", 1, 24, "1.5");
    expectError("SELECT * FROM S3Object.", "ParseInvalidPathComponent", 1, 24, "");
  });

  it("ParseUnsupportedSyntax for constructs outside the dialect", () => {
    expectError("SELECT * FROM mytable", "ParseUnsupportedSyntax", 1, 15, "mytable");
    expectError("SELECT CAST(a AS VARCHAR) FROM S3Object", "ParseUnsupportedSyntax", 1, 18, "VARCHAR");
    expectError("SELECT CAST(a AS INT(3)) FROM S3Object", "ParseUnsupportedSyntax", 1, 21, "(");
    expectError("SELECT DATE_ADD(week, 1, t) FROM S3Object", "ParseUnsupportedSyntax", 1, 17, "week");
    expectError("SELECT DATE_DIFF(timezone_hour, a, b) FROM S3Object", "ParseUnsupportedSyntax", 1, 18);
    expectError("SELECT EXTRACT(decade FROM t) FROM S3Object", "ParseUnsupportedSyntax", 1, 16, "decade");
    expectError('SELECT "LOWER"(a) FROM S3Object', "ParseUnsupportedSyntax", 1, 8);
  });

  it("UnsupportedSqlOperation for an unknown function, EvaluatorInvalidArguments for a wrong arity", () => {
    expectError("SELECT foo(a) FROM S3Object", "UnsupportedSqlOperation", 1, 8, "foo");
    const error = expectError("SELECT * FROM S3Object WHERE\n LOWER(a, b) = 'x'", "EvaluatorInvalidArguments", 2, 2, "LOWER");
    expect(error.message).toContain("LOWER takes 1 argument, not 2");
    expectError("SELECT UTCNOW(1) FROM S3Object", "EvaluatorInvalidArguments", 1, 8);
    expectError("SELECT COALESCE() FROM S3Object", "EvaluatorInvalidArguments", 1, 8);
  });

  it("ParseUnsupportedSyntax instead of a stack overflow for absurdly deep nesting", () => {
    for (const prefix of ["(", "-", "NOT ", "1 = "]) {
      const sql = `SELECT * FROM S3Object WHERE ${prefix.repeat(50_000)}1`;
      const error = errorOf(() => parseSelect(sql));
      expect(error.code).toBe("ParseUnsupportedSyntax");
      expect(error.message).toMatch(/^at line 1, column \d+: expression nested more than 500 levels deep$/);
    }
    expect(() => parseSelect(`SELECT * FROM S3Object WHERE ${"(".repeat(100)}1${")".repeat(100)} = 1`)).not.toThrow();
  });

  it("passes lexer errors and ExpressionTooLong through with positions", () => {
    expectError("SELECT * FROM S3Object WHERE a = 'x", "LexerInvalidLiteral", 1, 34);
    expectError("SELECT * FROM S3Object\nWHERE a = @", "LexerInvalidChar", 2, 11, "@");
    expectError(`SELECT * FROM S3Object WHERE a = '${"x".repeat(256 * 1024)}'`, "ExpressionTooLong", 1, 1);
  });
});

describe("parseSelect: S3Object casing", () => {
  it("accepts S3Object in any case and keeps the text", () => {
    expect(strip(parseSelect("SELECT * FROM S3OBJECT").from)).toMatchObject({ source: id("S3OBJECT") });
  });
});
