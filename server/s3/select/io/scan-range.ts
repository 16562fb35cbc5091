import { AppError } from "../../../errors/app-error.ts";
import type { ScanRangeInput } from "./input-options.ts";

/**
 * A resolved scan range in bytes of the (uncompressed) object: a record is read
 * when it STARTS at an offset in [start, end] (end inclusive). A missing start
 * means 0, a missing end means the end of the object. The record that starts at
 * or before `end` is read to its end even when that lies after `end`.
 */
export interface ScanRange {
  start?: number;
  end?: number;
}

/** Counters a reader updates as it goes; `bytesScanned` is bytes taken from the input stream. */
export interface ScanStats {
  bytesScanned: number;
}

export function newScanStats(): ScanStats {
  return { bytesScanned: 0 };
}

/**
 * Turns the request's ScanRange into absolute offsets, per AWS:
 * Start and End -> [Start, End]; Start only -> Start to the end of the object;
 * End only -> the last End bytes of the object (which needs `objectSize`).
 * Returns undefined when there is no range to apply.
 */
export function resolveScanRange(range: ScanRangeInput | undefined, objectSize?: number): ScanRange | undefined {
  if (range === undefined) return undefined;
  const { Start: start, End: end } = range;
  if (start === undefined && end === undefined) return undefined;
  if (start !== undefined && end !== undefined) {
    if (end < start) throw new AppError("InvalidArgument", "ScanRange End must not be less than Start", { field: "ScanRange" });
    return { start, end };
  }
  if (start !== undefined) return { start };
  if (objectSize === undefined) {
    throw new AppError("InvalidArgument", "A ScanRange with only End needs the object size", { field: "ScanRange" });
  }
  return { start: Math.max(0, objectSize - (end ?? 0)) };
}

/** True when a record starting at byte `offset` is inside the range. */
export function startsInRange(offset: number, range: ScanRange | undefined): boolean {
  if (range === undefined) return true;
  return offset >= (range.start ?? 0) && (range.end === undefined || offset <= range.end);
}

/** True when a record starting at `offset`, and every later one, is past the range. */
export function pastRange(offset: number, range: ScanRange | undefined): boolean {
  return range?.end !== undefined && offset > range.end;
}
