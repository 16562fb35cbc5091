/**
 * Runs one S3 Select query over an object, streaming event-stream messages.
 *
 * Ties together the SQL parser (sql/), the evaluator (eval/), the input readers
 * and output formatters (io/) and the event-stream framing (event-stream.ts).
 *
 * Semantics (following the AWS reference where it is documented):
 * - `SELECT *` outputs each record as is: CSV input -> its fields (JSON output names
 *   them by header with FileHeaderInfo USE, else `_1`, `_2`...); JSON input -> the
 *   record object (a non-object record, e.g. a scalar fanned out by a FROM path, is
 *   `{"_1": value}` in JSON output and a single field in CSV output; CSV output of an
 *   object writes its member values in order).
 * - A SELECT list outputs one field per item. CSV output writes the values in order;
 *   JSON output names each: its alias, else the last field name of a path (`s.a.b` ->
 *   `b`, `_2` -> `_2`), else `_N` by position (1-based). Duplicate names collapse
 *   (the last one wins), as with any JSON object.
 * - MISSING values are left out of JSON output and empty in CSV output; NULL is `null`
 *   in JSON and empty in CSV.
 * - Value text: INT/FLOAT as decimal text, booleans true/false, timestamps as Ion text,
 *   lists/structs as JSON (in CSV output as JSON text).
 * - WHERE passes a record only when it evaluates to TRUE.
 * - LIMIT counts output records; when reached the read stops (the input stream is
 *   destroyed). LIMIT 0 reads nothing. Aggregate queries output exactly one record at
 *   the end (none with LIMIT 0); LIMIT does not limit the records aggregated.
 * - JSON input with a FROM path (`FROM S3Object[*].items[*]`) fans out with fromRecords.
 *   S3Object is the sequence of top-level values (lines or documents): a leading `[*]`
 *   iterates that sequence, i.e. stands for each top-level value itself (AWS's
 *   `{"Rules":[...]}` + `FROM S3Object[*].Rules[*]`); a path without it navigates
 *   into each top-level value directly (`FROM S3Object.Rules[*]`). A top-level array
 *   therefore needs `S3Object[*][*]` to iterate its elements. A FROM path with CSV
 *   input is UnsupportedSqlOperation.
 * - ScanRange is allowed only for uncompressed input (as AWS); its offsets are bytes of
 *   the object; `End` alone means the last End bytes.
 * - Parquet input (io/parquet-records.ts) reads byte ranges of the object, one row group
 *   at a time; each row is a JSON-like record keyed by column name. ScanRange selects the
 *   row groups starting in it; CompressionType must be NONE; FROM paths are unsupported.
 * - Stats: BytesScanned = bytes read from the object (compressed), BytesProcessed =
 *   bytes after decompression, BytesReturned = bytes of output records.
 * - Errors: anything thrown before a message was sent (parse errors, bad options, an
 *   evaluation error on the first records) is thrown (an AppError when it is one). An
 *   error after output began flushes the records already produced, then becomes an
 *   error message (S3 code, message), and no Stats/End follow.
 * - Timers: every `contIntervalMs` (default 10 s), buffered records are flushed; if no
 *   message was sent for that long a Cont message is sent; with requestProgress a
 *   Progress message is sent each tick and always once before Stats.
 * - Not handled: backpressure from the sink (`message` is synchronous).
 */
import type { Readable } from "node:stream";
import { AppError } from "../../errors/app-error.ts";
import { s3CodeOf, toAppError } from "../../errors/error-mapping.ts";
import { AggregateQuery, isAggregateQuery } from "./eval/aggregates.ts";
import { evaluate } from "./eval/evaluate.ts";
import { aliasOf, createScope, fromRecords, type RecordSource } from "./eval/record-scope.ts";
import { MISSING, Timestamp, fromJson, isObject, numberToString, type Value } from "./eval/values.ts";
import {
  RecordsBatcher,
  contMessage,
  endMessage,
  errorMessage,
  progressMessage,
  statsMessage,
  type SelectByteCounts,
} from "./event-stream.ts";
import { csvOutputRecord, type CsvOutputValue } from "./io/csv-output.ts";
import { csvRecords } from "./io/csv-records.ts";
import { decompress } from "./io/decompress.ts";
import { checkSerialization, type InputSerialization, type OutputSerialization } from "./io/input-options.ts";
import { OMIT, jsonOutputRecord } from "./io/json-output.ts";
import { jsonRecords } from "./io/json-records.ts";
import { parquetRecords } from "./io/parquet-records.ts";
import { newScanStats, resolveScanRange, type ScanRange, type ScanStats } from "./io/scan-range.ts";
import type { DuckdbEngine } from "./duckdb/duckdb-engine.ts";
import { scanCsvWithDuckdb } from "./duckdb/duckdb-csv-scan.ts";
import type { SelectObject } from "./select-object.ts";
import { parseSelect } from "./sql/parser.ts";
import type { Identifier, SelectItem, SelectStatement } from "./sql/ast.ts";
import { sqlError } from "./sql/sql-error.ts";

export interface SelectRequest {
  expression: string;
  input: InputSerialization;
  output: OutputSerialization;
  scanRange?: { start?: number; end?: number };
  requestProgress?: boolean;
}

export interface SelectSink {
  /**
   * Event-stream messages in order (Records..., Progress/Cont..., Stats, End; or an
   * error message after streaming began). Returning false says the consumer is
   * backed up: the scan then waits for `drained` before producing more.
   */
  message(bytes: Buffer): unknown;
  /** Resolves when the consumer can take more (e.g. a socket's 'drain'). */
  drained?(): Promise<void>;
}

export interface RunSelectOptions {
  /** The clock of UTCNOW() (read once per query). */
  now?: () => Date;
  /** Keep-alive / flush interval; default 10 000 ms. */
  contIntervalMs?: number;
  /** Stops the scan: the runner rejects with the signal's reason (nothing more is sent). */
  signal?: AbortSignal;
  /** DuckDB for CSV scans it answers exactly (see duckdb/duckdb-sql.ts); without it every query runs on the evaluator. */
  duckdb?: () => Promise<DuckdbEngine>;
  /** Objects smaller than this stay on the evaluator (DuckDB's setup costs more than it saves); default 4 MiB. */
  duckdbMinBytes?: number;
}

export const DEFAULT_DUCKDB_MIN_BYTES = 4 * 1024 * 1024;

export const DEFAULT_CONT_INTERVAL_MS = 10_000;

/** See the module comment. */
export async function runSelect(
  request: SelectRequest,
  object: SelectObject,
  sink: SelectSink,
  options: RunSelectOptions = {},
): Promise<void> {
  const prepared = prepare(request, object.size);
  options.signal?.throwIfAborted();
  const { statement, range, compression } = prepared;
  const now = options.now?.() ?? new Date();
  const interval = options.contIntervalMs ?? DEFAULT_CONT_INTERVAL_MS;
  const alias = aliasOf(statement.from);

  // Byte counters.
  const processed: ScanStats = newScanStats();
  let compressedScanned = 0;
  let returned = 0;
  const counts = (): SelectByteCounts => ({
    bytesScanned: compression === "NONE" ? processed.bytesScanned : compressedScanned,
    bytesProcessed: processed.bytesScanned,
    bytesReturned: returned,
  });

  // Messages.
  let sent = 0;
  let lastSentAt = Date.now();
  // Set when the sink is backed up; the scan loops wait on it, so a slow client holds memory flat.
  let backedUp = false;
  const send = (bytes: Buffer): void => {
    sent += 1;
    lastSentAt = Date.now();
    if (sink.message(bytes) === false && sink.drained !== undefined) backedUp = true;
  };
  const room = async (): Promise<void> => {
    if (!backedUp) return;
    backedUp = false;
    await sink.drained?.();
  };
  const batcher = new RecordsBatcher(send);
  const output = (text: string): void => {
    const bytes = Buffer.from(text, "utf8");
    returned += bytes.length;
    batcher.push(bytes);
  };
  const writer = recordWriter(request.output);

  const tick = (): void => {
    const before = sent;
    batcher.flush();
    if (request.requestProgress === true) send(progressMessage(counts()));
    else if (sent === before && Date.now() - lastSentAt >= interval) send(contMessage());
  };
  const timer = setInterval(tick, interval);
  timer.unref();

  const limit = statement.limit?.value ?? null;
  const signal = options.signal;
  let body: Readable | undefined;
  const onAbort = (): void => {
    body?.destroy(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  const records = async function* (): AsyncGenerator<RecordSource> {
    if (prepared.input.Parquet !== undefined) {
      // Parquet reads ranges of the object (footer, then row groups), never one stream to destroy, so abort is checked per record.
      for await (const value of parquetRecords(object, prepared.range, processed)) {
        signal?.throwIfAborted();
        yield { kind: "json", value };
      }
      return;
    }
    body = await object.open();
    if (signal?.aborted === true) onAbort();
    yield* readRecords(prepared, body, processed, (n) => (compressedScanned += n));
  };
  try {
    let answered = false;
    const csv = request.input.CSV;
    if (
      options.duckdb !== undefined &&
      csv !== undefined &&
      compression === "NONE" &&
      range === undefined &&
      limit !== 0 &&
      statement.projection.kind === "SelectList" &&
      object.size >= (options.duckdbMinBytes ?? DEFAULT_DUCKDB_MIN_BYTES)
    ) {
      const items = statement.projection.items;
      let emitted = 0;
      const result = await scanCsvWithDuckdb(
        {
          engine: await options.duckdb(),
          statement,
          csv,
          object,
          stats: processed,
          now,
          ...(request.output.CSV === undefined ? {} : { csvOutput: request.output.CSV }),
          ...(signal === undefined ? {} : { signal }),
        },
        {
          texts(records) {
            const room = limit === null ? records.length : limit - emitted;
            output((records.length <= room ? records : records.slice(0, room)).join(""));
            emitted += Math.min(room, records.length);
            return limit === null || emitted < limit;
          },
          row(values) {
            output(writer.list(items, values, alias));
            emitted += 1;
            return limit === null || emitted < limit;
          },
          aggregate(values) {
            output(writer.list(items, values, alias));
          },
          started: () => returned > 0 || sent > 0,
          room,
        },
      );
      answered = result === "done";
      // The evaluator reads the object again from the start.
      if (!answered) processed.bytesScanned = 0;
    }
    if (answered) {
      // DuckDB answered: nothing more to read.
    } else if (isAggregateQuery(statement.projection) && statement.projection.kind === "SelectList") {
      const query = new AggregateQuery(statement.projection.items);
      let lastSource: RecordSource = request.input.CSV !== undefined ? { kind: "csv", fields: [] } : { kind: "json", value: {} };
      if (limit !== 0) {
        for await (const source of records()) {
          lastSource = source;
          const scope = createScope(source, { alias, now });
          if (statement.where !== null && evaluate(statement.where, scope) !== true) continue;
          query.add(scope);
        }
        const empty: RecordSource =
          lastSource.kind === "csv" ? { kind: "csv", fields: [], headers: lastSource.headers ?? null } : { kind: "json", value: {} };
        const values = query.results(createScope(empty, { alias, now }));
        output(writer.list(statement.projection.items, values, alias));
      }
    } else if (limit !== 0) {
      let emitted = 0;
      for await (const source of records()) {
        const scope = createScope(source, { alias, now });
        if (statement.where !== null && evaluate(statement.where, scope) !== true) continue;
        if (statement.projection.kind === "SelectAll") {
          output(writer.all(source));
        } else {
          const items = statement.projection.items;
          const values = items.map((item) => evaluate(item.expression, scope));
          output(writer.list(items, values, alias));
        }
        emitted += 1;
        if (limit !== null && emitted >= limit) break;
        if (backedUp) await room();
      }
    }
    clearInterval(timer);
    batcher.flush();
    if (request.requestProgress === true) send(progressMessage(counts()));
    send(statsMessage(counts()));
    send(endMessage());
  } catch (error) {
    clearInterval(timer);
    if (signal?.aborted === true) throw signal.reason;
    try {
      batcher.flush();
    } catch {
      // ignore: the original error is what matters
    }
    if (sent === 0) throw error;
    const appError = toAppError(error);
    send(errorMessage(s3CodeOf(appError.code), appError.message));
  } finally {
    clearInterval(timer);
    signal?.removeEventListener("abort", onAbort);
    if (body !== undefined && !body.destroyed) body.destroy();
  }
}

// ---------------------------------------------------------------------------
// Preparation (everything that may fail before any output)

interface Prepared {
  statement: SelectStatement;
  range: ScanRange | undefined;
  compression: "NONE" | "GZIP" | "BZIP2";
  input: InputSerialization;
}

function prepare(request: SelectRequest, size: number): Prepared {
  const statement = parseSelect(request.expression);
  // Validate the projection (mixing aggregates and plain items throws here).
  isAggregateQuery(statement.projection);
  // Callers may build requests by hand (the console, tests): options get AWS's codes here too.
  checkSerialization(request.input, request.output);
  const input = request.input;
  const formats = [input.CSV, input.JSON, input.Parquet].filter((format) => format !== undefined).length;
  if (formats !== 1) {
    throw new AppError("InvalidArgument", "InputSerialization needs exactly one of CSV, JSON or Parquet", {
      field: "InputSerialization",
    });
  }
  if (request.output.CSV === undefined && request.output.JSON === undefined) {
    throw new AppError("InvalidArgument", "OutputSerialization needs exactly one of CSV or JSON", {
      field: "OutputSerialization",
    });
  }
  const firstStep = statement.from.path[0];
  if (input.JSON === undefined && firstStep !== undefined) {
    throw sqlError("UnsupportedSqlOperation", firstStep.pos, "a FROM path is only supported for JSON input");
  }
  const compression = input.CompressionType ?? "NONE";
  if (input.Parquet !== undefined && compression !== "NONE") {
    throw new AppError("InvalidArgument", "CompressionType must be NONE for Parquet input (Parquet pages carry their own compression)", {
      field: "CompressionType",
    });
  }
  const scanRangeInput =
    request.scanRange === undefined
      ? undefined
      : {
          ...(request.scanRange.start === undefined ? {} : { Start: request.scanRange.start }),
          ...(request.scanRange.end === undefined ? {} : { End: request.scanRange.end }),
        };
  const range = resolveScanRange(scanRangeInput, size);
  if (range !== undefined && compression !== "NONE") {
    throw new AppError("InvalidArgument", "ScanRange is only supported for uncompressed objects", {
      field: "ScanRange",
    });
  }
  return { statement, range, compression, input };
}

// ---------------------------------------------------------------------------
// Input

async function* readRecords(
  prepared: Prepared,
  body: Readable,
  stats: ScanStats,
  onCompressedBytes: (n: number) => void,
): AsyncGenerator<RecordSource> {
  const { input, range, compression, statement } = prepared;
  let stream = body;
  if (compression !== "NONE") {
    stream = decompress(body, compression);
    body.on("data", (chunk: Buffer | string) => onCompressedBytes(chunk.length));
  }
  if (input.CSV !== undefined) {
    for await (const row of csvRecords(stream, input.CSV, range, stats)) {
      yield { kind: "csv", fields: row.fields, headers: row.header ?? null };
    }
    return;
  }
  const type = input.JSON?.Type ?? "DOCUMENT";
  const fanOut = statement.from.path.length > 0;
  // S3Object is the sequence of top-level values: a leading `[*]` iterates them (so it
  // applies to the current value itself, which we wrap in a one-element list); other
  // steps navigate into each top-level value.
  const first = statement.from.path[0];
  const fromStartsWithWildcard = first?.kind === "WildcardStep" && first.syntax === "bracket";
  for await (const json of jsonRecords(stream, type, range, stats)) {
    const document = fromJson(json);
    if (!fanOut) {
      yield { kind: "json", value: document };
      continue;
    }
    for (const value of fromRecords(statement.from, fromStartsWithWildcard ? [document] : document)) {
      yield { kind: "json", value };
    }
  }
}

// ---------------------------------------------------------------------------
// Output

interface RecordWriter {
  /** `SELECT *` of one record. */
  all(source: RecordSource): string;
  /** One record of a SELECT list's values. */
  list(items: readonly SelectItem[], values: readonly Value[], alias: { name: string; quoted: boolean }): string;
}

function recordWriter(output: OutputSerialization): RecordWriter {
  const csv = output.CSV;
  if (csv !== undefined) {
    return {
      all(source) {
        if (source.kind === "csv") return csvOutputRecord(source.fields, csv);
        const value = source.value;
        const values: Value[] = isObject(value) ? Object.values(value) : Array.isArray(value) ? value : [value];
        return csvOutputRecord(values.map((v) => toCsvValue(v)), csv);
      },
      list(_items, values) {
        return csvOutputRecord(values.map((v) => toCsvValue(v)), csv);
      },
    };
  }
  const json = output.JSON ?? {};
  return {
    all(source) {
      if (source.kind === "csv") {
        const record: Record<string, unknown> = {};
        source.fields.forEach((field, i) => {
          record[source.headers?.[i] ?? `_${i + 1}`] = field;
        });
        return jsonOutputRecord(record, json);
      }
      const value = source.value;
      const record: Value = isObject(value) ? value : { _1: value };
      return jsonOutputRecord(toJsonValue(record) as Record<string, unknown>, json);
    },
    list(items, values, alias) {
      const record: Record<string, unknown> = {};
      items.forEach((item, i) => {
        record[outputName(item, i, alias)] = toJsonValue(i < values.length ? (values[i] as Value) : MISSING);
      });
      return jsonOutputRecord(record, json);
    },
  };
}

function isAlias(root: Identifier, alias: { name: string; quoted: boolean }): boolean {
  if (root.quoted || alias.quoted) return root.name === alias.name;
  return root.name.toLowerCase() === alias.name.toLowerCase();
}

/** The JSON output name of a SELECT item: alias, a path's last field name, else `_N`. */
export function outputName(item: SelectItem, index: number, alias: { name: string; quoted: boolean }): string {
  if (item.alias !== null) return item.alias.name;
  const expr = item.expression;
  if (expr.kind === "Path") {
    const last = expr.steps[expr.steps.length - 1];
    if (last === undefined) {
      if (!isAlias(expr.root, alias)) return expr.root.name;
    } else if (last.kind === "FieldStep") {
      return last.name;
    }
  }
  return `_${index + 1}`;
}

/** A value for jsonOutputRecord: MISSING -> OMIT, timestamps as Ion text. */
export function toJsonValue(value: Value): unknown {
  if (value === MISSING) return OMIT;
  if (value instanceof Timestamp) return value.toString();
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = toJsonValue(v);
    return out;
  }
  return value;
}

/** A value for csvOutputRecord: MISSING -> empty, numbers as decimal text, structs/lists as JSON text. */
export function toCsvValue(value: Value): CsvOutputValue {
  if (value === MISSING) return undefined;
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "bigint" || typeof value === "number") return numberToString(value);
  if (value instanceof Timestamp) return value.toString();
  return JSON.stringify(toJsonValue(value), (_key, v: unknown) => {
    if (v === OMIT) return undefined;
    if (typeof v === "bigint") return Number(v);
    return v;
  });
}
