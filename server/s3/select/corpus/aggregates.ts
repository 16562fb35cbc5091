/**
 * Aggregate functions: AVG, COUNT, MAX, MIN, SUM.
 *
 * From the AWS S3 Select SQL reference, "Aggregate functions" (argument and result
 * types; aggregates skip NULL and MISSING) and "SELECT command" (`SELECT COUNT(*) FROM
 * S3Object`). An aggregate query outputs one record; LIMIT does not limit the records
 * aggregated and LIMIT 0 outputs nothing (run-select.ts's header comment). AVG of INTs
 * is written as a number (AWS: a DECIMAL).
 */
import { CSV_IN, CSV_OUT, CSV_USE, JSON_LINES, JSON_OUT, lines, type CorpusCase } from "./case.ts";
import { PEOPLE_CSV } from "./clauses-and-paths.ts";

const NUMS = lines("a,1", "b,2", "c,3", "d,4");
const SPARSE = lines('{"n":1}', '{"m":5}', '{"n":null}', '{"n":3}', '{"n":2.5}');

function agg(name: string, expression: string, data: string, json: string, input = CSV_IN): CorpusCase {
  return { name, expression, input, output: JSON_OUT, data, expect: { records: `${json}\n` } };
}

export const aggregatesCases: CorpusCase[] = [
  agg("COUNT(*)", "SELECT COUNT(*) FROM S3Object", NUMS, '{"_1":4}'),
  agg("COUNT(*) with header USE", "SELECT COUNT(*) FROM S3Object", PEOPLE_CSV, '{"_1":7}', CSV_USE),
  agg("COUNT(*) with WHERE", "SELECT COUNT(*) FROM S3Object s WHERE s.City = 'Chicago'", PEOPLE_CSV, '{"_1":4}', CSV_USE),
  agg("COUNT(*) with an alias", "SELECT COUNT(*) AS n FROM S3Object s WHERE s.Occupation = 'Developer'", PEOPLE_CSV, '{"n":4}', CSV_USE),
  agg("SUM of CAST INTs is an INT", "SELECT SUM(CAST(_2 AS INT)) FROM S3Object", NUMS, '{"_1":10}'),
  agg("SUM of FLOATs", "SELECT SUM(CAST(_2 AS FLOAT)) / 8 FROM S3Object", NUMS, '{"_1":1.25}'),
  agg("AVG", "SELECT AVG(CAST(_2 AS INT)) FROM S3Object", NUMS, '{"_1":2.5}'),
  agg("MIN and MAX of numbers", "SELECT MIN(CAST(_2 AS INT)), MAX(CAST(_2 AS INT)) FROM S3Object", NUMS, '{"_1":1,"_2":4}'),
  agg("MIN and MAX of strings", "SELECT MIN(s.Name) AS lo, MAX(s.Name) AS hi FROM S3Object s", PEOPLE_CSV, '{"lo":"Jane","hi":"Vinod"}', CSV_USE),
  agg("MAX of timestamps", "SELECT MAX(CAST(_1 AS TIMESTAMP)) FROM S3Object", lines("2010T", "2012-05T", "2011-12-31T"), '{"_1":"2012-05T"}'),
  agg("several aggregates with WHERE", "SELECT COUNT(*), SUM(CAST(_2 AS INT)), AVG(CAST(_2 AS INT)) FROM S3Object WHERE _1 <> 'd'", NUMS, '{"_1":3,"_2":6,"_3":2}'),
  agg("aggregates combined in an expression", "SELECT SUM(CAST(_2 AS INT)) * 10 / COUNT(*) AS x FROM S3Object", NUMS, '{"x":25}'),
  agg("COUNT(x) skips NULL and MISSING", "SELECT COUNT(s.n) FROM S3Object s", SPARSE, '{"_1":3}', JSON_LINES),
  agg("COUNT(*) counts every record", "SELECT COUNT(*) FROM S3Object s", SPARSE, '{"_1":5}', JSON_LINES),
  agg("SUM skips NULL and MISSING", "SELECT SUM(s.n) FROM S3Object s", SPARSE, '{"_1":6.5}', JSON_LINES),
  agg("AVG skips NULL and MISSING", "SELECT AVG(s.n) FROM S3Object s", lines('{"n":1}', '{"m":5}', '{"n":null}', '{"n":3}'), '{"_1":2}', JSON_LINES),
  agg("MIN/MAX skip NULL and MISSING", "SELECT MIN(s.n), MAX(s.n) FROM S3Object s", SPARSE, '{"_1":1,"_2":3}', JSON_LINES),
  agg("COUNT over no records is 0, SUM is NULL", "SELECT COUNT(*), SUM(CAST(_1 AS INT)), MAX(_1) FROM S3Object", "", '{"_1":0,"_2":null,"_3":null}'),
  agg("aggregates over records none of which pass WHERE", "SELECT COUNT(*), AVG(CAST(_2 AS INT)) FROM S3Object WHERE _1 = 'zzz'", NUMS, '{"_1":0,"_2":null}'),
  agg("COUNT of a JSON FROM path", "SELECT COUNT(*) FROM S3Object[*].items[*] i", lines('{"items":[1,2,3]}', '{"items":[4]}'), '{"_1":4}', JSON_LINES),
  agg("SUM of a JSON FROM path", "SELECT SUM(i.q) FROM S3Object[*].items[*] i WHERE i.q > 1", lines('{"items":[{"q":1},{"q":2}]}', '{"items":[{"q":3}]}'), '{"_1":5}', JSON_LINES),
  agg("LIMIT does not limit the records aggregated", "SELECT COUNT(*) FROM S3Object LIMIT 1", NUMS, '{"_1":4}'),
  {
    name: "LIMIT 0 on an aggregate outputs nothing",
    expression: "SELECT COUNT(*) FROM S3Object LIMIT 0",
    input: CSV_IN,
    output: CSV_OUT,
    data: NUMS,
    expect: { records: "" },
  },
  {
    name: "aggregates to CSV output",
    expression: "SELECT COUNT(*), MIN(_1), MAX(_1) FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: NUMS,
    expect: { records: lines("4,a,d") },
  },
  {
    name: "SUM of uncast CSV text is a wrong argument type",
    expression: "SELECT SUM(_2) FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: NUMS,
    expect: { error: { code: "IncorrectSqlFunctionArgumentType", position: { line: 1, column: 12 } } },
  },
  {
    name: "an aggregate in WHERE is not allowed",
    expression: "SELECT _1 FROM S3Object WHERE COUNT(*) > 1",
    input: CSV_IN,
    output: CSV_OUT,
    data: NUMS,
    expect: { error: { code: "UnsupportedSqlOperation", position: { line: 1, column: 31 } } },
  },
  {
    name: "mixing aggregate and plain items is not allowed",
    expression: "SELECT _1, COUNT(*) FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: NUMS,
    expect: { error: { code: "UnsupportedSqlOperation" } },
  },
];
