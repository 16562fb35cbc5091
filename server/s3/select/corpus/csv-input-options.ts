/**
 * CSV InputSerialization: FileHeaderInfo, FieldDelimiter, RecordDelimiter,
 * QuoteCharacter, QuoteEscapeCharacter, Comments, AllowQuotedRecordDelimiter.
 *
 * From the AWS API reference for CSVInput (SelectObjectContent): the options, their
 * defaults (`,` `\n` `"` `"`, FileHeaderInfo NONE, AllowQuotedRecordDelimiter FALSE),
 * "FileHeaderInfo USE: first line is a header, and you can use the header value to
 * identify a column in an expression (SELECT "name" FROM OBJECT); IGNORE: first line is
 * a header, but you can't use the header values ... (SELECT s._1 FROM OBJECT s)", and
 * Comments ("a single character used to indicate that a row should be ignored when the
 * character is present at the start of that row").
 */
import { CSV_OUT, JSON_OUT, lines, type CorpusCase } from "./case.ts";

function csvCase(name: string, expression: string, csv: Record<string, unknown>, data: string, records: string, json = false): CorpusCase {
  return { name, expression, input: { CSV: csv }, output: json ? JSON_OUT : CSV_OUT, data, expect: { records } };
}

export const csvInputOptionsCases: CorpusCase[] = [
  csvCase("FileHeaderInfo NONE: the header line is a record", "SELECT _2 FROM S3Object", { FileHeaderInfo: "NONE" }, lines("h1,h2", "a,b"), lines("h2", "b")),
  csvCase("FileHeaderInfo USE: header names", 'SELECT "h2" FROM S3Object', { FileHeaderInfo: "USE" }, lines("h1,h2", "a,b"), lines("b")),
  csvCase("FileHeaderInfo IGNORE: positions only", "SELECT s._1 FROM S3Object s", { FileHeaderInfo: "IGNORE" }, lines("h1,h2", "a,b"), lines("a")),
  {
    name: "FileHeaderInfo IGNORE: header names are not bindings",
    expression: "SELECT s.h1 FROM S3Object s",
    input: { CSV: { FileHeaderInfo: "IGNORE" } },
    output: CSV_OUT,
    data: lines("h1,h2", "a,b"),
    expect: { error: { code: "EvaluatorBindingDoesNotExist", position: { line: 1, column: 9 } } },
  },
  csvCase("FieldDelimiter tab", "SELECT _2 FROM S3Object", { FieldDelimiter: "\t" }, lines("a\tb,c", "d\te"), lines('"b,c"', "e")),
  csvCase("FieldDelimiter ;", "SELECT _1, _3 FROM S3Object", { FieldDelimiter: ";" }, lines("1;2;3", "4;5;6"), lines("1,3", "4,6")),
  csvCase("FieldDelimiter |", "SELECT * FROM S3Object", { FieldDelimiter: "|" }, lines("a|b", "c|d"), lines("a,b", "c,d")),
  csvCase("RecordDelimiter \\r\\n", "SELECT _2 FROM S3Object", { RecordDelimiter: "\r\n" }, "a,b\r\nc,d\r\n", lines("b", "d")),
  csvCase("RecordDelimiter ;", "SELECT _1 FROM S3Object", { RecordDelimiter: ";" }, "a,1;b,2;c,3", lines("a", "b", "c")),
  csvCase("RecordDelimiter and FieldDelimiter both custom", "SELECT _2 FROM S3Object", { RecordDelimiter: "|", FieldDelimiter: ":" }, "a:1|b:2|", lines("1", "2")),
  csvCase("the last record may lack a delimiter", "SELECT _1 FROM S3Object", {}, "a\nb", lines("a", "b")),
  csvCase("quoted field with the field delimiter", "SELECT _2 FROM S3Object", {}, lines('1,"a,b",3'), lines('"a,b"')),
  csvCase("quoted field, JSON output shows the value", "SELECT _2 FROM S3Object", {}, lines('1,"a,b",3'), '{"_2":"a,b"}\n', true),
  csvCase("a doubled quote inside quotes is one quote", "SELECT _1 FROM S3Object", {}, lines('"say ""hi"""'), '{"_1":"say \\"hi\\""}\n', true),
  csvCase("QuoteCharacter '", "SELECT _2 FROM S3Object", { QuoteCharacter: "'" }, lines("1,'a,b'"), '{"_2":"a,b"}\n', true),
  csvCase("QuoteEscapeCharacter \\", "SELECT _1 FROM S3Object", { QuoteEscapeCharacter: "\\" }, lines('"a\\"b",c'), '{"_1":"a\\"b"}\n', true),
  csvCase("QuoteEscapeCharacter with QuoteCharacter '", "SELECT _1 FROM S3Object", { QuoteCharacter: "'", QuoteEscapeCharacter: "\\" }, lines("'it\\'s',x"), '{"_1":"it\'s"}\n', true),
  csvCase("an empty quoted field", "SELECT _1, _2 FROM S3Object", {}, lines('"",x'), '{"_1":"","_2":"x"}\n', true),
  csvCase("Comments #: lines starting with it are skipped", "SELECT _1 FROM S3Object", { Comments: "#" }, lines("#note", "a", "#b", "c"), lines("a", "c")),
  csvCase("Comments: only at the start of a line", "SELECT _1 FROM S3Object", { Comments: "#" }, lines("a#b"), lines("a#b")),
  csvCase("Comments with a header", "SELECT s.v FROM S3Object s", { Comments: "%", FileHeaderInfo: "USE" }, lines("v", "%skip", "1"), lines("1")),
  csvCase(
    "AllowQuotedRecordDelimiter TRUE: a quoted newline stays in the field",
    "SELECT _1, _2 FROM S3Object",
    { AllowQuotedRecordDelimiter: true },
    lines('"line1\nline2",x', "y,z"),
    '{"_1":"line1\\nline2","_2":"x"}\n{"_1":"y","_2":"z"}\n',
    true,
  ),
  csvCase(
    "AllowQuotedRecordDelimiter TRUE with a header",
    "SELECT s.b FROM S3Object s WHERE s.a = '2'",
    { AllowQuotedRecordDelimiter: true, FileHeaderInfo: "USE" },
    lines("a,b", '1,"x\ny"', '2,"p\nq"'),
    '{"b":"p\\nq"}\n',
    true,
  ),
  csvCase("a short row: missing columns are MISSING", "SELECT _1, _3 FROM S3Object", {}, lines("a,b,c", "d"), '{"_1":"a","_3":"c"}\n{"_1":"d"}\n', true),
  csvCase("empty fields are empty strings", "SELECT _2 = '' AS e FROM S3Object", {}, lines("a,,c"), '{"e":true}\n', true),
  csvCase("a header with spaces, quoted", 'SELECT s."first name" FROM S3Object s', { FileHeaderInfo: "USE" }, lines("first name,last name", "Ann,Lee"), lines("Ann")),
  csvCase("UTF-8 text", "SELECT _2 FROM S3Object WHERE _1 = 'é'", {}, lines("é,ü€", "e,u"), lines("ü€")),
];
