/**
 * String functions: CHAR_LENGTH, CHARACTER_LENGTH, LOWER, UPPER, SUBSTRING (comma and
 * FROM/FOR forms), TRIM (LEADING/TRAILING/BOTH, with characters).
 *
 * From the AWS S3 Select SQL reference, "String functions": every example there is a
 * case here (`CHAR_LENGTH('')` 0, `CHAR_LENGTH('abcdefg')` 7,
 * `LOWER('AbCdEfG!@#$')`, the six SUBSTRING("123456789", ...) examples, the six TRIM
 * examples, `UPPER('AbCdEfG!@#$')`), written with single-quoted strings; plus NULL /
 * MISSING arguments and use on CSV fields.
 */
import { CSV_OUT, CSV_USE, JSON_LINES, JSON_OUT, lines, scalar, scalarError, type CorpusCase } from "./case.ts";
import { PEOPLE_CSV } from "./clauses-and-paths.ts";

export const functionsStringCases: CorpusCase[] = [
  scalar("CHAR_LENGTH('')", "CHAR_LENGTH('')", '{"v":0}'),
  scalar("CHAR_LENGTH('abcdefg')", "CHAR_LENGTH('abcdefg')", '{"v":7}'),
  scalar("CHARACTER_LENGTH('')", "CHARACTER_LENGTH('')", '{"v":0}'),
  scalar("CHARACTER_LENGTH('abcdefg')", "CHARACTER_LENGTH('abcdefg')", '{"v":7}'),
  scalar("CHAR_LENGTH counts characters, not bytes", "CHAR_LENGTH('héllo wörld')", '{"v":11}'),
  scalar("CHAR_LENGTH(NULL)", "CHAR_LENGTH(NULL)", '{"v":null}'),
  scalar("LOWER('AbCdEfG!@#$')", "LOWER('AbCdEfG!@#$')", '{"v":"abcdefg!@#$"}'),
  scalar("UPPER('AbCdEfG!@#$')", "UPPER('AbCdEfG!@#$')", '{"v":"ABCDEFG!@#$"}'),
  scalar("UPPER(NULL)", "UPPER(NULL)", '{"v":null}'),
  scalar("LOWER(MISSING)", "LOWER(MISSING)", "{}"),
  scalar("SUBSTRING('123456789', 0)", "SUBSTRING('123456789', 0)", '{"v":"123456789"}'),
  scalar("SUBSTRING('123456789', 1)", "SUBSTRING('123456789', 1)", '{"v":"123456789"}'),
  scalar("SUBSTRING('123456789', 2)", "SUBSTRING('123456789', 2)", '{"v":"23456789"}'),
  scalar("SUBSTRING('123456789', -4)", "SUBSTRING('123456789', -4)", '{"v":"123456789"}'),
  scalar("SUBSTRING('123456789', 0, 999)", "SUBSTRING('123456789', 0, 999)", '{"v":"123456789"}'),
  scalar("SUBSTRING('123456789', 1, 5)", "SUBSTRING('123456789', 1, 5)", '{"v":"12345"}'),
  scalar("SUBSTRING ... FROM ... FOR", "SUBSTRING('123456789' FROM 2 FOR 3)", '{"v":"234"}'),
  scalar("SUBSTRING ... FROM", "SUBSTRING('123456789' FROM 7)", '{"v":"789"}'),
  scalar("SUBSTRING past the end is empty", "SUBSTRING('abc', 10)", '{"v":""}'),
  scalar("SUBSTRING of NULL", "SUBSTRING(NULL, 1, 2)", '{"v":null}'),
  scalar("TRIM('       foobar         ')", "TRIM('       foobar         ')", '{"v":"foobar"}'),
  scalar("TRIM keeps tabs: TRIM('      \\tfoobar\\t         ')", "TRIM('      \tfoobar\t         ')", '{"v":"\\tfoobar\\t"}'),
  scalar("TRIM(LEADING FROM ...)", "TRIM(LEADING FROM '       foobar         ')", '{"v":"foobar         "}'),
  scalar("TRIM(TRAILING FROM ...)", "TRIM(TRAILING FROM '       foobar         ')", '{"v":"       foobar"}'),
  scalar("TRIM(BOTH FROM ...)", "TRIM(BOTH FROM '       foobar         ')", '{"v":"foobar"}'),
  scalar("TRIM(BOTH '12' FROM '1112211foobar22211122')", "TRIM(BOTH '12' FROM '1112211foobar22211122')", '{"v":"foobar"}'),
  scalar("TRIM(LEADING chars FROM ...)", "TRIM(LEADING 'x' FROM 'xxaxx')", '{"v":"axx"}'),
  scalar("TRIM(TRAILING chars FROM ...)", "TRIM(TRAILING 'x' FROM 'xxaxx')", '{"v":"xxa"}'),
  scalar("TRIM(chars FROM ...) trims both sides", "TRIM('x' FROM 'xxaxx')", '{"v":"a"}'),
  scalar("TRIM(NULL)", "TRIM(NULL)", '{"v":null}'),
  scalar("functions nest", "UPPER(SUBSTRING(TRIM('  hello  '), 2, 3))", '{"v":"ELL"}'),
  scalarError("UPPER of a number has the wrong argument type", "UPPER(1)", "IncorrectSqlFunctionArgumentType", "1"),
  scalarError("CHAR_LENGTH of a number has the wrong argument type", "CHAR_LENGTH(12)", "IncorrectSqlFunctionArgumentType", "12"),
  {
    name: "UPPER/LOWER/CHAR_LENGTH on CSV fields",
    expression: "SELECT UPPER(s.Name), LOWER(s.City), CHAR_LENGTH(s.Occupation) FROM S3Object s WHERE s.Name = 'Jeff'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("JEFF,seattle,14") },
  },
  {
    name: "SUBSTRING of a CSV field in WHERE",
    expression: "SELECT s.Name FROM S3Object s WHERE SUBSTRING(s.PhoneNumber, 13, 2) = '05'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sean") },
  },
  {
    name: "TRIM of padded CSV fields",
    expression: "SELECT TRIM(_1) AS a, TRIM(BOTH '*' FROM _2) AS b FROM S3Object",
    input: { CSV: {} },
    output: JSON_OUT,
    data: lines("  x  ,**y**"),
    expect: { records: '{"a":"x","b":"y"}\n' },
  },
  {
    name: "a function of a MISSING JSON field is MISSING",
    expression: "SELECT UPPER(s.name) AS up, s.id FROM S3Object s",
    input: JSON_LINES,
    output: JSON_OUT,
    data: lines('{"id":1,"name":"ann"}', '{"id":2}'),
    expect: { records: '{"up":"ANN","id":1}\n{"id":2}\n' },
  },
];
