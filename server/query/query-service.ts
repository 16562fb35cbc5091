import { randomUUID } from "node:crypto";
import type { HeraldPrisma } from "../db/prisma-client.ts";
import { AppError } from "../errors/app-error.ts";
import type { Logger } from "../logging/logger.ts";
import { runSelect, type SelectRequest } from "../s3/select/run-select.ts";
import { openStoredObject } from "../s3/select/select-object.ts";
import type { InputSerialization } from "../s3/select/io/input-options.ts";
import type { DuckdbEngine } from "../s3/select/duckdb/duckdb-engine.ts";
import type { ObjectStore } from "../s3/storage/object-store.ts";
import { ColumnTracker, type QueryColumn } from "./column-types.ts";
import { csvLine } from "./csv-line.ts";
import { guessInput } from "./guess-input.ts";
import { LineSplitter } from "./line-splitter.ts";
import { queryErrorFromStream, queryErrorOf, type QueryErrorInfo } from "./query-error.ts";
import { QueryHistory, type QueryRunRecord, type QueryRunStatus } from "./query-history.ts";
import type { DownloadFormat, ListObjectsInput, RunQueryInput, SaveQueryInput } from "./query-input.ts";
import { SavedQueries, type SavedQueryRecord } from "./saved-queries.ts";
import { readSelectMessage, type ByteCounts } from "./select-messages.ts";

export interface QueryProgress extends ByteCounts {
  objectSize: number;
}

export interface QueryStats extends QueryProgress {
  /** Records the query returned, including those past the browser's cap. */
  rows: number;
}

export interface QuerySummary {
  id: string;
  status: QueryRunStatus;
  rows: number;
  /** Rows past the cap: counted, not sent. */
  truncatedRows: number;
  durationMs: number;
}

/** Where a running query's results go (the console socket, a test). Called in order: columns before the rows that add them; end or error last. */
export interface QueryListener {
  columns(columns: QueryColumn[]): void;
  rows(rows: Record<string, unknown>[]): void;
  progress(progress: QueryProgress): void;
  stats(stats: QueryStats): void;
  end(summary: QuerySummary): void;
  error(error: QueryErrorInfo): void;
}

export interface QueryServiceDeps {
  store: ObjectStore;
  prisma: HeraldPrisma;
  clock: () => number;
  logger: Logger;
  /** Rows sent to a listener per query; the rest are counted. Default 10 000 (a browser table, not an export: downloads are not capped). */
  maxRows?: number;
  /** How often a running query reports progress (and flushes buffered rows). Default 250 ms. */
  progressIntervalMs?: number;
  /** DuckDB for the CSV scans it answers exactly; without it every query runs on the evaluator. */
  duckdb?: () => Promise<DuckdbEngine>;
}

export interface ObjectListing {
  objects: { key: string; size: number; lastModified: number; contentType: string }[];
  prefixes: string[];
  nextCursor: string | null;
}

/**
 * The query console's domain: S3 Select over Herald's object store for a
 * signed-in user, streamed to a listener with inferred column types and
 * progress, with per-user history and saved queries. Knows nothing of the
 * socket or HTTP that carry it.
 */
export class QueryService {
  readonly history: QueryHistory;
  readonly saved: SavedQueries;
  private readonly maxRows: number;
  private readonly progressIntervalMs: number;

  constructor(private readonly deps: QueryServiceDeps) {
    this.history = new QueryHistory(deps.prisma);
    this.saved = new SavedQueries(deps.prisma, deps.clock);
    this.maxRows = deps.maxRows ?? 10_000;
    this.progressIntervalMs = deps.progressIntervalMs ?? 250;
  }

  async listBuckets(): Promise<{ name: string; createdAt: number }[]> {
    return (await this.deps.store.listBuckets()).map((b) => ({ name: b.name, createdAt: b.createdAt.getTime() }));
  }

  /** One page of a bucket's objects under a prefix, "folders" (up to the next `/`) first. */
  async listObjects(input: ListObjectsInput): Promise<ObjectListing> {
    const page = await this.deps.store.listObjects(input.bucket, {
      prefix: input.prefix,
      delimiter: "/",
      maxKeys: input.limit,
      continuationToken: input.cursor,
    });
    return {
      objects: page.objects.map((o) => ({ key: o.key, size: o.size, lastModified: o.lastModified.getTime(), contentType: o.contentType })),
      prefixes: page.commonPrefixes,
      nextCursor: page.isTruncated ? (page.nextContinuationToken ?? null) : null,
    };
  }

  /** The input options to prefill for an object, from its key and (when it exists) its content type. */
  async guessInput(bucket: string, key: string): Promise<InputSerialization> {
    const info = await this.deps.store.headObject(bucket, key).catch(() => undefined);
    return guessInput(key, info?.contentType);
  }

  listHistory(user: string): Promise<QueryRunRecord[]> {
    return this.history.list(user);
  }

  clearHistory(user: string): Promise<number> {
    return this.history.clear(user);
  }

  listSaved(user: string): Promise<SavedQueryRecord[]> {
    return this.saved.list(user);
  }

  saveQuery(user: string, input: SaveQueryInput): Promise<SavedQueryRecord> {
    return this.saved.save(user, input);
  }

  deleteSaved(user: string, id: string): Promise<void> {
    return this.saved.delete(user, id);
  }

  /**
   * Runs a query and streams its results to `listener`. Never rejects: a
   * failure is `listener.error` (and the summary's status), a cancel through
   * `signal` stops the scan and calls nothing more. Every run is recorded in
   * the user's history.
   */
  async run(user: string, input: RunQueryInput, listener: QueryListener, signal: AbortSignal, options: { id?: string } = {}): Promise<QuerySummary> {
    const id = options.id ?? randomUUID();
    const startedAt = this.deps.clock();
    const began = performance.now();
    const tracker = new ColumnTracker();
    const lines = new LineSplitter();
    let rows = 0;
    let sent = 0;
    let objectSize = 0;
    let counts: ByteCounts = { bytesScanned: 0, bytesProcessed: 0, bytesReturned: 0 };
    let status: QueryRunStatus = "ok";
    let failure: QueryErrorInfo | undefined;

    const deliver = (texts: string[]): void => {
      if (texts.length === 0) return;
      rows += texts.length;
      const room = Math.max(0, this.maxRows - sent);
      if (room === 0) return;
      const batch = texts.slice(0, room).map(parseRecord);
      sent += batch.length;
      if (tracker.observe(batch)) listener.columns(tracker.columns);
      listener.rows(batch);
    };
    const summary = (): QuerySummary => ({ id, status, rows, truncatedRows: rows - sent, durationMs: performance.now() - began });

    try {
      const { object } = await openStoredObject(this.deps.store, input.bucket, input.key);
      signal.throwIfAborted();
      objectSize = object.size;
      listener.progress({ ...counts, objectSize });
      await runSelect(
        selectRequest(input, { JSON: { RecordDelimiter: "\n" } }),
        object,
        {
          message: (bytes) => {
            const message = readSelectMessage(bytes);
            if (message.kind === "records") deliver(lines.push(message.payload));
            else if (message.kind === "progress") {
              counts = message.counts;
              listener.progress({ ...counts, objectSize });
            } else if (message.kind === "stats") {
              deliver(lines.end());
              counts = message.counts;
              listener.stats({ ...counts, objectSize, rows });
            } else if (message.kind === "error") {
              deliver(lines.end());
              failure = queryErrorFromStream(message.code, message.message);
            }
          },
        },
        { signal, contIntervalMs: this.progressIntervalMs, now: () => new Date(this.deps.clock()) },
      );
      if (failure) {
        status = "error";
        listener.error(failure);
      } else {
        listener.end(summary());
      }
    } catch (error) {
      if (signal.aborted) {
        status = "cancelled";
      } else {
        status = "error";
        failure = queryErrorOf(error);
        if (failure.code === "InternalError") this.deps.logger.error({ err: error, bucket: input.bucket, key: input.key }, "query failed");
        listener.error(failure);
      }
    }
    const result = summary();
    await this.history
      .record({
        id,
        user,
        bucket: input.bucket,
        key: input.key,
        expression: input.expression,
        input: input.input,
        status,
        rows,
        bytesScanned: counts.bytesScanned,
        durationMs: result.durationMs,
        errorCode: failure?.code ?? null,
        errorMessage: failure?.message ?? null,
        startedAt,
      })
      .catch((error: unknown) => this.deps.logger.warn({ err: error }, "could not record a query run"));
    return result;
  }

  /**
   * Runs a query for a download: every result, as CSV (a header row named by
   * the first record's fields; fields only later records have are left out,
   * since a CSV header cannot grow) or as a JSON array. Output starts only
   * once the query is under way, so an error before then is thrown for the
   * caller to report; one after arrives as a rejection mid-stream. Not recorded in history (the run was).
   * `out.write` returning false pauses the scan until `out.drained()`, so a slow client holds memory flat.
   */
  async download(
    input: RunQueryInput,
    format: DownloadFormat,
    out: { write(text: string): boolean; drained(): Promise<void> },
    signal: AbortSignal,
  ): Promise<void> {
    let flowing = true;
    const write = (text: string): void => {
      if (!out.write(text)) flowing = false;
    };
    const { object } = await openStoredObject(this.deps.store, input.bucket, input.key);
    const lines = new LineSplitter();
    let begun = false;
    let first = true;
    let header: string[] | undefined;
    let failure: AppError | undefined;
    const begin = (): void => {
      if (begun) return;
      begun = true;
      if (format === "json") write("[");
    };
    const emit = (texts: string[]): void => {
      const out: string[] = [];
      for (const text of texts) {
        if (format === "json") {
          out.push(`${first ? "\n" : ",\n"}${text}`);
        } else {
          const record = parseRecord(text);
          if (header === undefined) {
            header = Object.keys(record);
            out.push(csvLine(header));
          }
          out.push(csvLine(header.map((name) => record[name])));
        }
        first = false;
      }
      if (out.length > 0) write(out.join(""));
    };
    await runSelect(
      selectRequest(input, { JSON: { RecordDelimiter: "\n" } }),
      object,
      {
        message: (bytes) => {
          begin();
          const message = readSelectMessage(bytes);
          if (message.kind === "records") emit(lines.push(message.payload));
          else if (message.kind === "stats") emit(lines.end());
          else if (message.kind === "error") failure = new AppError("InternalError", `${message.code}: ${message.message}`);
          const ready = flowing;
          flowing = true;
          return ready;
        },
        drained: () => out.drained(),
      },
      { signal, now: () => new Date(this.deps.clock()), ...(this.deps.duckdb === undefined ? {} : { duckdb: this.deps.duckdb }) },
    );
    if (failure) throw failure;
    begin();
    if (format === "json") write(first ? "]\n" : "\n]\n");
  }
}

function selectRequest(input: RunQueryInput, output: SelectRequest["output"]): SelectRequest {
  return { expression: input.expression, input: input.input, output, requestProgress: true };
}

/** JSON output records are objects; anything else (never expected) is shown rather than lost. */
function parseRecord(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { _1: value };
  } catch {
    return { _1: text };
  }
}
