import type { Readable } from "node:stream";
import { AppError } from "../../../errors/app-error.ts";
import { MAX_RECORD_BYTES } from "./input-options.ts";
import { pastRange, startsInRange, type ScanRange, type ScanStats } from "./scan-range.ts";

/** One record's text (without its delimiter) and the byte offset where it starts in the input. */
export interface RawRecord {
  text: string;
  start: number;
}

export interface DelimitedOptions {
  range?: ScanRange | undefined;
  /** Also yield the record at offset 0 when the range starts later (the CSV header). */
  keepFirst?: boolean;
  stats?: ScanStats | undefined;
  maxRecordBytes?: number;
}

/**
 * Splits a byte stream into records at every occurrence of `delimiter`, without
 * looking at quotes. The input must begin at byte 0 of the object: records that
 * start before `range.start` are skipped (their bytes are not kept), and reading
 * stops (destroying `input`) at the first record that starts after `range.end`.
 * A record longer than `maxRecordBytes` fails with OverMaxRecordSize.
 * A trailing delimiter at the end of input does not make an empty last record.
 */
export async function* delimitedRecords(
  input: Readable,
  delimiter: string,
  options: DelimitedOptions = {},
): AsyncGenerator<RawRecord> {
  const delim = Buffer.from(delimiter, "utf8");
  const width = delim.length;
  if (width === 0) throw new AppError("InvalidArgument", "The record delimiter must not be empty");
  const max = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  const { range, stats } = options;
  const wanted = (offset: number): boolean => startsInRange(offset, range) || (options.keepFirst === true && offset === 0);

  let pending: Buffer = Buffer.alloc(0); // unconsumed bytes; pending[0] is at absolute `pendingOffset`
  let pendingOffset = 0;
  let recordStart = 0; // absolute offset of the current record
  let keep = wanted(0);
  let searchFrom = 0; // index in `pending` where the delimiter search resumes

  const tooLarge = (): AppError =>
    new AppError("OverMaxRecordSize", `A record starting at byte ${recordStart} is longer than ${max} bytes`, {
      details: { maxRecordBytes: max, recordStart },
    });

  if (pastRange(0, range)) return;
  for await (const chunk of input) {
    const bytes: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), "utf8");
    if (stats !== undefined) stats.bytesScanned += bytes.length;
    pending = pending.length === 0 ? bytes : Buffer.concat([pending, bytes]);
    let index = pending.indexOf(delim, searchFrom);
    while (index !== -1) {
      const local = recordStart - pendingOffset;
      if (keep) {
        if (index - local > max) throw tooLarge();
        yield { text: pending.toString("utf8", local, index), start: recordStart };
      }
      recordStart = pendingOffset + index + width;
      if (pastRange(recordStart, range)) return;
      keep = wanted(recordStart);
      index = pending.indexOf(delim, index + width);
    }
    // Drop what is consumed (or, for a skipped record, all but a possible partial delimiter).
    const local = recordStart - pendingOffset;
    const dropTo = keep ? local : Math.max(local, pending.length - (width - 1));
    pending = pending.subarray(dropTo);
    pendingOffset += dropTo;
    searchFrom = Math.max(0, pending.length - (width - 1));
    if (keep && pending.length > max + width - 1) throw tooLarge();
  }
  const local = recordStart - pendingOffset;
  if (keep && pending.length > local) {
    if (pending.length - local > max) throw tooLarge();
    yield { text: pending.toString("utf8", local), start: recordStart };
  }
}
