/**
 * OutputSerialization: CSV (FieldDelimiter, RecordDelimiter, QuoteCharacter,
 * QuoteEscapeCharacter, QuoteFields ALWAYS / ASNEEDED) and JSON (RecordDelimiter).
 *
 * From the AWS API reference for CSVOutput ("QuoteFields: ALWAYS: Always use quotation
 * marks for output fields. ASNEEDED: Use quotation marks for output fields when
 * needed", defaults `,` `\n` `"`) and JSONOutput ("RecordDelimiter: The value used to
 * separate individual records in the output. If no value is specified, Amazon S3 uses
 * a newline character ('\n')").
 */
import { CSV_IN, JSON_LINES, lines, type CorpusCase } from "./case.ts";

function out(name: string, expression: string, output: CorpusCase["output"], data: string, records: string, input = CSV_IN): CorpusCase {
  return { name, expression, input, output, data, expect: { records } };
}

export const outputOptionsCases: CorpusCase[] = [
  out("CSV defaults", "SELECT * FROM S3Object", { CSV: {} }, lines("a,b", "c,d"), "a,b\nc,d\n"),
  out("CSV FieldDelimiter |", "SELECT * FROM S3Object", { CSV: { FieldDelimiter: "|" } }, lines("a,b"), "a|b\n"),
  out("CSV FieldDelimiter tab", "SELECT _1, _2 FROM S3Object", { CSV: { FieldDelimiter: "\t" } }, lines("a,b"), "a\tb\n"),
  out("CSV RecordDelimiter \\r\\n", "SELECT * FROM S3Object", { CSV: { RecordDelimiter: "\r\n" } }, lines("a,b", "c,d"), "a,b\r\nc,d\r\n"),
  out("CSV RecordDelimiter ;", "SELECT _1 FROM S3Object", { CSV: { RecordDelimiter: ";" } }, lines("a", "b"), "a;b;"),
  out("QuoteFields ASNEEDED quotes a field with the delimiter", "SELECT _1 FROM S3Object", { CSV: { QuoteFields: "ASNEEDED" } }, lines('"x,y"'), '"x,y"\n'),
  out("QuoteFields ASNEEDED quotes a field with a quote", "SELECT _1 FROM S3Object", { CSV: {} }, lines('"say ""hi"""'), '"say ""hi"""\n'),
  out("QuoteFields ASNEEDED leaves plain fields", "SELECT _1, _2 FROM S3Object", { CSV: { QuoteFields: "ASNEEDED" } }, lines("a b,c"), "a b,c\n"),
  out("QuoteFields ALWAYS", "SELECT _1, _2 FROM S3Object", { CSV: { QuoteFields: "ALWAYS" } }, lines("a,b"), '"a","b"\n'),
  out("QuoteFields ALWAYS quotes empty fields too", "SELECT _1, _2 FROM S3Object", { CSV: { QuoteFields: "ALWAYS" } }, lines(",b"), '"","b"\n'),
  out("QuoteFields ALWAYS with numbers", "SELECT CAST(_1 AS INT) + 1 FROM S3Object", { CSV: { QuoteFields: "ALWAYS" } }, lines("1"), '"2"\n'),
  out("QuoteCharacter '", "SELECT _1 FROM S3Object", { CSV: { QuoteCharacter: "'" } }, lines('"x,y"'), "'x,y'\n"),
  out("QuoteCharacter ' with ALWAYS", "SELECT _1, _2 FROM S3Object", { CSV: { QuoteCharacter: "'", QuoteFields: "ALWAYS" } }, lines("a,b"), "'a','b'\n"),
  out("QuoteEscapeCharacter \\", "SELECT _1 FROM S3Object", { CSV: { QuoteEscapeCharacter: "\\" } }, lines('"a""b"'), '"a\\"b"\n'),
  out("a quoted delimiter in the output FieldDelimiter only", "SELECT _1 FROM S3Object", { CSV: { FieldDelimiter: ";" } }, lines('"x,y"'), "x,y\n"),
  out("a field with a newline is quoted", "SELECT _1 FROM S3Object", { CSV: {} }, '"a\nb"\n', '"a\nb"\n', { CSV: { AllowQuotedRecordDelimiter: true } }),
  out("NULL and MISSING are empty CSV fields", "SELECT NULL, MISSING, 'x' FROM S3Object", { CSV: {} }, lines("1"), ",,x\n"),
  out("booleans and numbers as text", "SELECT TRUE, 1.5, -3 FROM S3Object", { CSV: {} }, lines("1"), "true,1.5,-3\n"),
  out("JSON default record delimiter", "SELECT _1 FROM S3Object", { JSON: {} }, lines("a", "b"), '{"_1":"a"}\n{"_1":"b"}\n'),
  out("JSON RecordDelimiter ,", "SELECT _1 FROM S3Object", { JSON: { RecordDelimiter: "," } }, lines("a", "b"), '{"_1":"a"},{"_1":"b"},'),
  out("JSON RecordDelimiter \\r\\n", "SELECT _1 FROM S3Object", { JSON: { RecordDelimiter: "\r\n" } }, lines("a", "b"), '{"_1":"a"}\r\n{"_1":"b"}\r\n'),
  out("JSON output escapes strings", "SELECT _1 FROM S3Object", { JSON: {} }, lines('"q""uote\\back"'), '{"_1":"q\\"uote\\\\back"}\n'),
  out("JSON output of typed values", "SELECT 1 AS i, 2.5 AS f, TRUE AS b, NULL AS n, 'x' AS s FROM S3Object", { JSON: {} }, lines("1"), '{"i":1,"f":2.5,"b":true,"n":null,"s":"x"}\n'),
  out("JSON input to CSV output with QuoteFields ALWAYS", "SELECT s.a, s.b FROM S3Object s", { CSV: { QuoteFields: "ALWAYS" } }, lines('{"a":1,"b":"x"}'), '"1","x"\n', JSON_LINES),
  out("JSON input to JSON output with RecordDelimiter", "SELECT * FROM S3Object", { JSON: { RecordDelimiter: ";" } }, lines('{"a":1}', '{"a":2}'), '{"a":1};{"a":2};', JSON_LINES),
];
