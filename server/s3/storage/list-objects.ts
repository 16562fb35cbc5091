import { Buffer } from "node:buffer";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../errors/app-error.ts";
import { isNotFound } from "./fs-errors.ts";
import { KEY_CHUNK, OBJECT_SUFFIX, hexToKey, keyToHex } from "./key-paths.ts";
import type { ListObjectsOptions, ListObjectsResult, ObjectInfo } from "./object-store.ts";

/**
 * ListObjectsV2 straight off the directory tree: file names are the keys in
 * hex (see key-paths.ts), so sorting names sorts keys in UTF-8 byte order and
 * a page costs a readdir per directory visited plus one trailer read per
 * object returned. Prefix and start position prune whole directories. No
 * index to keep in step with writes, so nothing can drift after a crash.
 */
export const MAX_KEYS = 1000;
/** Trailer reads run in parallel, but not 1000 open files at once. */
const READ_CONCURRENCY = 16;
const TOKEN_VERSION = "1.";

export interface StoredKey {
  keyHex: string;
  path: string;
}

export type ReadInfo = (key: string, filePath: string) => Promise<ObjectInfo | undefined>;

export async function listObjects(objectsDir: string, options: ListObjectsOptions, readInfo: ReadInfo): Promise<ListObjectsResult> {
  const maxKeys = resolveMaxKeys(options.maxKeys);
  const prefix = options.prefix ?? "";
  const delimiter = options.delimiter === "" ? undefined : options.delimiter;
  const resumeAfter = options.continuationToken === undefined ? undefined : decodeContinuationToken(options.continuationToken);
  const empty: ListObjectsResult = { objects: [], commonPrefixes: [], isTruncated: false, nextContinuationToken: undefined };
  if (maxKeys === 0) return empty;

  // Both bounds are exclusive; the later one wins. A token that is a common prefix still lets keys under
  // it through the walk, and the rolled-up comparison below drops them.
  const afterHex = maxHex(
    options.startAfter === undefined ? undefined : keyToHex(options.startAfter),
    resumeAfter === undefined ? undefined : resumeHex(resumeAfter, prefix, delimiter),
  );
  const resumeAfterBytes = resumeAfter === undefined ? undefined : Buffer.from(resumeAfter, "utf8");

  const items: { value: string; path: string | undefined }[] = [];
  let last: string | undefined;
  let isTruncated = false;
  for await (const stored of walkKeys(objectsDir, keyToHex(prefix), afterHex)) {
    const key = hexToKey(stored.keyHex);
    const commonPrefix = delimiter === undefined ? undefined : rollUp(key, prefix, delimiter);
    const value = commonPrefix ?? key;
    // Rolled-up values never decrease along the walk, so "same as the last one" finds every repeat.
    if (value === last) continue;
    if (resumeAfterBytes !== undefined && Buffer.compare(Buffer.from(value, "utf8"), resumeAfterBytes) <= 0) continue;
    if (items.length === maxKeys) {
      isTruncated = true;
      break;
    }
    items.push({ value, path: commonPrefix === undefined ? stored.path : undefined });
    last = value;
  }

  const infos = await mapLimit(items, READ_CONCURRENCY, (item) =>
    item.path === undefined ? Promise.resolve(undefined) : readInfo(item.value, item.path),
  );
  const result: ListObjectsResult = { ...empty, isTruncated };
  items.forEach((item, index) => {
    if (item.path === undefined) result.commonPrefixes.push(item.value);
    else {
      // undefined: deleted since the readdir; S3 would not list it either.
      const info = infos[index];
      if (info !== undefined) result.objects.push(info);
    }
  });
  if (isTruncated && last !== undefined) result.nextContinuationToken = encodeContinuationToken(last);
  return result;
}

/**
 * The stored keys under `objectsDir` that start with `prefixHex` and sort
 * after `afterHex`, in key order. Entries are read lazily, a directory at a
 * time, so a caller that stops early stops the walk.
 */
export async function* walkKeys(objectsDir: string, prefixHex: string, afterHex: string | undefined): AsyncGenerator<StoredKey> {
  yield* walkDir(objectsDir, "", prefixHex, afterHex);
}

async function* walkDir(dir: string, baseHex: string, prefixHex: string, afterHex: string | undefined): AsyncGenerator<StoredKey> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    // A bucket deleted, or a directory pruned, while we walk: it has no keys any more.
    if (isNotFound(error)) return;
    throw error;
  }
  const entries: { hex: string; name: string; isDir: boolean }[] = [];
  for (const name of names) {
    const isDir = name.length === KEY_CHUNK && isHex(name);
    const isObject = !isDir && name.endsWith(OBJECT_SUFFIX) && isHex(name.slice(0, -OBJECT_SUFFIX.length));
    if (!isDir && !isObject) continue; // tag files, and anything not ours
    const hex = baseHex + (isDir ? name : name.slice(0, -OBJECT_SUFFIX.length));
    if (isDir) {
      // A directory holds keys longer than its hex: skip it when none of them can match or come late enough.
      if (!hex.startsWith(prefixHex) && !prefixHex.startsWith(hex)) continue;
      if (afterHex !== undefined && hex < afterHex && !afterHex.startsWith(hex)) continue;
    } else {
      if (!hex.startsWith(prefixHex)) continue;
      if (afterHex !== undefined && hex <= afterHex) continue;
    }
    entries.push({ hex, name, isDir });
  }
  // A key sorts before every longer key it begins, so on equal hex the file comes before the directory.
  entries.sort((a, b) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : Number(a.isDir) - Number(b.isDir)));
  for (const entry of entries) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDir) yield* walkDir(entryPath, entry.hex, prefixHex, afterHex);
    else yield { keyHex: entry.hex, path: entryPath };
  }
}

/** The common prefix `key` rolls up into, or undefined when it is listed as itself. */
export function rollUp(key: string, prefix: string, delimiter: string): string | undefined {
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}

export function encodeContinuationToken(lastValue: string): string {
  return TOKEN_VERSION + Buffer.from(lastValue, "utf8").toString("base64url");
}

export function decodeContinuationToken(token: string): string {
  const body = token.startsWith(TOKEN_VERSION) ? token.slice(TOKEN_VERSION.length) : undefined;
  if (body === undefined || body.length === 0 || !/^[A-Za-z0-9_-]+$/.test(body)) {
    throw new AppError("InvalidArgument", "The continuation token provided is incorrect", { field: "continuation-token" });
  }
  return Buffer.from(body, "base64url").toString("utf8");
}

/**
 * Where to resume after `value`. When it is a common prefix every key under it
 * was rolled into it already; 0xff never occurs in UTF-8, so "<hex>ff" sorts
 * after all of them and the walk skips their directories instead of reading
 * them only to drop each key.
 */
function resumeHex(value: string, prefix: string, delimiter: string | undefined): string {
  const isCommonPrefix = delimiter !== undefined && rollUp(value, prefix, delimiter) === value;
  return keyToHex(value) + (isCommonPrefix ? "ff" : "");
}

function resolveMaxKeys(maxKeys: number | undefined): number {
  if (maxKeys === undefined) return MAX_KEYS;
  if (!Number.isInteger(maxKeys) || maxKeys < 0) {
    throw new AppError("InvalidArgument", "max-keys must be a non-negative integer", { field: "max-keys", details: { maxKeys } });
  }
  return Math.min(maxKeys, MAX_KEYS);
}

function maxHex(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}

function isHex(text: string): boolean {
  return text.length > 0 && text.length % 2 === 0 && /^[0-9a-f]+$/.test(text);
}

/** Like Promise.all over `items.map(fn)`, with at most `limit` calls in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
