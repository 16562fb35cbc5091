import { describe, expect, it } from "vitest";
import { csvScope, jsonScope } from "./record-scope.ts";
import { EMPTY, NOW, ev, evShow, expectError } from "./test-helpers.ts";
import { MISSING, fromJson } from "./values.ts";

describe("literals and arithmetic", () => {
  it("evaluates literals", () => {
    expect(ev("'abc'")).toBe("abc");
    expect(ev("42")).toBe(42n);
    expect(ev("1.5")).toBe(1.5);
    expect(ev("TRUE")).toBe(true);
    expect(ev("NULL")).toBe(null);
    expect(ev("MISSING")).toBe(MISSING);
    expect(evShow("`2010-01-01T`")).toBe("2010-01-01T");
  });

  it("keeps INT arithmetic exact and switches to FLOAT with a float", () => {
    expect(ev("1 + 2 * 3")).toBe(7n);
    expect(ev("7 / 2")).toBe(3n);
    expect(ev("-7 / 2")).toBe(-3n);
    expect(ev("-7 % 3")).toBe(-1n);
    expect(ev("7 % 3")).toBe(1n);
    expect(ev("7.0 / 2")).toBe(3.5);
    expect(ev("1 - 0.5")).toBe(0.5);
    expect(ev("-(2 + 3)")).toBe(-5n);
    expect(ev("+4")).toBe(4n);
    expect(ev("9007199254740993 + 1")).toBe(9007199254740994n);
  });

  it("propagates NULL and MISSING (MISSING wins)", () => {
    expect(ev("1 + NULL")).toBe(null);
    expect(ev("MISSING * 2")).toBe(MISSING);
    expect(ev("NULL - MISSING")).toBe(MISSING);
    expect(ev("-NULL")).toBe(null);
  });

  it("rejects division by zero and non-numbers", () => {
    expectError(() => ev("1 / 0"), "EvaluatorInvalidArguments", { line: 1, column: 3 });
    expectError(() => ev("1.5 % 0"), "EvaluatorInvalidArguments");
    expectError(() => ev("'1' + 1"), "InvalidDataType", { line: 1, column: 5 });
    expectError(() => ev("-'a'"), "InvalidDataType");
  });
});

describe("comparisons", () => {
  it("compares numbers, strings, booleans and timestamps", () => {
    expect(ev("1 = 1.0")).toBe(true);
    expect(ev("1 <> 2")).toBe(true);
    expect(ev("1 != 1")).toBe(false);
    expect(ev("2 > 1.5")).toBe(true);
    expect(ev("2 >= 2")).toBe(true);
    expect(ev("2 <= 1")).toBe(false);
    expect(ev("'a' < 'b'")).toBe(true);
    expect(ev("'B' < 'a'")).toBe(true);
    expect(ev("'abc' = 'ABC'")).toBe(false);
    expect(ev("FALSE < TRUE")).toBe(true);
    expect(ev("`2010-01-01T` < `2010-01-02T`")).toBe(true);
    expect(ev("`2017-01-02T03:04+01:00` = `2017-01-02T02:04Z`")).toBe(true);
    expect(ev("`2010T` = `2010-01-01T00:00Z`")).toBe(true);
  });

  it("gives NULL with NULL and MISSING with MISSING", () => {
    expect(ev("1 = NULL")).toBe(null);
    expect(ev("NULL = NULL")).toBe(null);
    expect(ev("1 < MISSING")).toBe(MISSING);
    expect(ev("NULL <> MISSING")).toBe(MISSING);
  });

  it("treats equality across types as false and ordering across types as an error", () => {
    expect(ev("'1' = 1")).toBe(false);
    expect(ev("'1' <> 1")).toBe(true);
    expectError(() => ev("'1' < 1"), "InvalidDataType", { line: 1, column: 5 });
  });
});

describe("three-valued logic", () => {
  const values = ["TRUE", "FALSE", "NULL", "MISSING"] as const;
  const truth = (v: string): boolean | null => (v === "TRUE" ? true : v === "FALSE" ? false : null);

  it("AND / OR follow the truth tables, MISSING acting as NULL", () => {
    for (const a of values) {
      for (const b of values) {
        const x = truth(a);
        const y = truth(b);
        const and = x === false || y === false ? false : x === null || y === null ? null : true;
        const or = x === true || y === true ? true : x === null || y === null ? null : false;
        expect(ev(`${a} AND ${b}`), `${a} AND ${b}`).toBe(and);
        expect(ev(`${a} OR ${b}`), `${a} OR ${b}`).toBe(or);
      }
    }
  });

  it("NOT", () => {
    expect(ev("NOT TRUE")).toBe(false);
    expect(ev("NOT FALSE")).toBe(true);
    expect(ev("NOT NULL")).toBe(null);
    expect(ev("NOT MISSING")).toBe(null);
  });

  it("rejects non-boolean operands", () => {
    expectError(() => ev("1 AND TRUE"), "InvalidDataType", { line: 1, column: 1 });
    expectError(() => ev("NOT 'x'"), "InvalidDataType");
  });
});

describe("IS, BETWEEN, IN, LIKE", () => {
  it("IS [NOT] NULL / MISSING", () => {
    expect(ev("NULL IS NULL")).toBe(true);
    expect(ev("MISSING IS NULL")).toBe(true);
    expect(ev("1 IS NULL")).toBe(false);
    expect(ev("1 IS NOT NULL")).toBe(true);
    expect(ev("MISSING IS NOT NULL")).toBe(false);
    expect(ev("MISSING IS MISSING")).toBe(true);
    expect(ev("NULL IS MISSING")).toBe(false);
    expect(ev("NULL IS NOT MISSING")).toBe(true);
  });

  it("BETWEEN is inclusive", () => {
    expect(ev("5 BETWEEN 1 AND 5")).toBe(true);
    expect(ev("1 BETWEEN 1 AND 5")).toBe(true);
    expect(ev("6 BETWEEN 1 AND 5")).toBe(false);
    expect(ev("6 NOT BETWEEN 1 AND 5")).toBe(true);
    expect(ev("'b' BETWEEN 'a' AND 'c'")).toBe(true);
    expect(ev("NULL BETWEEN 1 AND 5")).toBe(null);
    expect(ev("MISSING NOT BETWEEN 1 AND 5")).toBe(MISSING);
    expect(ev("9 BETWEEN NULL AND 5")).toBe(false);
  });

  it("IN a list", () => {
    expect(ev("2 IN (1, 2, 3)")).toBe(true);
    expect(ev("4 IN (1, 2, 3)")).toBe(false);
    expect(ev("4 NOT IN (1, 2, 3)")).toBe(true);
    expect(ev("'a' IN ('b', 'a')")).toBe(true);
    expect(ev("4 IN (1, NULL)")).toBe(null);
    expect(ev("1 IN (1, NULL)")).toBe(true);
    expect(ev("NULL IN (1)")).toBe(null);
    expect(ev("4 NOT IN (1, NULL)")).toBe(null);
  });

  it("IN a path with [*]", () => {
    const scope = jsonScope(fromJson({ tags: ["x", "y"], n: [1, 2] }), { alias: "s" });
    expect(ev("'y' IN s.tags[*]", scope)).toBe(true);
    expect(ev("'z' IN s.tags[*]", scope)).toBe(false);
    expect(ev("2 IN s.n[*]", scope)).toBe(true);
    expect(ev("2 IN s.nothing[*]", scope)).toBe(false);
  });

  it("LIKE with % and _, anchored and case-sensitive", () => {
    expect(ev("'abc' LIKE 'a%'")).toBe(true);
    expect(ev("'abc' LIKE '%c'")).toBe(true);
    expect(ev("'abc' LIKE 'b%'")).toBe(false);
    expect(ev("'abc' LIKE 'a_c'")).toBe(true);
    expect(ev("'abbc' LIKE 'a_c'")).toBe(false);
    expect(ev("'abc' LIKE 'ABC'")).toBe(false);
    expect(ev("'a.c' LIKE 'a.c'")).toBe(true);
    expect(ev("'abc' LIKE 'a.c'")).toBe(false);
    expect(ev("'line1\nline2' LIKE 'line1%'")).toBe(true);
    expect(ev("'abc' NOT LIKE 'x%'")).toBe(true);
    expect(ev("NULL LIKE 'a'")).toBe(null);
    expect(ev("MISSING LIKE 'a'")).toBe(MISSING);
  });

  it("LIKE ESCAPE", () => {
    expect(ev("'100%' LIKE '100!%' ESCAPE '!'")).toBe(true);
    expect(ev("'1000' LIKE '100!%' ESCAPE '!'")).toBe(false);
    expect(ev("'a_b' LIKE 'a\\_b' ESCAPE '\\'")).toBe(true);
    expect(ev("'axb' LIKE 'a\\_b' ESCAPE '\\'")).toBe(false);
    expect(ev("'a!b' LIKE 'a!!b' ESCAPE '!'")).toBe(true);
    expectError(() => ev("'a' LIKE 'a' ESCAPE '!!'"), "EvaluatorInvalidArguments");
    expectError(() => ev("'a' LIKE 'a!' ESCAPE '!'"), "EvaluatorInvalidArguments");
    expectError(() => ev("1 LIKE 'a'"), "IncorrectSqlFunctionArgumentType");
  });
});

describe("CASE, COALESCE, NULLIF", () => {
  it("simple and searched CASE", () => {
    expect(ev("CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END")).toBe("two");
    expect(ev("CASE 9 WHEN 1 THEN 'one' ELSE 'many' END")).toBe("many");
    expect(ev("CASE 9 WHEN 1 THEN 'one' END")).toBe(null);
    expect(ev("CASE NULL WHEN NULL THEN 'null' ELSE 'other' END")).toBe("other");
    expect(ev("CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' END")).toBe("b");
    expect(ev("CASE WHEN NULL THEN 'a' ELSE 'b' END")).toBe("b");
  });

  it("COALESCE and NULLIF", () => {
    expect(ev("COALESCE(NULL, MISSING, 3, 4)")).toBe(3n);
    expect(ev("COALESCE(NULL, MISSING)")).toBe(null);
    expect(ev("COALESCE(1)")).toBe(1n);
    expect(ev("NULLIF(1, 1)")).toBe(null);
    expect(ev("NULLIF(1, 2)")).toBe(1n);
    expect(ev("NULLIF('a', NULL)")).toBe("a");
  });
});

describe("CAST", () => {
  it("casts strings", () => {
    expect(ev("CAST('12' AS INT)")).toBe(12n);
    expect(ev("CAST(' -12 ' AS INTEGER)")).toBe(-12n);
    expect(ev("CAST('12.9' AS INT)")).toBe(12n);
    expect(ev("CAST('1.5' AS FLOAT)")).toBe(1.5);
    expect(ev("CAST('1e3' AS DECIMAL)")).toBe(1000);
    expect(ev("CAST('3.14159' AS DECIMAL(5, 2))")).toBe(3.14);
    expect(ev("CAST('TRUE' AS BOOL)")).toBe(true);
    expect(ev("CAST('false' AS BOOLEAN)")).toBe(false);
    expect(evShow("CAST('2010-01-01T' AS TIMESTAMP)")).toBe("2010-01-01T");
    expect(ev("CAST('abc' AS STRING)")).toBe("abc");
  });

  it("casts other values", () => {
    expect(ev("CAST(12.9 AS INT)")).toBe(12n);
    expect(ev("CAST(-12.9 AS INT)")).toBe(-12n);
    expect(ev("CAST(TRUE AS INT)")).toBe(1n);
    expect(ev("CAST(3 AS FLOAT)")).toBe(3);
    expect(ev("CAST(0 AS BOOL)")).toBe(false);
    expect(ev("CAST(12 AS STRING)")).toBe("12");
    expect(ev("CAST(1.5 AS STRING)")).toBe("1.5");
    expect(ev("CAST(TRUE AS STRING)")).toBe("true");
    expect(ev("CAST(`2010-01-01T10:00Z` AS STRING)")).toBe("2010-01-01T10:00Z");
    expect(ev("CAST(NULL AS INT)")).toBe(null);
    expect(ev("CAST(MISSING AS INT)")).toBe(MISSING);
  });

  it("fails on unparsable strings and impossible conversions", () => {
    expectError(() => ev("CAST('abc' AS INT)"), "CastFailed", { line: 1, column: 1 });
    expectError(() => ev("CAST('abc' AS FLOAT)"), "CastFailed");
    expectError(() => ev("CAST('yes' AS BOOL)"), "CastFailed");
    expectError(() => ev("CAST('2010-13-01T' AS TIMESTAMP)"), "CastFailed");
    expectError(() => ev("CAST(`2010T` AS INT)"), "InvalidCast");
    expectError(() => ev("CAST(1 AS TIMESTAMP)"), "InvalidCast");
  });

  it("casts CSV fields", () => {
    const scope = csvScope(["7", "2.5"], null, { alias: "s" });
    expect(ev("CAST(s._1 AS INT) + 1", scope)).toBe(8n);
    expect(ev("CAST(_2 AS FLOAT) * 2", scope)).toBe(5);
    expect(ev("s._1 = '7'", scope)).toBe(true);
  });
});

describe("string functions", () => {
  it("CHAR_LENGTH, LOWER, UPPER", () => {
    expect(ev("CHAR_LENGTH('')")).toBe(0n);
    expect(ev("CHAR_LENGTH('abc')")).toBe(3n);
    expect(ev("CHARACTER_LENGTH('héllo😀')")).toBe(6n);
    expect(ev("LOWER('AbC')")).toBe("abc");
    expect(ev("UPPER('AbC')")).toBe("ABC");
    expect(ev("UPPER(NULL)")).toBe(null);
    expect(ev("LOWER(MISSING)")).toBe(MISSING);
    expectError(() => ev("UPPER(1)"), "IncorrectSqlFunctionArgumentType", { line: 1, column: 7 });
  });

  it("SUBSTRING (AWS reference examples and edge cases)", () => {
    expect(ev("SUBSTRING('123456789', 0)")).toBe("123456789");
    expect(ev("SUBSTRING('123456789', 1)")).toBe("123456789");
    expect(ev("SUBSTRING('123456789', 2)")).toBe("23456789");
    expect(ev("SUBSTRING('123456789', -4)")).toBe("123456789");
    expect(ev("SUBSTRING('123456789', 0, 999)")).toBe("123456789");
    expect(ev("SUBSTRING('123456789', 1, 5)")).toBe("12345");
    expect(ev("SUBSTRING('123456789', 1, 4)")).toBe("1234");
    expect(ev("SUBSTRING('123456789', 0, 2)")).toBe("1");
    expect(ev("SUBSTRING('123456789', -4, 6)")).toBe("1");
    expect(ev("SUBSTRING('123456789', 20)")).toBe("");
    expect(ev("SUBSTRING('123456789', 3, 0)")).toBe("");
    expect(ev("SUBSTRING('123456789' FROM 3 FOR 2)")).toBe("34");
    expect(ev("SUBSTRING('123456789' FROM 8)")).toBe("89");
    expect(ev("SUBSTRING(NULL, 1)")).toBe(null);
    expectError(() => ev("SUBSTRING('abc', 1, -1)"), "EvaluatorInvalidArguments");
    expectError(() => ev("SUBSTRING('abc', 'x')"), "IncorrectSqlFunctionArgumentType");
  });

  it("TRIM (AWS reference examples)", () => {
    expect(ev("TRIM('       foobar         ')")).toBe("foobar");
    expect(ev("TRIM('      \tfoobar\t         ')")).toBe("\tfoobar\t");
    expect(ev("TRIM(LEADING FROM '       foobar         ')")).toBe("foobar         ");
    expect(ev("TRIM(TRAILING FROM '       foobar         ')")).toBe("       foobar");
    expect(ev("TRIM(BOTH FROM '       foobar         ')")).toBe("foobar");
    expect(ev("TRIM(BOTH '12' FROM '1112211foobar22211122')")).toBe("foobar");
    expect(ev("TRIM(LEADING '1' FROM '111abc')")).toBe("abc");
    expect(ev("TRIM(TRAILING 'c' FROM '111abcc')")).toBe("111ab");
    expect(ev("TRIM('x' FROM 'xxaxx')")).toBe("a");
    expect(ev("TRIM(NULL)")).toBe(null);
  });
});

describe("date functions", () => {
  it("DATE_ADD (AWS reference examples)", () => {
    expect(evShow("DATE_ADD(year, 5, `2010-01-01T`)")).toBe("2015-01-01T");
    expect(evShow("DATE_ADD(month, 1, `2010T`)")).toBe("2010-02T");
    expect(evShow("DATE_ADD(month, 13, `2010T`)")).toBe("2011-02T");
    expect(evShow("DATE_ADD(day, -1, `2017-01-10T`)")).toBe("2017-01-09T");
    expect(evShow("DATE_ADD(hour, 1, `2017T`)")).toBe("2017-01-01T01:00-00:00");
    expect(evShow("DATE_ADD(hour, 1, `2017-01-02T03:04Z`)")).toBe("2017-01-02T04:04Z");
    expect(evShow("DATE_ADD(minute, 1, `2017-01-02T03:04:05.006Z`)")).toBe("2017-01-02T03:05:05.006Z");
    expect(evShow("DATE_ADD(second, 1, `2017-01-02T03:04:05.006Z`)")).toBe("2017-01-02T03:04:06.006Z");
    expect(evShow("DATE_ADD(month, 1, `2011-01-31T`)")).toBe("2011-02-28T");
    expect(evShow("DATE_ADD(hour, 2, `2017-01-02T23:30+05:00`)")).toBe("2017-01-03T01:30+05:00");
    expect(ev("DATE_ADD(day, NULL, `2017T`)")).toBe(null);
    expectError(() => ev("DATE_ADD(year, 9000, `2017T`)"), "EvaluatorInvalidArguments", { line: 1, column: 1 });
    expectError(() => ev("DATE_ADD(day, 1, '2017')"), "IncorrectSqlFunctionArgumentType");
    expectError(() => ev("DATE_ADD(day, 1.5, `2017T`)"), "IncorrectSqlFunctionArgumentType");
  });

  it("DATE_DIFF (AWS reference examples)", () => {
    expect(ev("DATE_DIFF(day, `2010-01-01T`, `2010-01-02T`)")).toBe(1n);
    expect(ev("DATE_DIFF(year, `2010-01-01T`, `2011-01-01T`)")).toBe(1n);
    expect(ev("DATE_DIFF(month, `2010T`, `2011T`)")).toBe(12n);
    expect(ev("DATE_DIFF(month, `2011T`, `2010T`)")).toBe(-12n);
    expect(ev("DATE_DIFF(day, `2010-01-01T23:00Z`, `2010-01-02T01:00Z`)")).toBe(0n);
    expect(ev("DATE_DIFF(month, `2010-01-31T`, `2010-02-28T`)")).toBe(0n);
    expect(ev("DATE_DIFF(year, `2010-06-01T`, `2011-05-31T`)")).toBe(0n);
    expect(ev("DATE_DIFF(hour, `2017-01-02T03:04Z`, `2017-01-02T05:03Z`)")).toBe(1n);
    expect(ev("DATE_DIFF(minute, `2017-01-02T03:04Z`, `2017-01-02T03:04+01:00`)")).toBe(-60n);
    expect(ev("DATE_DIFF(second, `2017-01-02T03:04:05Z`, `2017-01-02T03:04:07.5Z`)")).toBe(2n);
  });

  it("EXTRACT (AWS reference examples)", () => {
    expect(ev("EXTRACT(YEAR FROM `2010-01-01T`)")).toBe(2010n);
    expect(ev("EXTRACT(MONTH FROM `2010T`)")).toBe(1n);
    expect(ev("EXTRACT(MONTH FROM `2010-10T`)")).toBe(10n);
    expect(ev("EXTRACT(DAY FROM `2010-10-09T`)")).toBe(9n);
    expect(ev("EXTRACT(HOUR FROM `2017-01-02T03:04:05+07:08`)")).toBe(3n);
    expect(ev("EXTRACT(MINUTE FROM `2017-01-02T03:04:05+07:08`)")).toBe(4n);
    expect(ev("EXTRACT(SECOND FROM `2017-01-02T03:04:05+07:08`)")).toBe(5n);
    expect(ev("EXTRACT(TIMEZONE_HOUR FROM `2017-01-02T03:04:05+07:08`)")).toBe(7n);
    expect(ev("EXTRACT(TIMEZONE_MINUTE FROM `2017-01-02T03:04:05+07:08`)")).toBe(8n);
    expect(ev("EXTRACT(TIMEZONE_HOUR FROM `2017-01-02T03:04:05-07:08`)")).toBe(-7n);
    expect(ev("EXTRACT(TIMEZONE_MINUTE FROM `2017-01-02T03:04:05-07:08`)")).toBe(-8n);
    expect(ev("EXTRACT(YEAR FROM NULL)")).toBe(null);
  });

  it("TO_STRING (AWS reference examples)", () => {
    expect(ev("TO_STRING(`1969-07-20T20:18Z`, 'MMMM d, y')")).toBe("July 20, 1969");
    expect(ev("TO_STRING(`1969-07-20T20:18Z`, 'MMM d, yyyy')")).toBe("Jul 20, 1969");
    expect(ev("TO_STRING(`1969-07-20T20:18Z`, 'M-d-yy')")).toBe("7-20-69");
    expect(ev("TO_STRING(`1969-07-20T20:18Z`, 'MM-d-y')")).toBe("07-20-1969");
    expect(ev("TO_STRING(`1969-07-20T20:18Z`, 'MMMM d, y h:m a')")).toBe("July 20, 1969 8:18 PM");
    expect(ev("TO_STRING(`1969-07-20T20:18Z`, 'y-MM-dd''T''H:m:ssX')")).toBe("1969-07-20T20:18:00Z");
    expect(ev("TO_STRING(`1969-07-20T20:18+08:00`, 'y-MM-dd''T''H:m:ssXXXX')")).toBe("1969-07-20T20:18:00+0800");
    expect(ev("TO_STRING(`1969-07-20T20:18+08:00`, 'y-MM-dd''T''H:m:ssXXXXX')")).toBe(
      "1969-07-20T20:18:00+08:00",
    );
    expect(ev("TO_STRING(`1969-07-20T20:18+08:00`, 'X x xxx')")).toBe("+08 +08 +08:00");
    expect(ev("TO_STRING(`1969-07-20T20:18Z`, 'x')")).toBe("+00");
    expect(ev("TO_STRING(`2001-02-03T04:05:06.789Z`, 'HH:mm:ss.SSS hh a S SSSSS')")).toBe(
      "04:05:06.789 04 AM 7 78900",
    );
    expect(ev("TO_STRING(`2001-02-03T00:05Z`, 'h MMMMM')")).toBe("12 F");
    expectError(() => ev("TO_STRING(`2001T`, 'Q')"), "EvaluatorInvalidArguments");
    expectError(() => ev("TO_STRING('2001', 'y')"), "IncorrectSqlFunctionArgumentType");
  });

  it("TO_TIMESTAMP and UTCNOW", () => {
    expect(evShow("TO_TIMESTAMP('2007T')")).toBe("2007T");
    expect(evShow("TO_TIMESTAMP('2007-02-23T12:14:33.079-08:00')")).toBe("2007-02-23T12:14:33.079-08:00");
    expect(ev("TO_TIMESTAMP(NULL)")).toBe(null);
    expectError(() => ev("TO_TIMESTAMP('yesterday')"), "CastFailed", { line: 1, column: 14 });
    expect(evShow("UTCNOW()", EMPTY)).toBe("2024-03-05T06:07:08.009Z");
    expect(ev("EXTRACT(YEAR FROM UTCNOW())", csvScope([], null, { now: NOW }))).toBe(2024n);
  });
});

describe("aggregates outside an aggregate query", () => {
  it("is unsupported", () => {
    expectError(() => ev("COUNT(*)"), "UnsupportedSqlOperation", { line: 1, column: 1 });
  });
});
