import { mkdir, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import type { TempFile } from "./atomic-write.ts";
import { errnoCode } from "./fs-errors.ts";
import { hexToComponents, keyToHex, objectPaths, objectsDir, type StoreLayout } from "./key-paths.ts";
import { encodeTrailer, type ObjectTrailer } from "./object-file.ts";
import type { ObjectInfo } from "./object-store.ts";

/**
 * Turns a temp file holding a body into the object: the trailer goes on the
 * end and one rename publishes both (see object-file.ts). ENOENT from here
 * means the bucket is gone; the caller says so.
 */
export async function publishObject(layout: StoreLayout, bucket: string, temp: TempFile, trailer: ObjectTrailer): Promise<void> {
  await temp.append(encodeTrailer(trailer));
  await temp.commit(objectPaths(layout, bucket, trailer.key).data, () => ensureKeyDirs(layout, bucket, trailer.key));
}

export function toObjectInfo(bucket: string, trailer: ObjectTrailer): ObjectInfo {
  return {
    bucket,
    key: trailer.key,
    size: trailer.size,
    eTag: trailer.eTag,
    lastModified: new Date(trailer.lastModified),
    contentType: trailer.contentType,
    metadata: { ...trailer.metadata },
  };
}

/**
 * Creates the directories a long key's file lives in, one level at a time and
 * never the objects directory itself: a recursive mkdir racing a bucket
 * delete would resurrect the bucket's directory without its bucket.json.
 */
async function ensureKeyDirs(layout: StoreLayout, bucket: string, key: string): Promise<void> {
  let dir = objectsDir(layout, bucket);
  await stat(dir); // ENOENT: no bucket
  const components = hexToComponents(keyToHex(key)).slice(0, -1);
  for (const component of components) {
    dir = path.join(dir, component);
    try {
      await mkdir(dir);
    } catch (error) {
      if (errnoCode(error) !== "EEXIST") throw error;
    }
  }
}

/**
 * After a delete, removes the long-key directories it left empty, deepest
 * first, so that deleted keys do not leave a trail of directories for listings
 * to walk. A put racing this re-creates what it needs (TempFile.commit retries).
 */
export async function pruneKeyDirs(layout: StoreLayout, bucket: string, key: string): Promise<void> {
  const root = objectsDir(layout, bucket);
  let dir = objectPaths(layout, bucket, key).dir;
  while (dir.length > root.length && dir.startsWith(root + path.sep)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty: neither are the ones above (or another delete is pruning them)
    }
    dir = path.dirname(dir);
  }
}
