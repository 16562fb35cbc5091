/**
 * The shape of an S3 Select conformance case (see corpus.test.ts, which runs them all
 * through runSelect) and small helpers to write them.
 *
 * Cases are taken from the AWS S3 Select SQL reference (SELECT command, data types,
 * operators, reserved words, aggregate / conditional / conversion / date / string
 * functions) and the S3 user guide's Select examples where those give a query and its
 * result; the rest exercise the documented behaviour of each clause, option and error.
 * Expected outputs are what AWS documents; where AWS is silent or ambiguous the
 * semantics in run-select.ts's header comment decide (noted next to the case).
 */
import type { ErrorCode } from "../../../errors/error-codes.ts";
import type { InputSerialization, OutputSerialization } from "../io/input-options.ts";

export interface CorpusError {
  /** The AppError code (thrown before output), or the S3 code of an error message (after output began). */
  code: ErrorCode;
  /** The HTTP status AWS answers with; checked through error-mapping.ts. Defaults to 400. */
  httpStatus?: number;
  /** Where in the query the error is reported ("line L, column C" in the message). */
  position?: { line: number; column: number };
  /** The records sent before the error message, when the error comes after output began. */
  recordsBefore?: string;
}

export interface CorpusCase {
  name: string;
  expression: string;
  input: InputSerialization;
  output: OutputSerialization;
  data: string | Buffer;
  scanRange?: { start?: number; end?: number };
  expect: { records: string } | { error: CorpusError };
}

/** The clock of UTCNOW() in every corpus run. */
export const CORPUS_NOW = new Date("2024-01-02T03:04:05.678Z");

export const CSV_IN: InputSerialization = { CSV: {} };
export const CSV_USE: InputSerialization = { CSV: { FileHeaderInfo: "USE" } };
export const CSV_IGNORE: InputSerialization = { CSV: { FileHeaderInfo: "IGNORE" } };
export const JSON_LINES: InputSerialization = { JSON: { Type: "LINES" } };
export const JSON_DOC: InputSerialization = { JSON: { Type: "DOCUMENT" } };
export const CSV_OUT: OutputSerialization = { CSV: {} };
export const JSON_OUT: OutputSerialization = { JSON: {} };

/** Joins lines with "\n", ending with one. */
export function lines(...rows: string[]): string {
  return rows.map((row) => `${row}\n`).join("");
}

/**
 * A case evaluating one scalar expression once (over a one-record CSV input), with
 * JSON output: `{"v": ...}` or `{}` when the result is MISSING.
 */
export function scalar(name: string, expression: string, json: string): CorpusCase {
  return {
    name,
    expression: `SELECT ${expression} AS v FROM S3Object`,
    input: CSV_IN,
    output: JSON_OUT,
    data: "x\n",
    expect: { records: `${json}\n` },
  };
}

/**
 * A case evaluating one scalar expression once, expecting an error; `at` is the text
 * whose first occurrence in `SELECT <expression> AS v FROM S3Object` the error names.
 */
export function scalarError(name: string, expression: string, code: ErrorCode, at?: string): CorpusCase {
  const sql = `SELECT ${expression} AS v FROM S3Object`;
  return {
    name,
    expression: sql,
    input: CSV_IN,
    output: JSON_OUT,
    data: "x\n",
    expect: { error: { code, ...(at === undefined ? {} : { position: { line: 1, column: col(sql, at) } }) } },
  };
}

/** Column (1-based) of `needle`'s first occurrence in `sql` (for error positions). */
export function col(sql: string, needle: string, from = 0): number {
  const at = sql.indexOf(needle, from);
  if (at < 0) throw new Error(`${needle} not in ${sql}`);
  return at + 1;
}
