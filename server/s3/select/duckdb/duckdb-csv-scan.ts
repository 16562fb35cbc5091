import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { constants, createWriteStream } from "node:fs";
import { mkdir, open, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import type { DuckDBConnection } from "@duckdb/node-api";
import { AppError } from "../../../errors/app-error.ts";
import { evaluate } from "../eval/evaluate.ts";
import { aliasOf, createScope } from "../eval/record-scope.ts";
import { MISSING, type Value } from "../eval/values.ts";
import { splitFields, type FieldSyntax } from "../io/csv-fields.ts";
import { CSV_DEFAULTS, MAX_RECORD_BYTES, type CsvInput, type CsvOutput } from "../io/input-options.ts";
import type { ScanStats } from "../io/scan-range.ts";
import { readObjectRange, type SelectObject } from "../select-object.ts";
import type { SelectStatement } from "../sql/ast.ts";
import type { DuckdbEngine } from "./duckdb-engine.ts";
import { NEEDS_JS_ERROR, planDuckdbQuery, sqlString, type DuckdbQuery, type SqlKind } from "./duckdb-sql.ts";

const run = promisify(execFile);

/** The start of the object read to find the header and check the data suits DuckDB's line reader. */
const SNIFF_BYTES = 1024 * 1024;

export interface DuckdbCsvScan {
  engine: DuckdbEngine;
  statement: SelectStatement;
  csv: CsvInput;
  /** With CSV output, DuckDB writes the records' text itself. */
  csvOutput?: CsvOutput;
  object: SelectObject;
  stats: ScanStats;
  now: Date;
  signal?: AbortSignal;
}

export interface DuckdbScanOutput {
  /** One output record's values; false stops the scan (LIMIT reached). */
  row(values: Value[]): boolean;
  /** Output records DuckDB already formatted (CSV output); false stops the scan. */
  texts(records: string[]): boolean;
  /** The single record of an aggregate query. */
  aggregate(values: Value[]): void;
  /** Whether anything was sent to the client yet (after that, falling back is no longer possible). */
  started(): boolean;
  /** Resolves when the client can take more output (backpressure). */
  room(): Promise<void>;
}

/**
 * "done": DuckDB answered. "fallback": nothing was sent and the JavaScript
 * evaluator must run the query (the data or the query is outside what DuckDB
 * reads exactly, or DuckDB failed before answering).
 */
export type DuckdbScanResult = "done" | "fallback";

/**
 * Runs a CSV query on DuckDB when that gives S3 Select's exact results (see
 * duckdb-sql.ts). The object's bytes reach DuckDB through named pipes in the
 * engine's private directory, split at a record boundary into two halves that
 * DuckDB reads in parallel; no other file is reachable. The header (USE/
 * IGNORE) is read here and not passed on.
 */
export async function scanCsvWithDuckdb(scan: DuckdbCsvScan, output: DuckdbScanOutput): Promise<DuckdbScanResult> {
  const { csv, object, statement } = scan;
  if (csv.AllowQuotedRecordDelimiter === true || (csv.RecordDelimiter ?? "\n") !== "\n") return "fallback";
  const syntax: FieldSyntax = {
    fieldDelimiter: csv.FieldDelimiter ?? CSV_DEFAULTS.FieldDelimiter,
    quote: csv.QuoteCharacter ?? CSV_DEFAULTS.QuoteCharacter,
    escape: csv.QuoteEscapeCharacter ?? CSV_DEFAULTS.QuoteEscapeCharacter,
  };
  const comment = csv.Comments === undefined || csv.Comments === "" ? undefined : csv.Comments;
  // DuckDB reads each line as one column, so it needs a column separator the data never has.
  const lineColumnDelimiter = syntax.fieldDelimiter === "\x1f" ? "\x1e" : "\x1f";

  const sniff = await readObjectRange(object, 0, Math.min(object.size, SNIFF_BYTES) - 1);
  // DuckDB's line reader cannot keep a "\r" (S3 Select keeps it in the field): with new_line '\n' it
  // stops with an error at one, so a CR is never silently lost; data with one up front stays here.
  if (sniff.includes(0x0d) || sniff.includes(lineColumnDelimiter.charCodeAt(0))) return "fallback";
  const header = findHeader(sniff, csv.FileHeaderInfo ?? CSV_DEFAULTS.FileHeaderInfo, comment);
  if (header === null) return "fallback";
  const headers = header.text === null || csv.FileHeaderInfo !== "USE" ? null : splitFields(header.text, syntax);
  const alias = aliasOf(statement.from);
  const out = scan.csvOutput;
  const format =
    out === undefined
      ? undefined
      : {
          fieldDelimiter: out.FieldDelimiter ?? CSV_DEFAULTS.FieldDelimiter,
          recordDelimiter: out.RecordDelimiter ?? CSV_DEFAULTS.RecordDelimiter,
          quote: out.QuoteCharacter ?? CSV_DEFAULTS.QuoteCharacter,
          escape: out.QuoteEscapeCharacter ?? CSV_DEFAULTS.QuoteEscapeCharacter,
          always: out.QuoteFields === "ALWAYS",
        };
  const query = planDuckdbQuery(statement, { fieldDelimiter: syntax.fieldDelimiter, quote: syntax.quote, headers, alias }, comment, format);
  if (query === null) return "fallback";

  scan.stats.bytesScanned += header.end;
  const dir = path.join(scan.engine.pipeDir, randomUUID());
  await mkdir(dir);
  const pipes: string[] = [];
  const connection = await scan.engine.connect();
  const sources: Readable[] = [];
  const onAbort = (): void => connection.interrupt();
  scan.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const lineOptions = `header = false, auto_detect = false, columns = {'line': 'VARCHAR'}, delim = ${sqlString(lineColumnDelimiter)}, quote = '', escape = '', new_line = '\\n', max_line_size = ${MAX_RECORD_BYTES}`;
    let lines: string;
    let fed: Promise<unknown> = Promise.resolve();
    const linked = await linkedFile(object, path.join(dir, "object.csv"), sniff, header.end, lineColumnDelimiter);
    if (linked !== undefined) {
      // DuckDB reads the object's own file in parallel; the lines before the records and the
      // trailer line Herald keeps after the body are left out by position and by exact text.
      lines = `(SELECT line FROM read_csv(${sqlString(linked.path)}, skip = ${linked.skipLines}, ${lineOptions}) WHERE line IS DISTINCT FROM ${sqlString(linked.tailText)})`;
    } else {
      const parts = await splitAtRecord(object, header.end);
      pipes.push(...parts.map((_, i) => path.join(dir, `part-${i}.csv`)));
      await run("mkfifo", ["-m", "600", ...pipes]);
      const feeding = parts.map(async (part, i) => {
        if (part.end < part.start) {
          await pipeline(async function* () {}, createWriteStream(pipes[i] as string));
          return;
        }
        const source = await object.open(part);
        sources.push(source);
        source.on("data", (chunk: Buffer) => (scan.stats.bytesScanned += chunk.length));
        await pipeline(source, createWriteStream(pipes[i] as string));
      });
      fed = Promise.all(feeding);
      fed.catch(() => undefined);
      lines = `read_csv([${pipes.map(sqlString).join(", ")}], ${lineOptions})`;
    }
    const sql = `WITH src AS (SELECT line FROM ${lines}) ${query.selectSql}`;
    const evaluator = { statement, headers, syntax, alias, now: scan.now };
    const result = await consume(connection, sql, query, evaluator, output).catch((error: unknown) => {
      if (scan.signal?.aborted === true) throw scan.signal.reason;
      const message = error instanceof Error ? error.message : String(error);
      if (!output.started()) return "fallback" as const;
      // The evaluator's own errors (from records it evaluated) are already S3 Select's.
      if (error instanceof AppError) throw error;
      if (/line size|maximum line/i.test(message)) throw new AppError("OverMaxRecordSize", `A record is longer than ${MAX_RECORD_BYTES} bytes`);
      throw new AppError("InternalError", `The scan failed: ${message.split("\n")[0] ?? message}`);
    });
    // A scan stopped by LIMIT leaves the pipes unread; the writers end when the pipes close below.
    if (result === "done") await fed;
    if (result === "done" && linked !== undefined) scan.stats.bytesScanned = object.size;
    return result === "fallback" ? "fallback" : "done";
  } finally {
    scan.signal?.removeEventListener("abort", onAbort);
    connection.interrupt();
    connection.closeSync();
    for (const source of sources) source.destroy();
    await Promise.all(pipes.map(unblockWriter));
    await rm(dir, { recursive: true, force: true });
  }
}

interface RowEvaluator {
  statement: SelectStatement;
  headers: readonly string[] | null;
  syntax: FieldSyntax;
  alias: { name: string; quoted: boolean };
  now: Date;
}

async function consume(
  connection: DuckDBConnection,
  sql: string,
  query: DuckdbQuery,
  evaluator: RowEvaluator,
  output: DuckdbScanOutput,
): Promise<DuckdbScanResult | "stopped"> {
  let result;
  try {
    result = await connection.stream(sql);
  } catch (error) {
    if (error instanceof Error && error.message.includes(NEEDS_JS_ERROR)) return "fallback";
    throw error;
  }
  if (query.kind === "aggregate") {
    let chunk;
    try {
      chunk = await result.fetchChunk();
    } catch (error) {
      if (error instanceof Error && error.message.includes(NEEDS_JS_ERROR)) return "fallback";
      throw error;
    }
    const row = chunk?.getRows()[0];
    if (row === undefined) throw new Error("DuckDB returned no aggregate row");
    output.aggregate(
      (query.aggregates ?? []).map((agg) => {
        if (agg.op === "value") return fromDuckdb(row[agg.column] ?? null, query.columns[agg.column] ?? "string", false);
        const sum = row[agg.sumColumn];
        const count = row[agg.countColumn];
        return typeof sum === "bigint" && typeof count === "bigint" ? Number(sum) / Number(count) : null;
      }),
    );
    return "done";
  }
  const { statement } = evaluator;
  const items = statement.projection.kind === "SelectList" ? statement.projection.items : [];
  const evaluateRaw = (raw: string): Value[] | null => {
    const scope = createScope({ kind: "csv", fields: splitFields(raw, evaluator.syntax), headers: evaluator.headers }, { alias: evaluator.alias, now: evaluator.now });
    if (statement.where !== null && evaluate(statement.where, scope) !== true) return null;
    return items.map((item) => evaluate(item.expression, scope));
  };
  for (;;) {
    await output.room();
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) return "done";
    const columns = chunk.getColumns();
    const raws = columns[0] ?? [];
    if (query.formatted) {
      const texts = (columns[1] ?? []) as (string | null)[];
      let run: string[] = [];
      for (let i = 0; i < chunk.rowCount; i++) {
        const raw = raws[i];
        if (typeof raw !== "string") {
          run.push(texts[i] ?? "");
          continue;
        }
        if (run.length > 0 && !output.texts(run)) return "stopped";
        run = [];
        const values = evaluateRaw(raw);
        if (values !== null && !output.row(values)) return "stopped";
      }
      if (run.length > 0 && !output.texts(run)) return "stopped";
      continue;
    }
    for (let i = 0; i < chunk.rowCount; i++) {
      const raw = raws[i];
      const values = typeof raw === "string" ? evaluateRaw(raw) : query.columns.map((kind, c) => fromDuckdb(columns[c + 1]?.[i] ?? null, kind, true));
      if (values !== null && !output.row(values)) return "stopped";
    }
  }
}

/** DuckDB's value as the evaluator's: a NULL from a record's field is MISSING (CSV has no NULL). */
function fromDuckdb(value: unknown, kind: SqlKind, nullIsMissing: boolean): Value {
  if (value === null || value === undefined) return nullIsMissing ? MISSING : null;
  if (kind === "int") return typeof value === "bigint" ? value : BigInt(value as number);
  if (kind === "float") return typeof value === "number" ? value : Number(value);
  if (kind === "bool") return value === true;
  return String(value);
}

/**
 * Where records start: after the header record (the first record that is not
 * empty or a comment) when the mode has one. Null when the header does not
 * end inside the sniffed bytes.
 */
function findHeader(sniff: Buffer, mode: string, comment: string | undefined): { end: number; text: string | null } | null {
  if (mode === "NONE") return { end: 0, text: null };
  let start = 0;
  while (start < sniff.length) {
    const newline = sniff.indexOf(0x0a, start);
    if (newline === -1) return null;
    const text = sniff.subarray(start, newline).toString("utf8");
    if (text !== "" && (comment === undefined || !text.startsWith(comment))) return { end: newline + 1, text };
    start = newline + 1;
  }
  return null;
}

/** The body after the header as one or two ranges, split just after a newline near the middle. */
async function splitAtRecord(object: SelectObject, from: number): Promise<{ start: number; end: number }[]> {
  const last = object.size - 1;
  const middle = from + Math.floor((object.size - from) / 2);
  if (object.size - from < 2 * SNIFF_BYTES) return [{ start: from, end: last }];
  const probe = await readObjectRange(object, middle, Math.min(last, middle + SNIFF_BYTES - 1));
  const newline = probe.indexOf(0x0a);
  if (newline === -1) return [{ start: from, end: last }];
  const cut = middle + newline + 1;
  return [
    { start: from, end: cut - 1 },
    { start: cut, end: last },
  ];
}

/** A writer still waiting for DuckDB to open its pipe is released by opening the read end ourselves. */
async function unblockWriter(pipe: string): Promise<void> {
  try {
    const handle = await open(pipe, constants.O_RDONLY | constants.O_NONBLOCK);
    await handle.close();
  } catch {
    // gone already
  }
}

/**
 * The object's file hard-linked into the scan's directory, when DuckDB can
 * read it whole and still see exactly the records: the body must end with a
 * newline (so the trailer Herald stores after it is a line of its own) and
 * the trailer must be one clean line of text (no newline, CR or the column
 * separator, valid UTF-8), so that it can be left out by its exact text.
 */
async function linkedFile(
  object: SelectObject,
  destination: string,
  sniff: Buffer,
  recordsStart: number,
  lineColumnDelimiter: string,
): Promise<{ path: string; skipLines: number; tailText: string } | undefined> {
  if (object.linkTo === undefined || object.size === 0) return undefined;
  const lastByte = object.size <= sniff.length ? sniff[object.size - 1] : (await readObjectRange(object, object.size - 1, object.size - 1))[0];
  if (lastByte !== 0x0a) return undefined;
  const linked = await object.linkTo(destination);
  if (linked === undefined) return undefined;
  const { tail } = linked;
  if (tail.length === 0 || tail.includes(0x0a) || tail.includes(0x0d) || tail.includes(lineColumnDelimiter.charCodeAt(0))) return undefined;
  let tailText: string;
  try {
    tailText = new TextDecoder("utf-8", { fatal: true }).decode(tail);
  } catch {
    return undefined;
  }
  let skipLines = 0;
  for (let i = 0; i < recordsStart; i++) if (sniff[i] === 0x0a) skipLines += 1;
  return { path: destination, skipLines, tailText };
}
