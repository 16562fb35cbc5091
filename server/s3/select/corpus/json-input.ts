/**
 * JSON InputSerialization: Type DOCUMENT and LINES; JSON values, MISSING vs NULL in
 * output, paths into nested values.
 *
 * From the AWS API reference for JSONInput ("Type: DOCUMENT | LINES") and the S3 Select
 * SQL reference, "SELECT command" (S3Object as the sequence of root-level values,
 * attribute and array access, MISSING attributes left out of JSON output).
 */
import { CSV_OUT, JSON_DOC, JSON_LINES, JSON_OUT, lines, type CorpusCase } from "./case.ts";

function j(name: string, expression: string, input: CorpusCase["input"], data: string, records: string, csv = false): CorpusCase {
  return { name, expression, input, output: csv ? CSV_OUT : JSON_OUT, data, expect: { records } };
}

const PRETTY = `{
  "name": "Susan Smith",
  "address": {
    "city": "Seattle",
    "zip": "98101"
  },
  "phones": [ "555-0100", "555-0199" ]
}
`;

export const jsonInputCases: CorpusCase[] = [
  j("LINES: SELECT * returns each record", "SELECT * FROM S3Object", JSON_LINES, lines('{"a":1}', '{"a":2,"b":"x"}'), '{"a":1}\n{"a":2,"b":"x"}\n'),
  j("LINES: blank lines are skipped", "SELECT s.a FROM S3Object s", JSON_LINES, '{"a":1}\n\n{"a":2}\n', '{"a":1}\n{"a":2}\n'),
  j("LINES: \\r\\n line ends", "SELECT s.a FROM S3Object s", JSON_LINES, '{"a":1}\r\n{"a":2}\r\n', '{"a":1}\n{"a":2}\n'),
  j("LINES: the last line may lack a newline", "SELECT s.a FROM S3Object s", JSON_LINES, '{"a":1}\n{"a":2}', '{"a":1}\n{"a":2}\n'),
  j("DOCUMENT: a pretty-printed document", "SELECT s.address.city, s.phones[1] FROM S3Object s", JSON_DOC, PRETTY, '{"city":"Seattle","_2":"555-0199"}\n'),
  j("DOCUMENT: concatenated documents", "SELECT s.a FROM S3Object s", JSON_DOC, '{"a":1} {"a":2}\n{"a":3}', '{"a":1}\n{"a":2}\n{"a":3}\n'),
  j("DOCUMENT: SELECT * of a nested document", "SELECT * FROM S3Object", JSON_DOC, PRETTY, '{"name":"Susan Smith","address":{"city":"Seattle","zip":"98101"},"phones":["555-0100","555-0199"]}\n'),
  j("DOCUMENT: a top-level array is one value", "SELECT * FROM S3Object", JSON_DOC, "[1,2,3]", '{"_1":[1,2,3]}\n'),
  j("DOCUMENT: elements of a top-level array", "SELECT * FROM S3Object[*][*] e WHERE e > 1", JSON_DOC, "[1,2,3]", '{"_1":2}\n{"_1":3}\n'),
  j("a JSON null is output as null", "SELECT s.a, s.b FROM S3Object s", JSON_LINES, lines('{"a":null,"b":1}'), '{"a":null,"b":1}\n'),
  j("a MISSING attribute is left out of JSON output", "SELECT s.a, s.b FROM S3Object s", JSON_LINES, lines('{"b":1}'), '{"b":1}\n'),
  j("every attribute MISSING gives {}", "SELECT s.x, s.y FROM S3Object s", JSON_LINES, lines('{"b":1}'), "{}\n"),
  j("MISSING and NULL are empty in CSV output", "SELECT s.a, s.b, s.c FROM S3Object s", JSON_LINES, lines('{"a":null,"c":3}'), lines(",,3"), true),
  j("nested objects and arrays are output as JSON", "SELECT s.o, s.l FROM S3Object s", JSON_LINES, lines('{"o":{"k":[1,{"z":null}]},"l":[true,"x"]}'), '{"o":{"k":[1,{"z":null}]},"l":[true,"x"]}\n'),
  j("nested values are JSON text in CSV output", "SELECT s.o FROM S3Object s", JSON_LINES, lines('{"o":{"k":1}}'), lines('"{""k"":1}"'), true),
  j("SELECT * to CSV writes the member values in order", "SELECT * FROM S3Object", JSON_LINES, lines('{"a":1,"b":"x","c":true}'), lines("1,x,true"), true),
  j("numbers: integers, decimals, exponents", "SELECT s.i, s.d, s.e FROM S3Object s", JSON_LINES, lines('{"i":-12,"d":0.5,"e":2E2}'), '{"i":-12,"d":0.5,"e":200}\n'),
  j("strings with escapes and Unicode round-trip", "SELECT s.t FROM S3Object s", JSON_LINES, lines('{"t":"a\\"b\\\\c\\u00e9\\n€"}'), '{"t":"a\\"b\\\\cé\\n€"}\n'),
  j("booleans in WHERE", "SELECT s.id FROM S3Object s WHERE s.ok", JSON_LINES, lines('{"id":1,"ok":true}', '{"id":2,"ok":false}', '{"id":3}'), '{"id":1}\n'),
  j("numeric comparison of JSON numbers", "SELECT s.id FROM S3Object s WHERE s.price >= 9.5", JSON_LINES, lines('{"id":1,"price":9}', '{"id":2,"price":9.5}', '{"id":3,"price":12}'), '{"id":2}\n{"id":3}\n'),
  j("array element access in WHERE", "SELECT s.id FROM S3Object s WHERE s.tags[0] = 'a'", JSON_LINES, lines('{"id":1,"tags":["a","b"]}', '{"id":2,"tags":["b"]}', '{"id":3,"tags":[]}'), '{"id":1}\n'),
  j("a path through a non-object is MISSING", "SELECT s.a.b FROM S3Object s", JSON_LINES, lines('{"a":5}', '{"a":{"b":6}}'), '{}\n{"b":6}\n'),
  j("a top-level scalar record", "SELECT * FROM S3Object", JSON_LINES, lines("42", '"s"'), '{"_1":42}\n{"_1":"s"}\n'),
  j("FROM path over LINES", "SELECT i.n FROM S3Object[*].items[*] i", JSON_LINES, lines('{"items":[{"n":"a"},{"n":"b"}]}', '{"items":[{"n":"c"}]}', "{}"), lines("a", "b", "c"), true),
  j("FROM path into a nested object over DOCUMENT", "SELECT a.city FROM S3Object[*].address a", JSON_DOC, PRETTY, lines("Seattle"), true),
  {
    name: "ambiguous JSON keys (case-insensitive match, no exact one)",
    expression: "SELECT s.Ab FROM S3Object s",
    input: JSON_LINES,
    output: JSON_OUT,
    data: lines('{"ab":1,"AB":2}'),
    expect: { error: { code: "AmbiguousFieldName", position: { line: 1, column: 9 } } },
  },
  j("an exact key match is not ambiguous", "SELECT s.ab FROM S3Object s", JSON_LINES, lines('{"ab":1,"AB":2}'), '{"ab":1}\n'),
  {
    name: "malformed JSON before any output",
    expression: "SELECT * FROM S3Object",
    input: JSON_LINES,
    output: JSON_OUT,
    data: lines("{oops"),
    expect: { error: { code: "InvalidArgument" } },
  },
  j("an empty LINES object gives no records", "SELECT * FROM S3Object", JSON_LINES, "", ""),
  j("a whitespace-only DOCUMENT gives no records", "SELECT * FROM S3Object", JSON_DOC, "  \n ", ""),
  j("COUNT(*) of a top-level array document is 1", "SELECT COUNT(*) FROM S3Object", JSON_DOC, "[1,2,3]", '{"_1":1}\n'),
];
