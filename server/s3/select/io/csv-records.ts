import type { Readable } from "node:stream";
import { parse } from "csv-parse";
import { AppError } from "../../../errors/app-error.ts";
import { splitFields, type FieldSyntax } from "./csv-fields.ts";
import { delimitedRecords } from "./delimited-records.ts";
import { CSV_DEFAULTS, MAX_RECORD_BYTES, type CsvInput } from "./input-options.ts";
import type { ScanRange, ScanStats } from "./scan-range.ts";

export interface CsvRow {
  fields: string[];
  /** The header's column names with FileHeaderInfo USE, else undefined. */
  header: string[] | undefined;
}

/**
 * Streams the records of a CSV input (already decompressed).
 *
 * - FileHeaderInfo USE: the first record names the columns and is not yielded;
 *   IGNORE: the first record is skipped; NONE (default): every record is yielded.
 *   With a ScanRange the header is still the first record of the object.
 * - A record that starts with the `Comments` character is skipped; empty
 *   records are skipped.
 * - AllowQuotedRecordDelimiter false (default): every RecordDelimiter ends a
 *   record, even inside quotes (fast path). True: quoted fields may contain the
 *   RecordDelimiter (parsed with csv-parse); this mode cannot be combined with a
 *   ScanRange (InvalidArgument), since the range seek does not know about quotes.
 * - A FileHeaderInfo other than NONE/USE/IGNORE (unvalidated input) fails with
 *   InvalidFileHeaderInfo.
 * - A record over 1 MiB fails with OverMaxRecordSize; malformed CSV (only
 *   possible in the csv-parse mode) with InvalidArgument, details.reason "CSVParsingError".
 * - `input` must start at byte 0 of the object; `stats.bytesScanned` counts bytes read from it.
 */
export async function* csvRecords(
  input: Readable,
  options: CsvInput,
  scanRange?: ScanRange,
  stats?: ScanStats,
): AsyncGenerator<CsvRow> {
  const headerMode = options.FileHeaderInfo ?? CSV_DEFAULTS.FileHeaderInfo;
  if (headerMode !== "NONE" && headerMode !== "USE" && headerMode !== "IGNORE") {
    throw new AppError("InvalidFileHeaderInfo", `FileHeaderInfo must be NONE, USE or IGNORE, not ${String(headerMode)}`, {
      field: "InputSerialization.CSV.FileHeaderInfo",
    });
  }
  const recordDelimiter = options.RecordDelimiter ?? CSV_DEFAULTS.RecordDelimiter;
  const syntax: FieldSyntax = {
    fieldDelimiter: options.FieldDelimiter ?? CSV_DEFAULTS.FieldDelimiter,
    quote: options.QuoteCharacter ?? CSV_DEFAULTS.QuoteCharacter,
    escape: options.QuoteEscapeCharacter ?? CSV_DEFAULTS.QuoteEscapeCharacter,
  };
  const comment = options.Comments === undefined || options.Comments === "" ? undefined : options.Comments;

  const source =
    options.AllowQuotedRecordDelimiter === true
      ? quotedRecords(input, recordDelimiter, syntax, comment, scanRange, stats)
      : splitRecords(input, recordDelimiter, syntax, comment, scanRange, stats, headerMode !== "NONE");

  let needHeader = headerMode !== "NONE";
  let header: string[] | undefined;
  for await (const fields of source) {
    if (needHeader) {
      needHeader = false;
      if (headerMode === "USE") header = fields;
      continue;
    }
    yield { fields, header };
  }
}

async function* splitRecords(
  input: Readable,
  recordDelimiter: string,
  syntax: FieldSyntax,
  comment: string | undefined,
  range: ScanRange | undefined,
  stats: ScanStats | undefined,
  keepFirst: boolean,
): AsyncGenerator<string[]> {
  for await (const record of delimitedRecords(input, recordDelimiter, { range, stats, keepFirst })) {
    if (record.text === "") continue;
    if (comment !== undefined && record.text.startsWith(comment)) continue;
    yield splitFields(record.text, syntax);
  }
}

async function* quotedRecords(
  input: Readable,
  recordDelimiter: string,
  syntax: FieldSyntax,
  comment: string | undefined,
  range: ScanRange | undefined,
  stats: ScanStats | undefined,
): AsyncGenerator<string[]> {
  if (range !== undefined && ((range.start ?? 0) > 0 || range.end !== undefined)) {
    throw new AppError("InvalidArgument", "ScanRange cannot be used with AllowQuotedRecordDelimiter", {
      field: "ScanRange",
    });
  }
  const parser = parse({
    delimiter: syntax.fieldDelimiter,
    record_delimiter: recordDelimiter,
    quote: syntax.quote,
    escape: syntax.escape,
    ...(comment === undefined ? {} : { comment, comment_no_infix: true }),
    max_record_size: MAX_RECORD_BYTES,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  if (stats !== undefined) input.on("data", (chunk: Buffer | string) => (stats.bytesScanned += chunk.length));
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) yield record;
  } catch (error) {
    throw mapCsvParseError(error);
  } finally {
    input.unpipe(parser);
    if (!input.readableEnded) input.destroy();
  }
}

function mapCsvParseError(error: unknown): unknown {
  if (error instanceof AppError || !(error instanceof Error)) return error;
  const code = (error as Error & { code?: unknown }).code;
  if (code === "CSV_MAX_RECORD_SIZE") {
    return new AppError("OverMaxRecordSize", `A CSV record is longer than ${MAX_RECORD_BYTES} bytes`, { cause: error });
  }
  if (typeof code === "string" && code.startsWith("CSV_")) {
    return new AppError("InvalidArgument", `The CSV input could not be parsed: ${error.message}`, {
      cause: error,
      details: { reason: "CSVParsingError" },
    });
  }
  return error;
}
