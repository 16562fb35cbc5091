/**
 * Conditional functions: CASE (simple and searched), COALESCE, NULLIF.
 *
 * From the AWS S3 Select SQL reference, "Conditional functions": the COALESCE
 * examples (`COALESCE(1)` 1, `COALESCE(null)` null, `COALESCE(null, null)` null,
 * `COALESCE(missing)` null, `COALESCE(missing, missing)` null, `COALESCE(1, null)` 1,
 * `COALESCE(null, null, 1)` 1, `COALESCE(null, 'string')` 'string', `COALESCE(missing, 1)`
 * 1) and the NULLIF examples (`NULLIF(1, 1)` null, `NULLIF(1, 2)` 1, `NULLIF(1.0, 1)`
 * null, `NULLIF(1, '1')` 1, `NULLIF(1, NULL)` 1, `NULLIF(NULL, 1)` null,
 * `NULLIF(null, null)` null, `NULLIF(missing, null)` null, `NULLIF(missing, missing)`
 * null). Dropped: `NULLIF([1], [1])` (list literals are not in the dialect). CASE
 * cases follow the reference's syntax (a CASE without ELSE and no match is NULL).
 */
import { CSV_OUT, CSV_USE, JSON_LINES, JSON_OUT, lines, scalar, type CorpusCase } from "./case.ts";
import { PEOPLE_CSV } from "./clauses-and-paths.ts";

export const functionsConditionalCases: CorpusCase[] = [
  scalar("COALESCE(1)", "COALESCE(1)", '{"v":1}'),
  scalar("COALESCE(null)", "COALESCE(null)", '{"v":null}'),
  scalar("COALESCE(null, null)", "COALESCE(null, null)", '{"v":null}'),
  scalar("COALESCE(missing)", "COALESCE(missing)", '{"v":null}'),
  scalar("COALESCE(missing, missing)", "COALESCE(missing, missing)", '{"v":null}'),
  scalar("COALESCE(1, null)", "COALESCE(1, null)", '{"v":1}'),
  scalar("COALESCE(null, null, 1)", "COALESCE(null, null, 1)", '{"v":1}'),
  scalar("COALESCE(null, 'string')", "COALESCE(null, 'string')", '{"v":"string"}'),
  scalar("COALESCE(missing, 1)", "COALESCE(missing, 1)", '{"v":1}'),
  scalar("NULLIF(1, 1)", "NULLIF(1, 1)", '{"v":null}'),
  scalar("NULLIF(1, 2)", "NULLIF(1, 2)", '{"v":1}'),
  scalar("NULLIF(1.0, 1)", "NULLIF(1.0, 1)", '{"v":null}'),
  scalar("NULLIF(1, '1')", "NULLIF(1, '1')", '{"v":1}'),
  scalar("NULLIF(1, NULL)", "NULLIF(1, NULL)", '{"v":1}'),
  scalar("NULLIF(NULL, 1)", "NULLIF(NULL, 1)", '{"v":null}'),
  scalar("NULLIF(null, null)", "NULLIF(null, null)", '{"v":null}'),
  scalar("NULLIF(missing, null)", "NULLIF(missing, null)", '{"v":null}'),
  scalar("NULLIF(missing, missing)", "NULLIF(missing, missing)", '{"v":null}'),
  scalar("simple CASE", "CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END", '{"v":"two"}'),
  scalar("simple CASE falls to ELSE", "CASE 5 WHEN 1 THEN 'one' ELSE 'many' END", '{"v":"many"}'),
  scalar("CASE without ELSE and no match is NULL", "CASE 5 WHEN 1 THEN 'one' END", '{"v":null}'),
  scalar("searched CASE", "CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' ELSE 'c' END", '{"v":"b"}'),
  scalar("searched CASE: the first true branch wins", "CASE WHEN TRUE THEN 1 WHEN TRUE THEN 2 END", '{"v":1}'),
  scalar("searched CASE: a NULL condition is not true", "CASE WHEN NULL THEN 'x' ELSE 'y' END", '{"v":"y"}'),
  scalar("simple CASE of NULL matches no branch", "CASE NULL WHEN NULL THEN 'x' ELSE 'y' END", '{"v":"y"}'),
  {
    name: "searched CASE over CSV fields",
    expression: "SELECT s.Name, CASE WHEN s.City = 'Chicago' THEN 'HQ' WHEN s.City LIKE 'L%' THEN 'LA' ELSE 'other' END FROM S3Object s LIMIT 4",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sam,other", "Vinod,LA", "Jeff,other", "Jane,HQ") },
  },
  {
    name: "simple CASE over a CSV field, aliased",
    expression: "SELECT CASE s.Occupation WHEN 'Developer' THEN 'dev' ELSE 'sa' END AS role FROM S3Object s WHERE s.City <> 'Chicago'",
    input: CSV_USE,
    output: JSON_OUT,
    data: PEOPLE_CSV,
    expect: { records: '{"role":"sa"}\n{"role":"sa"}\n{"role":"sa"}\n' },
  },
  {
    name: "CASE in WHERE",
    expression: "SELECT s.Name FROM S3Object s WHERE CASE WHEN s.City = 'Chicago' THEN s.Name < 'K' ELSE FALSE END",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Jane") },
  },
  {
    name: "COALESCE over MISSING and NULL JSON fields",
    expression: "SELECT COALESCE(s.nick, s.name, 'anon') AS who FROM S3Object s",
    input: JSON_LINES,
    output: JSON_OUT,
    data: lines('{"nick":"al","name":"alice"}', '{"name":"bob"}', '{"nick":null,"name":null}'),
    expect: { records: '{"who":"al"}\n{"who":"bob"}\n{"who":"anon"}\n' },
  },
  {
    name: "NULLIF over CSV fields (empty text to NULL)",
    expression: "SELECT NULLIF(_2, '') AS v FROM S3Object",
    input: { CSV: {} },
    output: JSON_OUT,
    data: lines("a,", "b,x"),
    expect: { records: '{"v":null}\n{"v":"x"}\n' },
  },
  {
    name: "COALESCE(NULLIF(...)) to default empty CSV text",
    expression: "SELECT _1, COALESCE(NULLIF(_2, ''), 'none') FROM S3Object",
    input: { CSV: {} },
    output: CSV_OUT,
    data: lines("a,", "b,x"),
    expect: { records: lines("a,none", "b,x") },
  },
];
