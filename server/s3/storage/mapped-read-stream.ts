import buffer from "node:buffer";
import type { FileHandle } from "node:fs/promises";
import { createRequire } from "node:module";
import { Readable } from "node:stream";

/** Typed by the addon's own index.d.ts. */
type MappedFileAddon = typeof import("@herald/mapped-file");

/**
 * The optional native addon (native/mapped-file). Where it did not build,
 * bodies are read into buffers as before: slower for large objects, never wrong.
 */
const addon: MappedFileAddon | undefined = (() => {
  try {
    return createRequire(import.meta.url)("@herald/mapped-file") as MappedFileAddon;
  } catch {
    return undefined;
  }
})();

export function canMapFiles(): boolean {
  return addon !== undefined;
}

/** Below this a body is read into buffers: a map and its unmapping cost more than copying a few MiB. */
export const MAPPED_READ_MIN_BYTES = 8 * 1024 * 1024;

export interface MappedReadOptions {
  /** Bytes mapped at a time. */
  windowBytes?: number;
  /** Bytes per chunk pushed downstream (a socket write each). */
  chunkBytes?: number;
}

/**
 * As large as a Buffer may be: V8 counts each new Buffer's length as memory in
 * use and, past a few tens of MiB of it, starts a major GC, so 64 MiB windows
 * cost a GC each and halved a 1 GiB GetObject. One window per object up to
 * 4 GiB is one GC per GetObject. The window is address space, not memory:
 * `release` keeps what is resident to a couple of chunks.
 */
const DEFAULT_WINDOW_BYTES = Math.floor((buffer.constants.MAX_LENGTH - 1) / (64 * 1024)) * 64 * 1024;
/** As the ordinary reads: consumers that work per chunk (S3 Select checks for a cancel between chunks) see no difference. */
const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** Each release (madvise) costs a TLB flush on every core running Herald: sent pages are released in steps this large. */
const RELEASE_STEP_BYTES = 8 * 1024 * 1024;

/**
 * Bytes `start..end` (inclusive) of the open file as a stream of slices of
 * memory maps, so a large GetObject is copied once, by the kernel into the
 * socket, rather than read into the heap and then copied out again. The
 * stream owns `handle` and closes it when it ends or is destroyed (the maps
 * stay valid without it). Undefined when the file cannot be mapped (no addon,
 * or mmap refused): the caller reads it the ordinary way.
 *
 * Objects are written once and published by rename, never changed in place,
 * so a mapped region never shrinks under a reader.
 */
export function mappedReadStream(handle: FileHandle, start: number, end: number, options: MappedReadOptions = {}): Readable | undefined {
  if (addon === undefined || end < start) return undefined;
  const windowBytes = options.windowBytes ?? DEFAULT_WINDOW_BYTES;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const pageSize = addon.pageSize;
  if (windowBytes % pageSize !== 0) throw new Error(`windowBytes must be a multiple of the page size (${pageSize})`);

  let window: Buffer | undefined;
  let windowStart = 0;
  /** Bytes of `window` before this are released from the resident set. */
  let released = 0;
  // Everything handed downstream up to one chunk back has been written (the consumer asks for more only then);
  // dropping its pages keeps the resident size flat. Releasing is always safe: touched again, a page maps back in.
  const releaseUpTo = (to: number): void => {
    if (window !== undefined && to > released) {
      addon.release(window, released, to);
      released = to;
    }
  };
  const mapFrom = (position: number): Buffer => {
    if (window !== undefined) releaseUpTo(window.length);
    // Maps start on a page boundary; the window covers `position` and runs to at most `end`.
    windowStart = position - (position % pageSize);
    window = addon.map(handle.fd, windowStart, Math.min(windowBytes, end + 1 - windowStart));
    released = 0;
    return window;
  };
  try {
    mapFrom(start);
  } catch {
    return undefined;
  }

  let position = start;
  return new Readable({
    highWaterMark: chunkBytes,
    read() {
      try {
        if (position > end) {
          releaseUpTo(window!.length);
          this.push(null);
          return;
        }
        const current = position >= windowStart + window!.length ? mapFrom(position) : window!;
        const from = position - windowStart;
        if (from - chunkBytes - released >= RELEASE_STEP_BYTES) releaseUpTo(from - chunkBytes);
        const length = Math.min(chunkBytes, current.length - from, end + 1 - position);
        position += length;
        const chunk = current.subarray(from, from + length);
        // Handed over on the next turn of the event loop, as a file read's would be: a consumer that
        // only computes (an S3 Select scan) would otherwise take the whole object without once letting
        // timers, sockets or a cancel run.
        setImmediate(() => {
          if (!this.destroyed) this.push(chunk);
        });
      } catch (error) {
        this.destroy(error as Error);
      }
    },
    destroy(error, callback) {
      try {
        // A client that went away part-way leaves nothing resident until the map is collected.
        releaseUpTo(window?.length ?? 0);
      } catch {
        // Only resident size is at stake; the map goes with its Buffer.
      }
      handle.close().then(
        () => callback(error),
        (closeError: unknown) => callback(error ?? (closeError as Error)),
      );
    },
  });
}
