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
/**
 * Footer v2: the trailer length as 8 hex digits, then "HRL2", so the whole
 * trailer is one line of text (JSON.stringify escapes newlines), which lets a
 * line reader (DuckDB scanning the file for S3 Select) step over it. v1 files
 * (a binary 4-byte length, then "HRL1") are still read.
 */
const MAGIC_V1 = Buffer.from("HRL1", "latin1");
const MAGIC_V2 = Buffer.from("HRL2", "latin1");
const FOOTER_V1_BYTES = 8;
const FOOTER_V2_BYTES = 12;
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
  const footer = Buffer.from(`${json.length.toString(16).padStart(8, "0")}HRL2`, "latin1");
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
  if (fileSize < FOOTER_V1_BYTES) throw corrupt("too short");
  const magic = Buffer.alloc(4);
  await readExactly(handle, magic, fileSize - 4);
  let footerBytes: number;
  let trailerLength: number;
  if (magic.equals(MAGIC_V2) && fileSize >= FOOTER_V2_BYTES) {
    footerBytes = FOOTER_V2_BYTES;
    const hex = Buffer.alloc(8);
    await readExactly(handle, hex, fileSize - FOOTER_V2_BYTES);
    const text = hex.toString("latin1");
    if (!/^[0-9a-f]{8}$/.test(text)) throw corrupt("bad trailer length");
    trailerLength = Number.parseInt(text, 16);
  } else if (magic.equals(MAGIC_V1)) {
    footerBytes = FOOTER_V1_BYTES;
    const length = Buffer.alloc(4);
    await readExactly(handle, length, fileSize - FOOTER_V1_BYTES);
    trailerLength = length.readUInt32BE(0);
  } else {
    throw corrupt("bad magic");
  }
  if (trailerLength > MAX_TRAILER_BYTES || trailerLength > fileSize - footerBytes) throw corrupt("bad trailer length");
  const json = Buffer.alloc(trailerLength);
  await readExactly(handle, json, fileSize - footerBytes - trailerLength);
  let trailer: Trailer;
  try {
    trailer = JSON.parse(json.toString("utf8")) as Trailer;
  } catch {
    throw corrupt("unreadable trailer");
  }
  if (trailer.kind !== kind) throw corrupt(`expected a ${kind}`);
  if (trailer.size !== fileSize - footerBytes - trailerLength) throw corrupt("size does not match");
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
