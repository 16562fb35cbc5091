/**
 * Errors and limits: AWS's S3 Select error codes with their HTTP statuses and the
 * position in the query, the 256 KiB expression limit and the 1 MiB record limit.
 *
 * From the AWS S3 API reference, "List of SELECT Object Content Error Codes" (code,
 * description, HTTP status: ParseUnexpectedToken, ParseExpectedExpression,
 * ParseUnexpectedOperator, ParseUnknownOperator, ParseExpectedTokenType,
 * ParseInvalidPathComponent, ParseUnsupportedSyntax, LexerInvalidChar,
 * LexerInvalidLiteral, EvaluatorBindingDoesNotExist, AmbiguousFieldName, CastFailed,
 * InvalidCast, InvalidDataType, IncorrectSqlFunctionArgumentType,
 * EvaluatorInvalidArguments, UnsupportedSqlOperation, InvalidFileHeaderInfo,
 * InvalidCompressionFormat, ExpressionTooLong, OverMaxRecordSize: all 400 Bad Request)
 * and the S3 Select limits ("the maximum length of a SQL expression is 256 KB", "the
 * maximum length of a record in the input or result is 1 MB"). AWS's error messages
 * name the line and column; where a case gives a position, the message must name it.
 * An error after records were sent is an error message (no End), see run-select.ts.
 * Not here: MissingHeaderName (not on AWS's current error list; a quoted header name
 * that does not match is EvaluatorBindingDoesNotExist in Herald); InvalidQuoteFields,
 * InvalidJsonType and InvalidRequestParameter (AWS's code for a bad delimiter or quote
 * character: it has no InvalidRecordDelimiter / InvalidFieldDelimiter), which Herald
 * answers from its zod schemas outside runSelect (io/input-options.ts,
 * checkSerialization / serializationErrorCode). ParseUnExpectedKeyword (AWS's spelling)
 * is in clauses-and-paths.ts with the reserved words.
 */
import { MAX_EXPRESSION_BYTES } from "../sql/lexer.ts";
import { CSV_IN, CSV_OUT, CSV_USE, JSON_LINES, JSON_OUT, col, lines, type CorpusCase, type CorpusError } from "./case.ts";
import { PEOPLE_CSV } from "./clauses-and-paths.ts";

/** An error case over the sample CSV (header USE); `at` is the query text the error names (its first occurrence from `from`). */
function err(name: string, expression: string, code: CorpusError["code"], at?: string | number, from = 0): CorpusCase {
  return {
    name,
    expression,
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { error: { code, ...(at === undefined ? {} : { position: { line: 1, column: typeof at === "number" ? at : col(expression, at, from) } }) } },
  };
}

const NUMBERS_THEN_TEXT = Array.from({ length: 5000 }, (_, i) => (i === 4999 ? "oops" : String(i + 1))).join("\n") + "\n";
const BIG = "a".repeat(1024 * 1024 + 1);

export const errorsAndLimitsCases: CorpusCase[] = [
  err("ParseUnexpectedToken: a token after the statement", "SELECT * FROM S3Object LIMIT 1 2", "ParseUnexpectedToken", "2"),
  err("ParseUnexpectedToken: a literal after the WHERE condition", "SELECT * FROM S3Object s WHERE s.City = 'Irvine' 'x'", "ParseUnexpectedToken", "'x'"),
  err("ParseExpectedExpression: nothing before FROM", "SELECT FROM S3Object", "ParseExpectedExpression", "FROM"),
  err("ParseExpectedExpression: nothing after WHERE", "SELECT * FROM S3Object WHERE", "ParseExpectedExpression", 29),
  err("ParseExpectedExpression: a trailing operator", "SELECT * FROM S3Object s WHERE s.City =", "ParseExpectedExpression"),
  err("ParseUnexpectedOperator: an operator where an expression starts", "SELECT * FROM S3Object WHERE = 1", "ParseUnexpectedOperator", "="),
  err("ParseUnknownOperator: ||", "SELECT s.Name || 'x' FROM S3Object s", "ParseUnknownOperator", "||"),
  err("ParseExpectedTokenType: CAST without AS", "SELECT CAST(s.Name INT) FROM S3Object s", "ParseExpectedTokenType", "INT"),
  err("ParseExpectedTokenType: an unclosed parenthesis", "SELECT UPPER(s.Name FROM S3Object s", "ParseExpectedTokenType", "FROM"),
  err("ParseExpectedTokenType: CASE without END", "SELECT CASE WHEN TRUE THEN 1 FROM S3Object", "ParseExpectedTokenType", "FROM"),
  err("ParseExpectedTokenType: no FROM", "SELECT *", "ParseExpectedTokenType"),
  err("ParseExpectedTokenType: LIMIT without a number", "SELECT * FROM S3Object LIMIT x", "ParseExpectedTokenType", "x"),
  err("ParseInvalidPathComponent: a name inside brackets", "SELECT s[x] FROM S3Object s", "ParseInvalidPathComponent", "x"),
  err("ParseInvalidPathComponent: a bracket after a dot", "SELECT s.[0] FROM S3Object s", "ParseInvalidPathComponent", "["),
  err("ParseUnsupportedSyntax: FROM another table", "SELECT * FROM mytable", "ParseUnsupportedSyntax", "mytable"),
  err("ParseUnsupportedSyntax: an unknown CAST type", "SELECT CAST(s.Name AS BLOB) FROM S3Object s", "ParseUnsupportedSyntax", "BLOB"),
  err("ParseUnsupportedSyntax: an unknown date part", "SELECT DATE_ADD(week, 1, `2010T`) FROM S3Object", "ParseUnsupportedSyntax", "week"),
  err("LexerInvalidChar", "SELECT # FROM S3Object", "LexerInvalidChar", "#"),
  err("LexerInvalidLiteral: an unterminated string", "SELECT * FROM S3Object s WHERE s.Name = 'Sam", "LexerInvalidLiteral", "'Sam"),
  err("LexerInvalidLiteral: an invalid timestamp literal", "SELECT `2010` FROM S3Object", "LexerInvalidLiteral", "`"),
  err("LexerInvalidLiteral: a malformed number", "SELECT 12abc FROM S3Object", "LexerInvalidLiteral", "12abc"),
  err("EvaluatorBindingDoesNotExist: an unknown header name", "SELECT s.Nope FROM S3Object s", "EvaluatorBindingDoesNotExist", ".Nope"),
  err("EvaluatorBindingDoesNotExist: a quoted name in the wrong case", 'SELECT s."name" FROM S3Object s', "EvaluatorBindingDoesNotExist", '."name"'),
  {
    name: "EvaluatorBindingDoesNotExist: a name without a header (NONE)",
    expression: "SELECT Name FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { error: { code: "EvaluatorBindingDoesNotExist", position: { line: 1, column: 8 } } },
  },
  {
    name: "an error position on a later line",
    expression: "SELECT s.Name\nFROM S3Object s\nWHERE s.Nope = 'x'",
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { error: { code: "EvaluatorBindingDoesNotExist", position: { line: 3, column: 8 } } },
  },
  err("CastFailed on the first record is thrown", "SELECT CAST(s.City AS INT) FROM S3Object s", "CastFailed", "CAST"),
  {
    name: "CastFailed on record 5000 after records were sent is an error message",
    expression: "SELECT CAST(_1 AS INT) FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: NUMBERS_THEN_TEXT,
    expect: {
      error: {
        code: "CastFailed",
        position: { line: 1, column: 8 },
        recordsBefore: Array.from({ length: 4999 }, (_, i) => `${i + 1}\n`).join(""),
      },
    },
  },
  err("InvalidCast: a timestamp to INT", "SELECT CAST(`2010T` AS INT) FROM S3Object", "InvalidCast", "CAST"),
  err("InvalidDataType: ordering a number and a string", "SELECT * FROM S3Object s WHERE 1 < s.Name", "InvalidDataType", "<"),
  err("InvalidDataType: arithmetic on a string", "SELECT s.Name + 1 FROM S3Object s", "InvalidDataType", "+"),
  err("InvalidDataType: NOT of a string", "SELECT * FROM S3Object s WHERE NOT s.Name", "InvalidDataType", "NOT"),
  err("IncorrectSqlFunctionArgumentType: LOWER of a number", "SELECT LOWER(5) FROM S3Object", "IncorrectSqlFunctionArgumentType", "5"),
  err("IncorrectSqlFunctionArgumentType: DATE_ADD of a string", "SELECT DATE_ADD(day, 1, s.City) FROM S3Object s", "IncorrectSqlFunctionArgumentType", "s.City"),
  err("EvaluatorInvalidArguments: wrong argument count", "SELECT UPPER(s.Name, s.City) FROM S3Object s", "EvaluatorInvalidArguments", "UPPER"),
  err("EvaluatorInvalidArguments: division by zero", "SELECT 1 / 0 FROM S3Object", "EvaluatorInvalidArguments", "/"),
  err("EvaluatorInvalidArguments: a bad LIKE escape", "SELECT * FROM S3Object s WHERE s.Name LIKE 'a!b' ESCAPE '!'", "EvaluatorInvalidArguments", "'a!b'"),
  err("UnsupportedSqlOperation: an unknown function", "SELECT FOO(s.Name) FROM S3Object s", "UnsupportedSqlOperation", "FOO"),
  err("UnsupportedSqlOperation: a FROM path on CSV", "SELECT * FROM S3Object[*] s", "UnsupportedSqlOperation", "["),
  {
    name: "UnsupportedSqlOperation: a wildcard path in the select list",
    expression: "SELECT s.tags[*] FROM S3Object s",
    input: JSON_LINES,
    output: JSON_OUT,
    data: lines('{"tags":[1]}'),
    expect: { error: { code: "UnsupportedSqlOperation", position: { line: 1, column: 14 } } },
  },
  {
    name: "InvalidFileHeaderInfo: not NONE, USE or IGNORE",
    expression: "SELECT * FROM S3Object",
    input: { CSV: { FileHeaderInfo: "MAYBE" as "USE" } },
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { error: { code: "InvalidFileHeaderInfo" } },
  },
  {
    name: "InvalidCompressionFormat: corrupt GZIP data",
    expression: "SELECT * FROM S3Object",
    input: { CSV: {}, CompressionType: "GZIP" },
    output: CSV_OUT,
    data: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x01, 0x02, 0x03]),
    expect: { error: { code: "InvalidCompressionFormat" } },
  },
  err(
    "ExpressionTooLong: over 256 KiB",
    `SELECT * FROM S3Object s WHERE s.Name = '${"x".repeat(MAX_EXPRESSION_BYTES)}'`,
    "ExpressionTooLong",
    "SELECT",
  ),
  {
    name: "an expression of exactly 256 KiB is accepted",
    expression: (() => {
      const head = "SELECT s.Name FROM S3Object s WHERE s.Name = 'Sam' OR s.Name = '";
      return head + "x".repeat(MAX_EXPRESSION_BYTES - head.length - 1) + "'";
    })(),
    input: CSV_USE,
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { records: lines("Sam") },
  },
  {
    name: "OverMaxRecordSize: a CSV record over 1 MiB",
    expression: "SELECT * FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: `${BIG}\n`,
    expect: { error: { code: "OverMaxRecordSize" } },
  },
  {
    name: "OverMaxRecordSize: a JSON LINES record over 1 MiB",
    expression: "SELECT * FROM S3Object",
    input: JSON_LINES,
    output: JSON_OUT,
    data: `{"a":"${BIG}"}\n`,
    expect: { error: { code: "OverMaxRecordSize" } },
  },
  {
    name: "a CSV record just under 1 MiB is read",
    expression: "SELECT CHAR_LENGTH(_1) FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: `${"a".repeat(1024 * 1024 - 1)}\n`,
    expect: { records: lines(String(1024 * 1024 - 1)) },
  },
  {
    name: "an error after some records: OverMaxRecordSize as an error message",
    expression: "SELECT _1 FROM S3Object",
    input: CSV_IN,
    output: CSV_OUT,
    data: `small\n${BIG}\n`,
    expect: { error: { code: "OverMaxRecordSize" } },
  },
  err("ParseExpectedTokenType: WHERE without FROM", "SELECT * WHERE 1 = 1", "ParseExpectedTokenType", "WHERE"),
  {
    name: "InvalidCompressionFormat: a CompressionType other than GZIP or BZIP2",
    expression: "SELECT * FROM S3Object",
    input: { CSV: {}, CompressionType: "ZIP" as "GZIP" },
    output: CSV_OUT,
    data: PEOPLE_CSV,
    expect: { error: { code: "InvalidCompressionFormat" } },
  },
];
