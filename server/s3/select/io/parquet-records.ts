import { parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import type { AsyncBuffer, FileMetaData, ParquetParsers, RowGroup, SchemaElement, SchemaTree } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { AppError, isAppError } from "../../../errors/app-error.ts";
import { readObjectRange, type SelectObject } from "../select-object.ts";
import { Timestamp, type Value, type ValueObject } from "../eval/values.ts";
import { startsInRange, type ScanRange, type ScanStats } from "./scan-range.ts";

/**
 * Streams the rows of a Parquet object as records (objects keyed by top-level
 * column name, like JSON input), reading one row group at a time so memory is
 * bounded by the largest row group, never the file.
 *
 * - The footer and each row group's column chunks are read with ranged opens of
 *   the object; stats.bytesScanned counts every byte read.
 * - ScanRange (AWS semantics): a row group is read when its start offset (its first
 *   column chunk's dictionary or data page) lies in the range.
 * - Values: integers -> INT (bigint), FLOAT/DOUBLE -> FLOAT, DECIMAL -> FLOAT (the
 *   evaluator's decimal representation), strings/ENUM/JSON/UUID -> string,
 *   DATE -> day-precision timestamp, TIMESTAMP (millis/micros/nanos) and INT96 ->
 *   UTC timestamp, TIME -> "HH:MM:SS[.fraction]" text, lists -> arrays,
 *   structs and maps -> objects, null -> NULL. Binary without a string annotation
 *   is text when it is valid UTF-8 (legacy writers store strings that way) and
 *   base64 otherwise.
 * - A file that is not Parquet, or whose pages cannot be decoded, fails with
 *   AppError `ParquetParsingError`.
 */
export async function* parquetRecords(
  object: SelectObject,
  range: ScanRange | undefined,
  stats: ScanStats,
): AsyncGenerator<ValueObject> {
  const file = objectBuffer(object, stats);
  const metadata = await parsing(() => parquetMetadataAsync(file, { initialFetchSize: FOOTER_FETCH_BYTES }));
  const columns = await parsing(async () =>
    parquetSchema(metadata).children.map((child) => ({ name: child.element.name, convert: converterOf(child) })),
  );
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const rowStart = groupStart;
    const rowCount = Number(group.num_rows);
    groupStart += rowCount;
    if (rowCount === 0 || !startsInRange(groupOffset(group), range)) continue;
    const rows = await readRowGroup(file, metadata, rowStart, rowStart + rowCount);
    for (const row of rows) {
      const record: ValueObject = {};
      for (const column of columns) record[column.name] = column.convert(row[column.name]);
      yield record;
    }
  }
}

/** Most footers fit; a bigger one costs hyparquet a second read, a smaller fetch saves bytes on small range queries. */
const FOOTER_FETCH_BYTES = 64 * 1024;

function readRowGroup(file: AsyncBuffer, metadata: FileMetaData, rowStart: number, rowEnd: number) {
  return parsing(() =>
    parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors, parsers: PARSERS, utf8: false }),
  );
}

/** Runs a hyparquet step, turning its failures (not the object's own, e.g. a storage error) into ParquetParsingError. */
async function parsing<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError("ParquetParsingError", `The Parquet input could not be read: ${(error as Error)?.message ?? String(error)}`, {
      cause: error,
    });
  }
}

function groupOffset(group: RowGroup): number {
  const meta = group.columns[0]?.meta_data;
  if (meta === undefined) return Number(group.file_offset ?? 0n);
  // Offset 0 is the magic number, so a zero dictionary offset means "no dictionary".
  const dictionary = meta.dictionary_page_offset;
  return Number(dictionary !== undefined && dictionary > 0n ? dictionary : meta.data_page_offset);
}

// ---------------------------------------------------------------------------
// Reading the object

/**
 * The object as hyparquet's AsyncBuffer: each slice is one ranged open, read whole (a
 * footer or one row group's chunks). The footer fetch is kept and slices inside it are
 * served from memory, so a small file (all of it in the footer fetch) is read once.
 */
function objectBuffer(object: SelectObject, stats: ScanStats): AsyncBuffer {
  let tail: { start: number; bytes: ArrayBuffer } | undefined;
  return {
    byteLength: object.size,
    async slice(start: number, end: number = object.size): Promise<ArrayBuffer> {
      if (end <= start) return new ArrayBuffer(0);
      if (tail !== undefined && start >= tail.start) return tail.bytes.slice(start - tail.start, end - tail.start);
      const bytes = await readRange(object, start, end, stats);
      if (end === object.size && end - start <= FOOTER_FETCH_BYTES) tail = { start, bytes };
      return bytes;
    },
  };
}

async function readRange(object: SelectObject, start: number, end: number, stats: ScanStats): Promise<ArrayBuffer> {
  const bytes = await readObjectRange(object, start, end - 1, (n) => (stats.bytesScanned += n));
  if (bytes.length !== end - start) {
    throw new AppError("ParquetParsingError", `The Parquet input ended early: bytes ${start}-${end - 1} returned ${bytes.length} bytes`);
  }
  // A buffer of its own (Buffer.alloc, never the shared pool), so its ArrayBuffer is exactly these bytes.
  return bytes.buffer as ArrayBuffer;
}

// ---------------------------------------------------------------------------
// Values

const MILLIS_PER_DAY = 86_400_000;

/** Timestamps and dates straight to the evaluator's Timestamp, keeping sub-millisecond digits a Date would drop. */
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis: bigint) => instant(BigInt(millis), 1_000n, 3),
  timestampFromMicroseconds: (micros: bigint) => instant(BigInt(micros), 1_000_000n, 6),
  timestampFromNanoseconds: (nanos: bigint) => instant(BigInt(nanos), 1_000_000_000n, 9),
  dateFromDays: (days: number) => Timestamp.fromLocalMillis(Number(days) * MILLIS_PER_DAY, "", null, "day"),
  // A JSON column is text to the evaluator, as AWS gives it.
  jsonFromBytes: (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : TEXT.decode(bytes)),
};

/** A UTC timestamp of `count` units since the epoch (`perSecond` units a second, `digits` fraction digits). */
function instant(count: bigint, perSecond: bigint, digits: number): Timestamp {
  let seconds = count / perSecond;
  let rest = count % perSecond;
  if (rest < 0n) {
    seconds -= 1n;
    rest += perSecond;
  }
  const fraction = rest === 0n ? "" : rest.toString().padStart(digits, "0").replace(/0+$/, "");
  return Timestamp.fromLocalMillis(Number(seconds) * 1000, fraction, 0, fraction === "" ? "second" : "fraction");
}

type Converter = (raw: unknown) => Value;

const TEXT = new TextDecoder();
const STRICT_TEXT = new TextDecoder("utf-8", { fatal: true });

/** How the assembled value of a schema node becomes a Value, decided once per column from its schema. */
function converterOf(node: SchemaTree): Converter {
  const convert = baseConverterOf(node);
  // A repeated field outside a LIST annotation (the legacy layout) assembles as an array.
  if (node.element.repetition_type === "REPEATED") return (raw) => (Array.isArray(raw) ? raw.map(convert) : convert(raw));
  return convert;
}

function baseConverterOf(node: SchemaTree): Converter {
  const element = node.element;
  if (isListLike(node)) {
    // Same shape as hyparquet's assembly: the repeated group is skipped when it only wraps the element.
    const repeated = node.children[0] as SchemaTree;
    const item = baseConverterOf(repeated.children.length === 1 ? (repeated.children[0] as SchemaTree) : repeated);
    return nullable((raw) => (Array.isArray(raw) || ArrayBuffer.isView(raw) ? Array.from(raw as ArrayLike<unknown>, item) : genericValue(raw)));
  }
  if (isMapLike(node)) {
    const entry = node.children[0] as SchemaTree;
    const valueNode = entry.children.find((child) => child.element.name === "value") ?? (entry.children[1] as SchemaTree);
    const value = converterOf(valueNode);
    return nullable((raw) => objectOf(raw, () => value));
  }
  if (node.children.length > 0) {
    const fields = new Map(node.children.map((child) => [child.element.name, converterOf(child)]));
    return nullable((raw) => objectOf(raw, (key) => fields.get(key) ?? genericValue));
  }
  return nullable(leafConverterOf(element));
}

function leafConverterOf(element: SchemaElement): Converter {
  const ctype = element.converted_type;
  const ltype = element.logical_type;
  if (ctype === "DECIMAL" || ltype?.type === "DECIMAL") {
    const scale = element.scale ?? (ltype?.type === "DECIMAL" ? ltype.scale : 0);
    return (raw) => (typeof raw === "number" ? decimal(raw, scale) : genericValue(raw));
  }
  if (ctype === "TIME_MILLIS") return (raw) => timeOfDay(raw, 1_000n, 3);
  if (ctype === "TIME_MICROS") return (raw) => timeOfDay(raw, 1_000_000n, 6);
  if (ltype?.type === "TIME") {
    const perSecond = ltype.unit === "MILLIS" ? 1_000n : ltype.unit === "MICROS" ? 1_000_000n : 1_000_000_000n;
    return (raw) => timeOfDay(raw, perSecond, perSecond.toString().length - 1);
  }
  const isInteger = element.type === "INT32" || element.type === "INT64";
  const annotation = ltype?.type ?? ctype;
  if (isInteger && (annotation === undefined || ltype?.type === "INTEGER" || /^U?INT_\d+$/.test(ctype ?? ""))) {
    return (raw) => (typeof raw === "number" || typeof raw === "bigint" ? BigInt(raw) : genericValue(raw));
  }
  return genericValue;
}

function nullable(convert: Converter): Converter {
  return (raw) => (raw === null || raw === undefined ? null : convert(raw));
}

/** hyparquet computes decimals as unscaled * 10^-scale, which can land an ulp off (0.30000000000000004); round to the scale. */
function decimal(value: number, scale: number): number {
  if (!Number.isFinite(value) || scale <= 0 || scale > 100) return value;
  return Number(value.toFixed(scale));
}

/** A TIME value (units since midnight) as "HH:MM:SS[.fraction]"; the evaluator has no time-of-day type. */
function timeOfDay(raw: unknown, perSecond: bigint, digits: number): Value {
  if (typeof raw !== "number" && typeof raw !== "bigint") return genericValue(raw);
  const count = BigInt(raw);
  const seconds = count / perSecond;
  const rest = count % perSecond;
  const two = (n: bigint): string => n.toString().padStart(2, "0");
  const text = `${two(seconds / 3600n)}:${two((seconds / 60n) % 60n)}:${two(seconds % 60n)}`;
  return rest === 0n ? text : `${text}.${rest.toString().padStart(digits, "0").replace(/0+$/, "")}`;
}

function objectOf(raw: unknown, converterFor: (key: string) => Converter): Value {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw) || raw instanceof Uint8Array) return genericValue(raw);
  const out: ValueObject = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) out[key] = converterFor(key)(value);
  return out;
}

/** Anything hyparquet produced, by its JavaScript type (used where the schema adds nothing). */
function genericValue(raw: unknown): Value {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Timestamp) return raw;
  if (typeof raw === "string" || typeof raw === "boolean" || typeof raw === "bigint" || typeof raw === "number") return raw;
  if (raw instanceof Uint8Array) return bytesToText(raw);
  if (raw instanceof Date) return Timestamp.fromDate(raw);
  if (Array.isArray(raw) || ArrayBuffer.isView(raw)) return Array.from(raw as ArrayLike<unknown>, genericValue);
  if (typeof raw === "object") return objectOf(raw, () => genericValue);
  return null;
}

function bytesToText(bytes: Uint8Array): string {
  try {
    return STRICT_TEXT.decode(bytes);
  } catch {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  }
}

// The same tests hyparquet's assembly uses (schema.js, not exported), so values and converters agree on shape.
function isListLike(node: SchemaTree): boolean {
  if (node.element.converted_type !== "LIST" || node.children.length > 1) return false;
  const first = node.children[0];
  return first !== undefined && first.children.length <= 1 && first.element.repetition_type === "REPEATED";
}

function isMapLike(node: SchemaTree): boolean {
  if (node.element.converted_type !== "MAP" || node.children.length > 1) return false;
  const first = node.children[0];
  if (first === undefined || first.children.length !== 2 || first.element.repetition_type !== "REPEATED") return false;
  return first.children.every((child) => !["key", "value"].includes(child.element.name) || child.element.repetition_type !== "REPEATED");
}
