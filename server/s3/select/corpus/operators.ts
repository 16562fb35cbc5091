/**
 * Logical, comparison, pattern-matching, unitary and math operators and their
 * precedence, with NULL and MISSING.
 *
 * From the AWS S3 Select SQL reference, "Operators" (logical AND/NOT/OR, comparison
 * < > <= >= = <> != BETWEEN IN, pattern matching LIKE with _ and %, unitary IS NULL /
 * IS NOT NULL, math + - * / %, and the operator precedence table) and "SELECT command"
 * (IS MISSING, `x IN alias.arr[*]`). AWS gives the operators and their precedence, not
 * result tables: expected results follow SQL three-valued logic, and MISSING as in
 * the reference (MISSING propagates where NULL would; `IS NULL` is true for both).
 */
import { CSV_OUT, CSV_USE, JSON_LINES, JSON_OUT, lines, scalar, type CorpusCase } from "./case.ts";
import { PEOPLE_CSV } from "./clauses-and-paths.ts";

const NULLS = lines('{"id":1,"a":null}', '{"id":2}', '{"id":3,"a":0}');

function where(name: string, condition: string, ids: string): CorpusCase {
  return {
    name,
    expression: `SELECT s.id FROM S3Object s WHERE ${condition}`,
    input: JSON_LINES,
    output: CSV_OUT,
    data: NULLS,
    expect: { records: ids },
  };
}

export const operatorsCases: CorpusCase[] = [
  // Logical operators (three-valued).
  scalar("TRUE AND TRUE", "TRUE AND TRUE", '{"v":true}'),
  scalar("TRUE AND FALSE", "TRUE AND FALSE", '{"v":false}'),
  scalar("TRUE AND NULL is NULL", "TRUE AND NULL", '{"v":null}'),
  scalar("FALSE AND NULL is FALSE", "FALSE AND NULL", '{"v":false}'),
  scalar("FALSE OR TRUE", "FALSE OR TRUE", '{"v":true}'),
  scalar("TRUE OR NULL is TRUE", "TRUE OR NULL", '{"v":true}'),
  scalar("FALSE OR NULL is NULL", "FALSE OR NULL", '{"v":null}'),
  scalar("NOT TRUE", "NOT TRUE", '{"v":false}'),
  scalar("NOT NULL is NULL", "NOT NULL", '{"v":null}'),
  scalar("MISSING AND TRUE behaves as NULL", "MISSING AND TRUE", '{"v":null}'),
  // Comparison operators.
  scalar("1 = 1", "1 = 1", '{"v":true}'),
  scalar("1 = 2", "1 = 2", '{"v":false}'),
  scalar("1 <> 2", "1 <> 2", '{"v":true}'),
  scalar("1 != 1", "1 != 1", '{"v":false}'),
  scalar("2 < 3", "2 < 3", '{"v":true}'),
  scalar("3 > 2", "3 > 2", '{"v":true}'),
  scalar("2 <= 2", "2 <= 2", '{"v":true}'),
  scalar("2 >= 3", "2 >= 3", '{"v":false}'),
  scalar("INT and FLOAT compare by value", "1 = 1.0", '{"v":true}'),
  scalar("strings compare case-sensitively", "'abc' = 'ABC'", '{"v":false}'),
  scalar("string ordering", "'apple' < 'banana'", '{"v":true}'),
  scalar("comparison with NULL is NULL", "1 = NULL", '{"v":null}'),
  scalar("NULL = NULL is NULL", "NULL = NULL", '{"v":null}'),
  scalar("comparison with MISSING is MISSING", "MISSING = 1", "{}"),
  scalar("timestamp ordering", "`2010-01-01T` < `2011T`", '{"v":true}'),
  // BETWEEN.
  scalar("5 BETWEEN 1 AND 10", "5 BETWEEN 1 AND 10", '{"v":true}'),
  scalar("BETWEEN is inclusive", "10 BETWEEN 1 AND 10", '{"v":true}'),
  scalar("11 BETWEEN 1 AND 10", "11 BETWEEN 1 AND 10", '{"v":false}'),
  scalar("NOT BETWEEN", "5 NOT BETWEEN 1 AND 4", '{"v":true}'),
  scalar("BETWEEN on strings", "'b' BETWEEN 'a' AND 'c'", '{"v":true}'),
  scalar("NULL BETWEEN is NULL", "NULL BETWEEN 1 AND 2", '{"v":null}'),
  // IN.
  scalar("2 IN (1, 2, 3)", "2 IN (1, 2, 3)", '{"v":true}'),
  scalar("4 IN (1, 2, 3)", "4 IN (1, 2, 3)", '{"v":false}'),
  scalar("4 NOT IN (1, 2, 3)", "4 NOT IN (1, 2, 3)", '{"v":true}'),
  scalar("IN with strings", "'b' IN ('a', 'b')", '{"v":true}'),
  scalar("no match in a list with NULL is NULL", "4 IN (1, NULL)", '{"v":null}'),
  scalar("a match in a list with NULL is TRUE", "1 IN (1, NULL)", '{"v":true}'),
  {
    name: "x IN alias.arr[*]",
    expression: "SELECT s.id FROM S3Object s WHERE 'red' IN s.tags[*]",
    input: JSON_LINES,
    output: CSV_OUT,
    data: lines('{"id":1,"tags":["red","blue"]}', '{"id":2,"tags":["green"]}', '{"id":3,"tags":["blue","red"]}', '{"id":4}'),
    expect: { records: lines("1", "3") },
  },
  {
    name: "x IN alias.arr[*].field",
    expression: "SELECT s.id FROM S3Object s WHERE 2 IN s.items[*].n",
    input: JSON_LINES,
    output: CSV_OUT,
    data: lines('{"id":"a","items":[{"n":1},{"n":2}]}', '{"id":"b","items":[{"n":3}]}'),
    expect: { records: lines("a") },
  },
  {
    name: "x NOT IN alias.arr[*]",
    expression: "SELECT s.id FROM S3Object s WHERE 'red' NOT IN s.tags[*]",
    input: JSON_LINES,
    output: CSV_OUT,
    data: lines('{"id":1,"tags":["red","blue"]}', '{"id":2,"tags":["green"]}'),
    expect: { records: lines("2") },
  },
  // LIKE.
  scalar("LIKE with %", "'abc' LIKE 'a%'", '{"v":true}'),
  scalar("LIKE with _", "'abc' LIKE '_b_'", '{"v":true}'),
  scalar("LIKE must match the whole string", "'abc' LIKE 'b%'", '{"v":false}'),
  scalar("LIKE is case-sensitive", "'ABC' LIKE 'a%'", '{"v":false}'),
  scalar("% matches the empty string", "'' LIKE '%'", '{"v":true}'),
  scalar("_ matches exactly one character", "'ab' LIKE '_'", '{"v":false}'),
  scalar("NOT LIKE", "'abc' NOT LIKE '%d%'", '{"v":true}'),
  scalar("LIKE ... ESCAPE makes % literal", "'a%c' LIKE 'a!%c' ESCAPE '!'", '{"v":true}'),
  scalar("LIKE ... ESCAPE: an escaped % does not match other text", "'abc' LIKE 'a!%c' ESCAPE '!'", '{"v":false}'),
  scalar("LIKE ... ESCAPE makes _ literal", "'a_c' LIKE 'a\\_c' ESCAPE '\\'", '{"v":true}'),
  scalar("LIKE with NULL is NULL", "NULL LIKE 'a%'", '{"v":null}'),
  {
    name: "LIKE in WHERE over the sample CSV",
    expression: "SELECT s.Name FROM S3Object s WHERE s.Name LIKE 'J%'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Jeff", "Jane") },
  },
  {
    name: "LIKE with _ in WHERE over the sample CSV",
    expression: "SELECT s.PhoneNumber FROM S3Object s WHERE s.PhoneNumber LIKE '%670_' AND s.City LIKE 'L%'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("(949) 555-6702") },
  },
  // IS [NOT] NULL / MISSING.
  where("IS NULL is true for NULL and MISSING", "s.a IS NULL", lines("1", "2")),
  where("IS NOT NULL", "s.a IS NOT NULL", lines("3")),
  where("IS MISSING is true only for MISSING", "s.a IS MISSING", lines("2")),
  where("IS NOT MISSING", "s.a IS NOT MISSING", lines("1", "3")),
  where("a comparison with NULL/MISSING never passes WHERE", "s.a = 0 OR s.a <> 0", lines("3")),
  where("NOT of a comparison with NULL/MISSING never passes WHERE", "NOT (s.a = 0)", ""),
  scalar("MISSING IS NULL", "MISSING IS NULL", '{"v":true}'),
  scalar("NULL IS MISSING", "NULL IS MISSING", '{"v":false}'),
  // Math.
  scalar("1 + 2", "1 + 2", '{"v":3}'),
  scalar("7 - 10", "7 - 10", '{"v":-3}'),
  scalar("6 * 7", "6 * 7", '{"v":42}'),
  scalar("INT / INT truncates", "7 / 2", '{"v":3}'),
  scalar("FLOAT division", "7.0 / 2", '{"v":3.5}'),
  scalar("7 % 3", "7 % 3", '{"v":1}'),
  scalar("modulo keeps the dividend's sign", "-7 % 3", '{"v":-1}'),
  scalar("unary minus", "-(2 + 3)", '{"v":-5}'),
  scalar("double unary minus", "- -2", '{"v":2}'),
  scalar("FLOAT arithmetic", "1.5 + 2.25", '{"v":3.75}'),
  scalar("arithmetic with NULL is NULL", "1 + NULL", '{"v":null}'),
  scalar("arithmetic with MISSING is MISSING", "1 + MISSING", "{}"),
  // Precedence.
  scalar("* before +", "1 + 2 * 3", '{"v":7}'),
  scalar("parentheses", "(1 + 2) * 3", '{"v":9}'),
  scalar("- is left-associative", "10 - 2 - 3", '{"v":5}'),
  scalar("/ is left-associative", "100 / 10 / 5", '{"v":2}'),
  scalar("* and % share a level, left to right", "2 * 3 % 4", '{"v":2}'),
  scalar("unary minus binds tighter than *", "-2 * 3", '{"v":-6}'),
  scalar("NOT binds looser than =", "NOT 1 = 2", '{"v":true}'),
  scalar("AND binds tighter than OR", "TRUE OR FALSE AND FALSE", '{"v":true}'),
  scalar("+ binds tighter than BETWEEN", "1 + 1 BETWEEN 1 AND 2", '{"v":true}'),
  scalar("< binds tighter than =", "1 < 2 = TRUE", '{"v":true}'),
  scalar("IN binds tighter than =", "2 IN (1, 2) = TRUE", '{"v":true}'),
  scalar("= is right-associative", "FALSE = 1 = 2", '{"v":true}'),
  scalar("arithmetic inside comparisons", "2 * 3 > 5 AND 10 % 3 = 1", '{"v":true}'),
  {
    name: "CAST of CSV text then compare, in WHERE",
    expression: "SELECT _1 FROM S3Object WHERE CAST(_2 AS INT) * 2 >= 10 AND NOT _1 = 'c'",
    input: { CSV: {} },
    output: CSV_OUT,
    data: lines("a,4", "b,5", "c,6", "d,7"),
    expect: { records: lines("b", "d") },
  },
  {
    name: "OR in WHERE over CSV",
    expression: "SELECT s.Name FROM S3Object s WHERE s.City = 'Irvine' OR s.City = 'Seattle'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sam", "Jeff") },
  },
  {
    name: "IN over CSV fields",
    expression: "SELECT s.Name FROM S3Object s WHERE s.City IN ('Irvine', 'Los Angeles')",
    input: CSV_USE,
    output: JSON_OUT,
    data: PEOPLE_CSV,
    expect: { records: '{"Name":"Sam"}\n{"Name":"Vinod"}\n' },
  },
  scalar("LIKE treats regular-expression characters literally", "'abc' LIKE 'a.c'", '{"v":false}'),
  scalar("LIKE with a literal dot", "'a.c' LIKE 'a.c'", '{"v":true}'),
  scalar("LIKE with + and brackets", "'a+[b]' LIKE 'a+[%]'", '{"v":true}'),
  scalar("IN with negative numbers", "-1 IN (-1, 2)", '{"v":true}'),
  scalar("IN mixing INT and FLOAT", "2 IN (1.5, 2.0)", '{"v":true}'),
  {
    name: "BETWEEN over cast CSV values in WHERE",
    expression: "SELECT _1 FROM S3Object WHERE CAST(_2 AS INT) BETWEEN 5 AND 6",
    input: { CSV: {} },
    output: CSV_OUT,
    data: lines("a,4", "b,5", "c,6", "d,7"),
    expect: { records: lines("b", "c") },
  },
];
