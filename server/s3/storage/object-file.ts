import { Buffer } from "node:buffer";
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { Readable } from "node:stream";
import { AppError } from "../../errors/app-error.ts";

/**
 * Objects and parts are single files: the body, then a JSON trailer describing
 * it, then an 8-byte footer (trailer length, magic). One file means one rename
 * publishes body and metadata together, so no reader can pair a body with
 * another write's metadata. The trailer sits after the body because the ETag
 * and size are only known once the body has streamed through; byte offsets in
 * the body are therefore also file offsets, which keeps ranged reads trivial.
 */
const MAGIC = Buffer.from("HRL1", "latin1");
const FOOTER_BYTES = 8;
/** User metadata and tags are small in S3 (2 KB, 10 tags); anything near this is a corrupt file. */
const MAX_TRAILER_BYTES = 1024 * 1024;

export interface ObjectTrailer {
  kind: "object";
  /** Random per write: tag files name the write they belong to, so a new put orphans old tags. */
  id: string;
  key: string;
  size: number;
  /** Quoted, as S3 sends it. */
  eTag: string;
  contentType: string;
  metadata: Record<string, string>;
  /** Milliseconds since the epoch. */
  lastModified: number;
  /** Tags the object was written with (a copy carries its source's); a tag file for this id overrides them. */
  tags: Record<string, string>;
}

export interface PartTrailer {
  kind: "part";
  partNumber: number;
  size: number;
  /** Hex MD5 of the part's body; the multipart ETag is built from these. */
  md5: string;
  eTag: string;
  lastModified: number;
}

export type Trailer = ObjectTrailer | PartTrailer;

export function encodeTrailer(trailer: Trailer): Buffer {
  const json = Buffer.from(JSON.stringify(trailer), "utf8");
  const footer = Buffer.alloc(FOOTER_BYTES);
  footer.writeUInt32BE(json.length, 0);
  MAGIC.copy(footer, 4);
  return Buffer.concat([json, footer]);
}

/** Reads the trailer through an open handle, so the body read after it is from the same file even if the path is replaced meanwhile. */
export async function readTrailer<K extends Trailer["kind"]>(
  handle: FileHandle,
  kind: K,
  pathForErrors: string,
): Promise<Extract<Trailer, { kind: K }>> {
  const corrupt = (why: string): AppError =>
    new AppError("InternalError", `Stored file is corrupt (${why})`, { details: { path: pathForErrors } });
  const { size: fileSize } = await handle.stat();
  if (fileSize < FOOTER_BYTES) throw corrupt("too short");
  const footer = Buffer.alloc(FOOTER_BYTES);
  await readExactly(handle, footer, fileSize - FOOTER_BYTES);
  if (!footer.subarray(4).equals(MAGIC)) throw corrupt("bad magic");
  const trailerLength = footer.readUInt32BE(0);
  if (trailerLength > MAX_TRAILER_BYTES || trailerLength > fileSize - FOOTER_BYTES) throw corrupt("bad trailer length");
  const json = Buffer.alloc(trailerLength);
  await readExactly(handle, json, fileSize - FOOTER_BYTES - trailerLength);
  let trailer: Trailer;
  try {
    trailer = JSON.parse(json.toString("utf8")) as Trailer;
  } catch {
    throw corrupt("unreadable trailer");
  }
  if (trailer.kind !== kind) throw corrupt(`expected a ${kind}`);
  if (trailer.size !== fileSize - FOOTER_BYTES - trailerLength) throw corrupt("size does not match");
  return trailer as Extract<Trailer, { kind: K }>;
}

/** Opens a stored file and reads its trailer; the caller owns the handle. ENOENT propagates. */
export async function openStored<K extends Trailer["kind"]>(
  filePath: string,
  kind: K,
): Promise<{ handle: FileHandle; trailer: Extract<Trailer, { kind: K }> }> {
  const handle = await open(filePath, "r");
  try {
    return { handle, trailer: await readTrailer(handle, kind, filePath) };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads just the trailer of a stored file. ENOENT propagates. */
export async function statStored<K extends Trailer["kind"]>(filePath: string, kind: K): Promise<Extract<Trailer, { kind: K }>> {
  const { handle, trailer } = await openStored(filePath, kind);
  await handle.close();
  return trailer;
}

async function readExactly(handle: FileHandle, into: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await handle.read(into, done, into.length - done, position + done);
    if (bytesRead === 0) throw new AppError("InternalError", "Stored file ended early");
    done += bytesRead;
  }
}

/**
 * The bytes start..end (inclusive) of a stored file's body, read through
 * `handle`, which stays open: the caller closes it. An empty range is an empty stream.
 */
export function readRegion(handle: FileHandle, start: number, end: number): Readable {
  return end < start ? Readable.from([]) : handle.createReadStream({ start, end, autoClose: false });
}
