import { Readable } from "node:stream";
import { AppError } from "../../errors/app-error.ts";
import type { ByteRange, ObjectInfo, ObjectStore } from "../storage/object-store.ts";

/**
 * The one object a query reads. Opened lazily and possibly more than once (a
 * parallel scan reads two halves, Parquet reads its footer then row groups), so
 * it is a way to open byte ranges rather than one stream. Every open reads the
 * same version: a store-backed object refuses a range of a newer write.
 */
export interface SelectObject {
  size: number;
  open(range?: ByteRange): Promise<Readable>;
  /**
   * When the object is a local file: a hard link to it at `destination` (the
   * body followed by `tail`, bytes that are not the object's), so a reader can
   * open the file itself. Undefined when it is not possible.
   */
  linkTo?(destination: string): Promise<{ tail: Buffer } | undefined>;
}

/** A single stream as an object (tests, uploads): it can be opened once, whole. */
export function selectObjectFromStream(body: Readable, size: number): SelectObject {
  let opened = false;
  return {
    size,
    open(range) {
      if (opened || range !== undefined) {
        return Promise.reject(new AppError("InternalError", "This object can only be read once, from the start"));
      }
      opened = true;
      return Promise.resolve(body);
    },
  };
}

/** An object in the store, pinned to the version its metadata showed: a later open of a newer write fails instead of mixing versions. */
export async function openStoredObject(store: ObjectStore, bucket: string, key: string): Promise<{ info: ObjectInfo; object: SelectObject }> {
  const pinned = await store.headObject(bucket, key);
  const object: SelectObject = {
    size: pinned.size,
    async open(range) {
      const { body } = await store.getObject(bucket, key, (info) => {
        if (info.eTag !== pinned.eTag || info.lastModified.getTime() !== pinned.lastModified.getTime()) {
          throw new AppError("InternalError", "The object changed while it was being queried; run the query again");
        }
        return range;
      });
      return body;
    },
  };
  const linkObjectFile = store.linkObjectFile?.bind(store);
  if (linkObjectFile !== undefined) {
    object.linkTo = async (destination) => {
      const linked = await linkObjectFile(bucket, key, destination);
      if (linked === undefined) return undefined;
      if (linked.info.eTag !== pinned.eTag || linked.info.lastModified.getTime() !== pinned.lastModified.getTime()) {
        throw new AppError("InternalError", "The object changed while it was being queried; run the query again");
      }
      return { tail: linked.tail };
    };
  }
  return { info: pinned, object };
}

/** Bytes in memory as an object (tests, small uploads): every range can be opened, any number of times. */
export function selectObjectFromBuffer(bytes: Buffer, chunkSize = 64 * 1024): SelectObject {
  return {
    size: bytes.length,
    open(range) {
      const slice = range === undefined ? bytes : bytes.subarray(range.start, range.end + 1);
      const chunks: Buffer[] = [];
      for (let i = 0; i < slice.length; i += chunkSize) chunks.push(slice.subarray(i, i + chunkSize));
      return Promise.resolve(Readable.from(chunks));
    },
  };
}

/**
 * The bytes start..end (inclusive) of the object, read whole into one buffer of
 * their own (fewer when the object ends early: callers decide what that means).
 * `onChunk` sees each chunk's size as it arrives (byte counters).
 */
export async function readObjectRange(object: SelectObject, start: number, end: number, onChunk?: (bytes: number) => void): Promise<Buffer> {
  if (end < start) return Buffer.alloc(0);
  const out = Buffer.alloc(end - start + 1);
  let filled = 0;
  for await (const chunk of await object.open({ start, end })) {
    const bytes = chunk as Buffer;
    onChunk?.(bytes.length);
    if (filled + bytes.length > out.length) throw new AppError("InternalError", "The object returned more bytes than the range asked for");
    bytes.copy(out, filled);
    filled += bytes.length;
  }
  return filled === out.length ? out : out.subarray(0, filled);
}
