import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { AppError } from "../../../errors/app-error.ts";
import { delimitedRecords } from "./delimited-records.ts";
import { MAX_RECORD_BYTES } from "./input-options.ts";
import type { ScanRange, ScanStats } from "./scan-range.ts";

/**
 * Streams the JSON values of an input (already decompressed).
 *
 * - LINES: one JSON value per "\n"-terminated line ("\r\n" works too); blank
 *   lines are skipped. ScanRange applies (records starting in the range).
 * - DOCUMENT: a stream of top-level JSON values, one after another, separated
 *   by optional whitespace (S3 allows several concatenated objects). ScanRange
 *   is not supported for DOCUMENT (InvalidArgument), as in AWS.
 *
 * Malformed JSON fails with AppError `InvalidArgument`, details.reason
 * "JSONParsingError" (Herald has no dedicated JSON parsing code). A value over
 * 1 MiB fails with `OverMaxRecordSize` (DOCUMENT measures UTF-16 code units).
 */
export async function* jsonRecords(
  input: Readable,
  type: "DOCUMENT" | "LINES",
  scanRange?: ScanRange,
  stats?: ScanStats,
): AsyncGenerator<unknown> {
  if (type === "LINES") {
    for await (const record of delimitedRecords(input, "\n", { range: scanRange, stats })) {
      const text = record.text.trim();
      if (text === "") continue;
      yield parseJson(text, record.start);
    }
    return;
  }
  if (scanRange !== undefined && ((scanRange.start ?? 0) > 0 || scanRange.end !== undefined)) {
    throw new AppError("InvalidArgument", "ScanRange is only supported for JSON of Type LINES", { field: "ScanRange" });
  }
  for await (const text of documentValues(input, stats)) yield parseJson(text, undefined);
}

function parseJson(text: string, offset: number | undefined): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const where = offset === undefined ? "" : ` (record at byte ${offset})`;
    throw new AppError("InvalidArgument", `The JSON input could not be parsed${where}: ${(error as Error).message}`, {
      cause: error,
      details: { reason: "JSONParsingError", ...(offset === undefined ? {} : { offset }) },
    });
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Splits a stream into the texts of its top-level JSON values, holding one value at a time. */
export async function* documentValues(input: Readable, stats?: ScanStats): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let carried = ""; // text of the current value from earlier chunks
  let inValue = false;
  let inScalar = false;
  let inString = false;
  let escaped = false;
  let depth = 0;

  const tooLarge = (): AppError =>
    new AppError("OverMaxRecordSize", `A JSON record is longer than ${MAX_RECORD_BYTES} bytes`, {
      details: { maxRecordBytes: MAX_RECORD_BYTES },
    });

  const scan = function* (text: string): Generator<string> {
    let valueStart = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (!inValue) {
        if (isSpace(c)) continue;
        inValue = true;
        valueStart = i;
        if (c === OPEN_BRACE || c === OPEN_BRACKET) depth = 1;
        else if (c === QUOTE) inString = true;
        else inScalar = true;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (depth === 0) {
            yield finish(text.slice(valueStart, i + 1));
          }
        }
        continue;
      }
      if (inScalar) {
        if (isSpace(c) || c === OPEN_BRACE || c === OPEN_BRACKET || c === QUOTE) {
          yield finish(text.slice(valueStart, i));
          i--; // this character starts the next value (or is whitespace)
        }
        continue;
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) yield finish(text.slice(valueStart, i + 1));
      }
    }
    if (inValue) {
      if (carried.length + text.length - valueStart > MAX_RECORD_BYTES) throw tooLarge();
      carried += text.slice(valueStart);
    }
  };

  const finish = (tail: string): string => {
    const value = carried + tail;
    carried = "";
    inValue = false;
    inScalar = false;
    depth = 0;
    if (value.length > MAX_RECORD_BYTES) throw tooLarge();
    return value;
  };

  for await (const chunk of input) {
    const bytes: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), "utf8");
    if (stats !== undefined) stats.bytesScanned += bytes.length;
    yield* scan(decoder.write(bytes));
  }
  yield* scan(decoder.end());
  if (inValue) {
    if (inScalar && carried.trim() !== "") {
      yield finish("");
      return;
    }
    throw new AppError("InvalidArgument", "The JSON input ends inside a value", {
      details: { reason: "JSONParsingError" },
    });
  }
}
