import { Buffer } from "node:buffer";
import path from "node:path";
import { AppError } from "../../errors/app-error.ts";
import { isWellFormedKey } from "../../events/object-key.ts";

/**
 * Where things live under the store's root, and the checks that keep every
 * name we derive from a request inside it.
 *
 *   <root>/.tmp/<random>                      temp files and claimed directories
 *   <root>/buckets/<bucket>/bucket.json       { createdAt }
 *   <root>/buckets/<bucket>/objects/...       one file per object, named by the key in hex
 *   <root>/buckets/<bucket>/uploads/<id>/     one directory per unfinished multipart upload
 *
 * An object's file name is the lower-case hex of its key's UTF-8 bytes, so no
 * key can name a path of its own ("..", "/", NUL, "\" all become hex digits),
 * names survive case-insensitive file systems, and sorting names as ASCII
 * sorts keys in UTF-8 byte order, which is the order S3 lists in. A 1024-byte
 * key is 2048 hex digits, more than one path component holds, so the hex is
 * cut into directories of KEY_CHUNK digits: every directory name is exactly
 * KEY_CHUNK digits, every object file `<1..KEY_CHUNK digits>.o`. Since the
 * suffix tells files from directories, a key and a longer key sharing its
 * first KEY_CHUNK digits can coexist.
 */
export const KEY_CHUNK = 200;
export const OBJECT_SUFFIX = ".o";
export const TAGS_SUFFIX = ".t";
export const MAX_KEY_BYTES = 1024;
export const MIN_PART_NUMBER = 1;
export const MAX_PART_NUMBER = 10_000;

const UPLOAD_ID = /^[0-9a-f]{32}$/;

export interface StoreLayout {
  root: string;
  tmpDir: string;
  bucketsDir: string;
}

export function storeLayout(root: string): StoreLayout {
  const resolved = path.resolve(root);
  return { root: resolved, tmpDir: path.join(resolved, ".tmp"), bucketsDir: path.join(resolved, "buckets") };
}

/** S3's naming rules, so that names which work here also work against AWS. */
export function validateBucketName(bucket: string): void {
  const refuse = (why: string): never => {
    throw new AppError("InvalidBucketName", `The specified bucket is not valid: ${JSON.stringify(bucket)} ${why}`, {
      details: { bucket },
    });
  };
  if (bucket.length < 3 || bucket.length > 63) refuse("must be 3 to 63 characters long");
  if (!/^[a-z0-9.-]+$/.test(bucket)) refuse("may hold only lower-case letters, digits, dots and hyphens");
  if (!/^[a-z0-9]/.test(bucket) || !/[a-z0-9]$/.test(bucket)) refuse("must begin and end with a letter or digit");
  if (bucket.includes("..")) refuse("must not hold two adjacent dots");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) refuse("must not be formatted as an IP address");
  if (bucket.startsWith("xn--")) refuse("must not begin with xn--");
  if (bucket.endsWith("-s3alias") || bucket.endsWith("--ol-s3")) refuse("must not end with a reserved suffix");
}

export function isBucketName(name: string): boolean {
  try {
    validateBucketName(name);
    return true;
  } catch {
    return false;
  }
}

/** Refuses what no S3 key can be (or what we choose not to store) and returns the key's UTF-8 bytes. */
export function validateKey(key: string): Buffer {
  if (key.length === 0) throw new AppError("InvalidArgument", "The object key must not be empty");
  // Lone surrogates would be silently replaced by U+FFFD when encoded, and the key would not round-trip.
  if (!isWellFormedKey(key)) throw new AppError("InvalidArgument", "The object key is not valid UTF-8", { details: { key } });
  // The hex naming would store NUL safely, but it is a common truncation trick and no client needs it.
  if (key.includes("\u0000")) throw new AppError("InvalidArgument", "The object key must not contain NUL", { details: { key } });
  const bytes = Buffer.from(key, "utf8");
  if (bytes.length > MAX_KEY_BYTES) {
    throw new AppError("KeyTooLongError", `Your key is too long: ${bytes.length} bytes, the limit is ${MAX_KEY_BYTES}`, {
      details: { size: bytes.length, maxSizeAllowed: MAX_KEY_BYTES },
    });
  }
  return bytes;
}

export function keyToHex(key: string): string {
  return Buffer.from(key, "utf8").toString("hex");
}

export function hexToKey(hex: string): string {
  return Buffer.from(hex, "hex").toString("utf8");
}

/** The path components of an object's file, without suffix on the last one. */
export function hexToComponents(hex: string): string[] {
  const components: string[] = [];
  let rest = hex;
  while (rest.length > KEY_CHUNK) {
    components.push(rest.slice(0, KEY_CHUNK));
    rest = rest.slice(KEY_CHUNK);
  }
  components.push(rest);
  return components;
}

export function bucketDir(layout: StoreLayout, bucket: string): string {
  validateBucketName(bucket);
  return inside(layout.root, path.join(layout.bucketsDir, bucket));
}

export function objectsDir(layout: StoreLayout, bucket: string): string {
  return path.join(bucketDir(layout, bucket), "objects");
}

export function uploadsDir(layout: StoreLayout, bucket: string): string {
  return path.join(bucketDir(layout, bucket), "uploads");
}

export interface ObjectPaths {
  /** The object's file: body followed by its trailer (see object-file.ts). */
  data: string;
  /** The object's tag set, when one was put after the object (see object-tags.ts). */
  tags: string;
  /** The directory holding both; created on demand for long keys. */
  dir: string;
}

export function objectPaths(layout: StoreLayout, bucket: string, key: string): ObjectPaths {
  validateKey(key);
  const components = hexToComponents(keyToHex(key));
  const last = components.pop() ?? "";
  const dir = path.join(objectsDir(layout, bucket), ...components);
  return {
    dir,
    data: inside(layout.root, path.join(dir, last + OBJECT_SUFFIX)),
    tags: inside(layout.root, path.join(dir, last + TAGS_SUFFIX)),
  };
}

/** Upload ids are ours (random hex), so anything else is unknown rather than a path to try. */
export function uploadDir(layout: StoreLayout, bucket: string, uploadId: string): string {
  if (!UPLOAD_ID.test(uploadId)) {
    throw new AppError("NoSuchUpload", "The specified multipart upload does not exist", { details: { uploadId } });
  }
  return inside(layout.root, path.join(uploadsDir(layout, bucket), uploadId));
}

export function isUploadId(name: string): boolean {
  return UPLOAD_ID.test(name);
}

export function validatePartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < MIN_PART_NUMBER || partNumber > MAX_PART_NUMBER) {
    throw new AppError("InvalidArgument", `Part number must be an integer between ${MIN_PART_NUMBER} and ${MAX_PART_NUMBER}`, {
      details: { partNumber },
    });
  }
}

export function partFileName(partNumber: number): string {
  return `${String(partNumber).padStart(5, "0")}.part`;
}

/** The inverse of partFileName; undefined for anything else in an upload's directory. */
export function partNumberOf(fileName: string): number | undefined {
  const match = /^(\d{5})\.part$/.exec(fileName);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Every name above is built from validated parts, so this never fires; it is
 * here so that a future change to the naming cannot quietly start writing
 * outside the root.
 */
function inside(root: string, candidate: string): string {
  const resolved = path.resolve(candidate);
  if (!resolved.startsWith(root + path.sep)) {
    throw new AppError("InvalidArgument", "The request names a location outside the object store");
  }
  return resolved;
}
