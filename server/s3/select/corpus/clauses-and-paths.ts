/**
 * SELECT list, FROM S3Object [[AS] alias], JSON FROM paths, WHERE, LIMIT, CSV
 * positional and header names, identifier case rules and reserved words.
 *
 * From the AWS S3 Select SQL reference, "SELECT command" (attribute access
 * `s.name` / `s.projects[0].project_name` on the Susan Smith document, the
 * `dir_name`/`files` documents and FROM S3Object[*] paths, the `Rules` document, LIMIT,
 * case sensitivity of header and attribute names, reserved words) and the S3 user
 * guide's Select examples (the Name/PhoneNumber/City/Occupation CSV).
 * Adapted: AWS's `SELECT id FROM S3Object[*].Rules[*].id` is written with an alias over
 * `Rules[*]` (the output naming of run-select.ts); `s."name"` against header `Name`
 * is EvaluatorBindingDoesNotExist here (MissingHeaderName is not on AWS's documented
 * error list; see errors-and-limits.ts). Every word of AWS's reserved list is reserved
 * (sql/tokens.ts): unquoted as a column, alias or path step it is ParseUnExpectedKeyword.
 */
import { CSV_IGNORE, CSV_IN, CSV_OUT, CSV_USE, JSON_DOC, JSON_LINES, JSON_OUT, col, lines, type CorpusCase } from "./case.ts";

/** The sample CSV of the S3 user guide's Select examples. */
export const PEOPLE_CSV = lines(
  "Name,PhoneNumber,City,Occupation",
  "Sam,(949) 555-6701,Irvine,Solutions Architect",
  "Vinod,(949) 555-6702,Los Angeles,Solutions Architect",
  "Jeff,(949) 555-6703,Seattle,AWS Evangelist",
  "Jane,(949) 555-6704,Chicago,Developer",
  "Sean,(949) 555-6705,Chicago,Developer",
  "Mary,(949) 555-6706,Chicago,Developer",
  "Kate,(949) 555-6707,Chicago,Developer",
);

/** The "attribute access" document of the SELECT command reference. */
export const SUSAN_JSON =
  '{ "name": "Susan Smith", "org": "engineering", "projects": [ {"project_name":"project1", "completed":false}, {"project_name":"project2", "completed":true} ] }';

/** The FROM-clause documents of the SELECT command reference. */
export const DIRS_JSON = `{ "dir_name": "important_docs", "files": [ { "name": "." }, { "name": ".." }, { "name": ".aws" }, { "name": "downloads" } ], "owner": "Amazon S3" }
{ "dir_name": "other_docs", "files": [ { "name": "." }, { "name": ".." }, { "name": "my stuff" }, { "name": "backup" } ], "owner": "User" }`;

export const RULES_JSON = `{"Rules": [{"id": "1"}, {"expr": "y > x"}, {"id": "2", "expr": "z = DEBUG"}]}
{"created": "June 27", "modified": "July 6" }`;

const reservedSelect = "SELECT s.select FROM S3Object s";

/** A reserved-word case: `at` is the query text (first occurrence) the error names. */
function reservedName(name: string, expression: string, at: string, json = false): CorpusCase {
  return {
    name,
    expression,
    input: json ? JSON_LINES : CSV_USE,
    output: json ? JSON_OUT : CSV_OUT,
    data: json ? lines('{"date":"d","value":2,"user":"u","count":3}') : lines("date,value,user,count", "d,2,u,3"),
    expect: { error: { code: "ParseUnExpectedKeyword", position: { line: 1, column: col(expression, at) } } },
  };
}

export const clausesAndPathsCases: CorpusCase[] = [
  {
    name: "SELECT * with FileHeaderInfo NONE returns every line, the header too",
    expression: "SELECT * FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: PEOPLE_CSV },
  },
  {
    name: "SELECT * with FileHeaderInfo USE leaves the header out",
    expression: "SELECT * FROM S3Object",
    input: CSV_USE,
    output: CSV_OUT,
    data: lines("a,b", "1,2", "3,4"),
    expect: { records: lines("1,2", "3,4") },
  },
  {
    name: "SELECT * with FileHeaderInfo IGNORE skips the first line",
    expression: "SELECT * FROM S3Object",
    input: CSV_IGNORE,
    output: CSV_OUT,
    data: lines("a,b", "1,2", "3,4"),
    expect: { records: lines("1,2", "3,4") },
  },
  {
    name: "columns by position with an alias: s._1, s._3",
    expression: "SELECT s._1, s._3 FROM S3Object s",
    input: CSV_IGNORE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sam,Irvine", "Vinod,Los Angeles", "Jeff,Seattle", "Jane,Chicago", "Sean,Chicago", "Mary,Chicago", "Kate,Chicago") },
  },
  {
    name: "columns by position without an alias: _1",
    expression: "SELECT _1 FROM S3Object LIMIT 2",
    input: CSV_IN,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Name", "Sam") },
  },
  {
    name: "columns by header name with USE, WHERE on a header name",
    expression: "SELECT s.Name FROM S3Object s WHERE s.City = 'Chicago'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Jane", "Sean", "Mary", "Kate") },
  },
  {
    name: "FROM S3Object AS alias",
    expression: "SELECT s.Name, s.Occupation FROM S3Object AS s WHERE s.City = 'Seattle'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Jeff,AWS Evangelist") },
  },
  {
    name: "header names without an alias",
    expression: "SELECT Name FROM S3Object WHERE Occupation = 'Solutions Architect'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sam", "Vinod") },
  },
  {
    name: "S3Object itself as the alias",
    expression: "SELECT S3Object.Name FROM S3Object WHERE S3Object.City = 'Irvine'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sam") },
  },
  {
    name: "positional names still work with USE",
    expression: "SELECT s._1, s._4 FROM S3Object s WHERE s._3 = 'Seattle'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Jeff,AWS Evangelist") },
  },
  {
    name: "unquoted header names are case-insensitive",
    expression: "SELECT s.name, s.CITY FROM S3Object s LIMIT 1",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sam,Irvine") },
  },
  {
    name: "double-quoted header names are case-sensitive (exact match)",
    expression: 'SELECT s."Name" FROM S3Object s LIMIT 1',
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sam") },
  },
  {
    name: "header ID and id: a quoted name picks the exact one",
    expression: 'SELECT s."id" FROM S3Object s',
    input: CSV_USE,
    output: CSV_OUT,
    data: lines("ID,id", "upper,lower"),
    expect: { records: lines("lower") },
  },
  {
    name: "header ID and id: an unquoted name is ambiguous",
    expression: "SELECT s.id FROM S3Object s",
    input: CSV_USE,
    output: CSV_OUT,
    data: lines("ID,id", "upper,lower"),
    expect: { error: { code: "AmbiguousFieldName", position: { line: 1, column: 9 } } },
  },
  {
    name: "a double-quoted reserved word is a usable name",
    expression: 'SELECT s."select", s."cast" FROM S3Object s',
    input: CSV_USE,
    output: CSV_OUT,
    data: lines("select,cast", "1,2"),
    expect: { records: lines("1,2") },
  },
  {
    name: "an unquoted reserved word cannot be a name",
    expression: reservedSelect,
    input: CSV_USE,
    output: CSV_OUT,
    data: lines("select", "1"),
    expect: { error: { code: "ParseUnExpectedKeyword", position: { line: 1, column: col(reservedSelect, "select") } } },
  },
  // AWS's reserved list (the SQL reference's "Reserved keywords" page) is reserved as a
  // whole, not only the words of the grammar: unquoted, such a word is never a name.
  reservedName("reserved word DATE as an unquoted column name", "SELECT date FROM S3Object", "date"),
  reservedName("reserved word VALUE as an unquoted path step", "SELECT s.value FROM S3Object s", "value", true),
  reservedName("reserved word USER as a path step in WHERE", "SELECT s.date FROM S3Object s WHERE s.user = 'u'", "date", true),
  reservedName("reserved word COUNT as a column, not a call", "SELECT s.Count FROM S3Object s", "Count"),
  reservedName("reserved word in a nested path step", "SELECT s.a.position FROM S3Object s", "position", true),
  reservedName("reserved word as an alias after AS", "SELECT s._1 AS value FROM S3Object s", "value"),
  reservedName("reserved word as a bare alias", "SELECT s._1 year FROM S3Object s", "year"),
  reservedName("reserved word as the alias of S3Object", "SELECT user._1 FROM S3Object user", "user", false),
  reservedName("reserved word as the alias of S3Object after AS", "SELECT * FROM S3Object AS table", "table"),
  reservedName("reserved word alone in WHERE", "SELECT * FROM S3Object WHERE value = '2'", "value"),
  reservedName("reserved word as a function argument", "SELECT UPPER(s.date) FROM S3Object s", "date"),
  {
    name: "reserved word on the second line: the error names line 2",
    expression: "SELECT s.Name,\n  s.Date FROM S3Object s",
    input: CSV_USE,
    output: CSV_OUT,
    data: lines("Name,Date", "a,b"),
    expect: { error: { code: "ParseUnExpectedKeyword", position: { line: 2, column: 5 } } },
  },
  {
    name: "reserved words quoted or as bracket strings are names, with reserved aliases quoted",
    expression: 'SELECT "t"."date" AS "value", "t"[\'user\'] AS "count" FROM S3Object AS "t"',
    input: JSON_LINES,
    output: JSON_OUT,
    data: lines('{"date":"d","user":"u"}'),
    expect: { records: '{"value":"d","count":"u"}\n' },
  },
  {
    name: "reserved words keep working in their grammatical places",
    expression:
      "SELECT COUNT(*), SUM(CAST(s.n AS INT)), MAX(EXTRACT(YEAR FROM DATE_ADD(month, 1, CAST(s.t AS TIMESTAMP)))), MIN(LOWER(s.n)) FROM S3Object s",
    input: CSV_USE,
    output: CSV_OUT,
    data: lines("n,t", "1,2020-12-15T", "2,2021-01-01T"),
    expect: { records: lines("2,3,2021,1") },
  },
  {
    name: "LIMIT 2",
    expression: "SELECT * FROM S3Object s LIMIT 2",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sam,(949) 555-6701,Irvine,Solutions Architect", "Vinod,(949) 555-6702,Los Angeles,Solutions Architect") },
  },
  {
    name: "LIMIT counts records that pass WHERE",
    expression: "SELECT s.Name FROM S3Object s WHERE s.City = 'Chicago' LIMIT 3",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Jane", "Sean", "Mary") },
  },
  {
    name: "LIMIT 0 returns nothing",
    expression: "SELECT * FROM S3Object LIMIT 0",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: "" },
  },
  {
    name: "LIMIT larger than the input",
    expression: "SELECT s.Name FROM S3Object s WHERE s.City = 'Irvine' LIMIT 100",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sam") },
  },
  {
    name: "WHERE that matches nothing",
    expression: "SELECT * FROM S3Object s WHERE s.City = 'Paris'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: "" },
  },
  {
    name: "keywords and S3Object are case-insensitive",
    expression: "select s.Name from s3object s where s.City = 'Seattle' limit 1",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Jeff") },
  },
  {
    name: "an unquoted alias is case-insensitive",
    expression: "SELECT S.Name FROM S3Object s WHERE S.City = 'Seattle'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Jeff") },
  },
  {
    name: "a query over several lines",
    expression: "SELECT s.Name\nFROM S3Object s\nWHERE s.City = 'Seattle'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Jeff") },
  },
  {
    name: "select-list aliases name JSON output fields (with and without AS)",
    expression: "SELECT s.Name AS who, UPPER(s.City) city FROM S3Object s LIMIT 1",
    input: CSV_USE,
    output: JSON_OUT,
    data: PEOPLE_CSV,
    expect: { records: '{"who":"Sam","city":"IRVINE"}\n' },
  },
  {
    name: "JSON output names positional columns _N",
    expression: "SELECT s._1, s._3 FROM S3Object s LIMIT 2",
    input: CSV_IN,
    output: JSON_OUT,
    data: PEOPLE_CSV,
    expect: { records: '{"_1":"Name","_3":"City"}\n{"_1":"Sam","_3":"Irvine"}\n' },
  },
  {
    name: "JSON output names an unnamed expression by its position",
    expression: "SELECT s.Name, LOWER(s.City) FROM S3Object s LIMIT 1",
    input: CSV_USE,
    output: JSON_OUT,
    data: PEOPLE_CSV,
    expect: { records: '{"Name":"Sam","_2":"irvine"}\n' },
  },
  {
    name: "SELECT * of a USE CSV as JSON names fields by header",
    expression: "SELECT * FROM S3Object s WHERE s.Name = 'Kate'",
    input: CSV_USE,
    output: JSON_OUT,
    data: PEOPLE_CSV,
    expect: { records: '{"Name":"Kate","PhoneNumber":"(949) 555-6707","City":"Chicago","Occupation":"Developer"}\n' },
  },
  {
    name: "attribute access: s.name",
    expression: "SELECT s.name FROM S3Object s",
    input: JSON_DOC,
    output: JSON_OUT,
    data: SUSAN_JSON,
    expect: { records: '{"name":"Susan Smith"}\n' },
  },
  {
    name: "attribute access: s.projects[0].project_name",
    expression: "SELECT s.projects[0].project_name FROM S3Object s",
    input: JSON_DOC,
    output: JSON_OUT,
    data: SUSAN_JSON,
    expect: { records: '{"project_name":"project1"}\n' },
  },
  {
    name: "bracketed field names: s['projects'][1]['completed']",
    expression: "SELECT s['projects'][1]['completed'] FROM S3Object s",
    input: JSON_DOC,
    output: JSON_OUT,
    data: SUSAN_JSON,
    expect: { records: '{"completed":true}\n' },
  },
  {
    name: "an index past the end is MISSING (left out of JSON output)",
    expression: "SELECT s.name, s.projects[5] FROM S3Object s",
    input: JSON_DOC,
    output: JSON_OUT,
    data: SUSAN_JSON,
    expect: { records: '{"name":"Susan Smith"}\n' },
  },
  {
    name: "FROM S3Object[*].projects[*] fans out array elements",
    expression: "SELECT p.project_name FROM S3Object[*].projects[*] p WHERE p.completed = true",
    input: JSON_DOC,
    output: JSON_OUT,
    data: SUSAN_JSON,
    expect: { records: '{"project_name":"project2"}\n' },
  },
  {
    name: "FROM S3Object[*] d over two documents",
    expression: "SELECT d.dir_name, d.files FROM S3Object[*] d",
    input: JSON_DOC,
    output: JSON_OUT,
    data: DIRS_JSON,
    expect: {
      records:
        '{"dir_name":"important_docs","files":[{"name":"."},{"name":".."},{"name":".aws"},{"name":"downloads"}]}\n' +
        '{"dir_name":"other_docs","files":[{"name":"."},{"name":".."},{"name":"my stuff"},{"name":"backup"}]}\n',
    },
  },
  {
    name: "FROM S3Object[*] d WHERE d.owner = 'User'",
    expression: "SELECT d.dir_name FROM S3Object[*] d WHERE d.owner = 'User'",
    input: JSON_DOC,
    output: CSV_OUT,
    data: DIRS_JSON,
    expect: { records: lines("other_docs") },
  },
  {
    name: "FROM S3Object[*].files[*] over two documents",
    expression: "SELECT f.name FROM S3Object[*].files[*] f",
    input: JSON_DOC,
    output: CSV_OUT,
    data: DIRS_JSON,
    expect: { records: lines(".", "..", ".aws", "downloads", ".", "..", "my stuff", "backup") },
  },
  {
    name: "FROM S3Object[*].Rules[*]: a rule without id gives {}",
    expression: "SELECT r.id FROM S3Object[*].Rules[*] r",
    input: JSON_DOC,
    output: JSON_OUT,
    data: RULES_JSON,
    expect: { records: '{"id":"1"}\n{}\n{"id":"2"}\n' },
  },
  {
    name: "FROM S3Object.Rules[*] (no leading [*]) navigates into each document",
    expression: "SELECT r.expr FROM S3Object.Rules[*] r",
    input: JSON_DOC,
    output: CSV_OUT,
    data: RULES_JSON,
    expect: { records: lines("", "y > x", "z = DEBUG") },
  },
  {
    name: "FROM path ending at scalars: SELECT * names them _1",
    expression: "SELECT * FROM S3Object[*].Rules[*].id",
    input: JSON_DOC,
    output: JSON_OUT,
    data: RULES_JSON,
    expect: { records: '{"_1":"1"}\n{"_1":"2"}\n' },
  },
  {
    name: "FROM path with a .* step fans out struct members",
    expression: "SELECT v.x FROM S3Object[*].* v",
    input: JSON_LINES,
    output: CSV_OUT,
    data: lines('{"a":{"x":1},"b":{"x":2}}', '{"c":{"x":3}}'),
    expect: { records: lines("1", "2", "3") },
  },
  {
    name: "FROM path with an index step",
    expression: "SELECT f.name FROM S3Object[*].files[2] f",
    input: JSON_DOC,
    output: CSV_OUT,
    data: DIRS_JSON,
    expect: { records: lines(".aws", "my stuff") },
  },
  {
    name: "FROM path with a bracketed name step",
    expression: "SELECT f.name FROM S3Object[*]['files'][3] AS f",
    input: JSON_DOC,
    output: CSV_OUT,
    data: DIRS_JSON,
    expect: { records: lines("downloads", "backup") },
  },
  {
    name: "a top-level array needs S3Object[*][*]",
    expression: "SELECT e.id FROM S3Object[*][*] e",
    input: JSON_DOC,
    output: CSV_OUT,
    data: '[{"id":1},{"id":2},{"id":3}]',
    expect: { records: lines("1", "2", "3") },
  },
  {
    name: "nested paths name the JSON field by their last step",
    expression: "SELECT s.a.b.c, s.a['b'].d AS dd FROM S3Object s",
    input: JSON_LINES,
    output: JSON_OUT,
    data: lines('{"a":{"b":{"c":1,"d":"x"}}}'),
    expect: { records: '{"c":1,"dd":"x"}\n' },
  },
  {
    name: "the alias alone is the whole record",
    expression: "SELECT s FROM S3Object s",
    input: JSON_LINES,
    output: JSON_OUT,
    data: lines('{"a":1}'),
    expect: { records: '{"_1":{"a":1}}\n' },
  },
  {
    name: "unquoted JSON keys are case-insensitive, quoted ones exact",
    expression: 'SELECT s.NAME AS a, s."NAME" AS b, s."name" AS c FROM S3Object s',
    input: JSON_LINES,
    output: JSON_OUT,
    data: lines('{"name":"x"}'),
    expect: { records: '{"a":"x","c":"x"}\n' },
  },
  {
    name: "an empty object gives no records",
    expression: "SELECT * FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: "",
    expect: { records: "" },
  },
  {
    name: "a CSV of only a header (USE) gives no records",
    expression: "SELECT * FROM S3Object",
    input: CSV_USE,
    output: CSV_OUT,
    data: lines("a,b"),
    expect: { records: "" },
  },
  {
    name: "a doubled double quote inside a quoted name",
    expression: 'SELECT s."a""b" FROM S3Object s',
    input: CSV_USE,
    output: CSV_OUT,
    data: lines('"a""b",c', "1,2"),
    expect: { records: lines("1") },
  },
  {
    name: "words on AWS's reserved list, double-quoted, are names",
    expression: 'SELECT s."date", s."value", s."timestamp" AS ts FROM S3Object s',
    input: JSON_LINES,
    output: JSON_OUT,
    data: lines('{"date":"d","value":1,"timestamp":"t"}'),
    expect: { records: '{"date":"d","value":1,"ts":"t"}\n' },
  },
  {
    name: "a quoted alias",
    expression: 'SELECT "R".Name FROM S3Object AS "R" WHERE "R".City = \'Irvine\'',
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sam") },
  },
  {
    name: "SELECT * of a row longer than the header names the extra fields _N",
    expression: "SELECT * FROM S3Object",
    input: CSV_USE,
    output: JSON_OUT,
    data: lines("a,b", "1,2,3"),
    expect: { records: '{"a":"1","b":"2","_3":"3"}\n' },
  },
];
