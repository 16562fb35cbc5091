/**
 * Date functions: DATE_ADD, DATE_DIFF, EXTRACT, TO_STRING, TO_TIMESTAMP, UTCNOW.
 *
 * From the AWS S3 Select SQL reference, "Date functions": its examples are cases here.
 * Adapted: AWS writes a day-precision result as `2015-01-01 (equivalent to
 * 2015-01-01T)`: Herald writes the Ion form with the T. AWS's
 * `DATE_DIFF(day, `2010-01-01T23:00`, `2010-01-02T01:00`)` has no offset, which is not
 * Ion timestamp text; it is written with `Z`. Dropped:
 * `DATE_DIFF(year, `2010T`, `2010-05T`) -- 4` (AWS's note calls 2010T 2010-01-01, so
 * four months apart is 0 years: the documented 4 contradicts the function's definition)
 * and `TO_STRING(`1969-07-20T20:18+08:00Z`, ...)` (not a valid timestamp literal).
 * UTCNOW() is the runner's fixed clock, 2024-01-02T03:04:05.678Z.
 */
import { CSV_IN, CSV_OUT, CSV_USE, JSON_LINES, JSON_OUT, lines, scalar, scalarError, type CorpusCase } from "./case.ts";

export const functionsDateCases: CorpusCase[] = [
  // DATE_ADD
  scalar("DATE_ADD(year, 5, `2010-01-01T`)", "DATE_ADD(year, 5, `2010-01-01T`)", '{"v":"2015-01-01T"}'),
  scalar("DATE_ADD(month, 1, `2010T`) adds precision", "DATE_ADD(month, 1, `2010T`)", '{"v":"2010-02T"}'),
  scalar("DATE_ADD(month, 13, `2010T`)", "DATE_ADD(month, 13, `2010T`)", '{"v":"2011-02T"}'),
  scalar("DATE_ADD(day, -1, `2017-01-10T`)", "DATE_ADD(day, -1, `2017-01-10T`)", '{"v":"2017-01-09T"}'),
  scalar("DATE_ADD(hour, 1, `2017T`)", "DATE_ADD(hour, 1, `2017T`)", '{"v":"2017-01-01T01:00-00:00"}'),
  scalar("DATE_ADD(hour, 1, `2017-01-02T03:04Z`)", "DATE_ADD(hour, 1, `2017-01-02T03:04Z`)", '{"v":"2017-01-02T04:04Z"}'),
  scalar("DATE_ADD(minute, 1, `2017-01-02T03:04:05.006Z`)", "DATE_ADD(minute, 1, `2017-01-02T03:04:05.006Z`)", '{"v":"2017-01-02T03:05:05.006Z"}'),
  scalar("DATE_ADD(second, 1, `2017-01-02T03:04:05.006Z`)", "DATE_ADD(second, 1, `2017-01-02T03:04:05.006Z`)", '{"v":"2017-01-02T03:04:06.006Z"}'),
  scalar("DATE_ADD(month, 1, ...) clamps to the month's last day", "DATE_ADD(month, 1, `2011-01-31T`)", '{"v":"2011-02-28T"}'),
  scalar("DATE_ADD(day, 1, ...) across a leap day", "DATE_ADD(day, 1, `2020-02-28T`)", '{"v":"2020-02-29T"}'),
  scalar("DATE_ADD(year, -1, ...)", "DATE_ADD(year, -1, `2020-02-29T`)", '{"v":"2019-02-28T"}'),
  scalar("DATE_ADD with a NULL quantity", "DATE_ADD(day, NULL, `2017T`)", '{"v":null}'),
  // DATE_DIFF
  scalar("DATE_DIFF(year, `2010-01-01T`, `2011-01-01T`)", "DATE_DIFF(year, `2010-01-01T`, `2011-01-01T`)", '{"v":1}'),
  scalar("DATE_DIFF(month, `2010T`, `2011T`)", "DATE_DIFF(month, `2010T`, `2011T`)", '{"v":12}'),
  scalar("DATE_DIFF(month, `2011T`, `2010T`)", "DATE_DIFF(month, `2011T`, `2010T`)", '{"v":-12}'),
  scalar("DATE_DIFF(day, ...) needs 24 hours for one day", "DATE_DIFF(day, `2010-01-01T23:00Z`, `2010-01-02T01:00Z`)", '{"v":0}'),
  scalar("DATE_DIFF(day, ...) of whole days", "DATE_DIFF(day, `2010-01-01T`, `2010-03-01T`)", '{"v":59}'),
  scalar("DATE_DIFF(hour, ...) across offsets", "DATE_DIFF(hour, `2017-01-02T03:00Z`, `2017-01-02T10:00+02:00`)", '{"v":5}'),
  scalar("DATE_DIFF(minute, ...)", "DATE_DIFF(minute, `2017-01-02T03:04Z`, `2017-01-02T04:00Z`)", '{"v":56}'),
  scalar("DATE_DIFF(second, ...)", "DATE_DIFF(second, `2017-01-02T03:04:05Z`, `2017-01-02T03:05:00Z`)", '{"v":55}'),
  scalar("DATE_DIFF(year, ...) counts whole years", "DATE_DIFF(year, `2010-06-15T`, `2012-06-14T`)", '{"v":1}'),
  // EXTRACT
  scalar("EXTRACT(YEAR FROM `2010-01-01T`)", "EXTRACT(YEAR FROM `2010-01-01T`)", '{"v":2010}'),
  scalar("EXTRACT(MONTH FROM `2010T`)", "EXTRACT(MONTH FROM `2010T`)", '{"v":1}'),
  scalar("EXTRACT(MONTH FROM `2010-10T`)", "EXTRACT(MONTH FROM `2010-10T`)", '{"v":10}'),
  scalar("EXTRACT(HOUR FROM `2017-01-02T03:04:05+07:08`)", "EXTRACT(HOUR FROM `2017-01-02T03:04:05+07:08`)", '{"v":3}'),
  scalar("EXTRACT(MINUTE FROM `2017-01-02T03:04:05+07:08`)", "EXTRACT(MINUTE FROM `2017-01-02T03:04:05+07:08`)", '{"v":4}'),
  scalar("EXTRACT(TIMEZONE_HOUR FROM `2017-01-02T03:04:05+07:08`)", "EXTRACT(TIMEZONE_HOUR FROM `2017-01-02T03:04:05+07:08`)", '{"v":7}'),
  scalar("EXTRACT(TIMEZONE_MINUTE FROM `2017-01-02T03:04:05+07:08`)", "EXTRACT(TIMEZONE_MINUTE FROM `2017-01-02T03:04:05+07:08`)", '{"v":8}'),
  scalar("EXTRACT(DAY FROM ...)", "EXTRACT(DAY FROM `2017-01-02T03:04:05Z`)", '{"v":2}'),
  scalar("EXTRACT(SECOND FROM ...)", "EXTRACT(SECOND FROM `2017-01-02T03:04:05Z`)", '{"v":5}'),
  scalar("EXTRACT(TIMEZONE_HOUR FROM ...) of a negative offset", "EXTRACT(TIMEZONE_HOUR FROM `2017-01-02T03:04-05:30`)", '{"v":-5}'),
  scalar("EXTRACT of NULL", "EXTRACT(YEAR FROM NULL)", '{"v":null}'),
  // TO_STRING
  scalar("TO_STRING(..., 'MMMM d, y')", "TO_STRING(`1969-07-20T20:18Z`, 'MMMM d, y')", '{"v":"July 20, 1969"}'),
  scalar("TO_STRING(..., 'MMM d, yyyy')", "TO_STRING(`1969-07-20T20:18Z`, 'MMM d, yyyy')", '{"v":"Jul 20, 1969"}'),
  scalar("TO_STRING(..., 'M-d-yy')", "TO_STRING(`1969-07-20T20:18Z`, 'M-d-yy')", '{"v":"7-20-69"}'),
  scalar("TO_STRING(..., 'MM-d-y')", "TO_STRING(`1969-07-20T20:18Z`, 'MM-d-y')", '{"v":"07-20-1969"}'),
  scalar("TO_STRING(..., 'MMMM d, y h:m a')", "TO_STRING(`1969-07-20T20:18Z`, 'MMMM d, y h:m a')", '{"v":"July 20, 1969 8:18 PM"}'),
  scalar("TO_STRING(..., 'y-MM-dd''T''H:m:ssX')", "TO_STRING(`1969-07-20T20:18Z`, 'y-MM-dd''T''H:m:ssX')", '{"v":"1969-07-20T20:18:00Z"}'),
  scalar("TO_STRING(..., 'y-MM-dd''T''H:m:ssXXXX')", "TO_STRING(`1969-07-20T20:18+08:00`, 'y-MM-dd''T''H:m:ssXXXX')", '{"v":"1969-07-20T20:18:00+0800"}'),
  scalar("TO_STRING(..., 'y-MM-dd''T''H:m:ssXXXXX')", "TO_STRING(`1969-07-20T20:18+08:00`, 'y-MM-dd''T''H:m:ssXXXXX')", '{"v":"1969-07-20T20:18:00+08:00"}'),
  scalar("TO_STRING with fraction digits", "TO_STRING(`2017-01-02T03:04:05.678Z`, 'HH:mm:ss.SSS')", '{"v":"03:04:05.678"}'),
  // TO_TIMESTAMP
  scalar("TO_TIMESTAMP('2007T')", "TO_TIMESTAMP('2007T')", '{"v":"2007T"}'),
  scalar("TO_TIMESTAMP('2007-02-23T12:14:33.079-08:00')", "TO_TIMESTAMP('2007-02-23T12:14:33.079-08:00')", '{"v":"2007-02-23T12:14:33.079-08:00"}'),
  scalar("TO_TIMESTAMP(NULL)", "TO_TIMESTAMP(NULL)", '{"v":null}'),
  scalarError("TO_TIMESTAMP of text that is not a timestamp", "TO_TIMESTAMP('yesterday')", "CastFailed", "'yesterday'"),
  scalarError("EXTRACT of a string has the wrong argument type", "EXTRACT(YEAR FROM '2010T')", "IncorrectSqlFunctionArgumentType", "'2010T'"),
  // UTCNOW
  scalar("UTCNOW()", "UTCNOW()", '{"v":"2024-01-02T03:04:05.678Z"}'),
  scalar("EXTRACT(YEAR FROM UTCNOW())", "EXTRACT(YEAR FROM UTCNOW())", '{"v":2024}'),
  scalar("DATE_ADD(day, 1, UTCNOW())", "DATE_ADD(day, 1, UTCNOW())", '{"v":"2024-01-03T03:04:05.678Z"}'),
  // Over data
  {
    name: "TO_TIMESTAMP of CSV fields with DATE_DIFF in WHERE",
    expression: "SELECT s.id FROM S3Object s WHERE DATE_DIFF(day, TO_TIMESTAMP(s.start), TO_TIMESTAMP(s.stop)) >= 7",
    input: CSV_USE,
    output: CSV_OUT,
    data: lines("id,start,stop", "a,2020-01-01T,2020-01-05T", "b,2020-01-01T,2020-01-08T", "c,2020-02-01T00:00Z,2020-03-01T00:00Z"),
    expect: { records: lines("b", "c") },
  },
  {
    name: "EXTRACT from JSON timestamps written as strings",
    expression: 'SELECT EXTRACT(MONTH FROM TO_TIMESTAMP(s."at")) AS m FROM S3Object s',
    input: JSON_LINES,
    output: JSON_OUT,
    data: lines('{"at":"2021-03-04T05:06Z"}', '{"at":"2021-11T"}'),
    expect: { records: '{"m":3}\n{"m":11}\n' },
  },
  {
    name: "DATE_ADD over CSV output to CSV",
    expression: "SELECT DATE_ADD(month, CAST(_2 AS INT), CAST(_1 AS TIMESTAMP)) FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: lines("2020-01-31T,1", "2020-05T,-6"),
    expect: { records: lines("2020-02-29T", "2019-11T") },
  },
  {
    name: "TO_STRING of UTCNOW() in WHERE-less projection",
    expression: "SELECT TO_STRING(UTCNOW(), 'yyyy-MM-dd') FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: lines("x", "y"),
    expect: { records: lines("2024-01-02", "2024-01-02") },
  },
];
