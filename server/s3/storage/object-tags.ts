import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import { AppError } from "../../errors/app-error.ts";
import { isNotFound } from "./fs-errors.ts";
import type { ObjectTrailer } from "./object-file.ts";

/**
 * Tags change without the body changing, and rewriting a 5 GB object to set a
 * tag is not an option, so a tag set put after the object lives in a small file
 * next to it, naming the write (trailer id) it belongs to. A later put of the
 * key gets a new id, which makes the old tag file stale: "a new put clears the
 * tags" holds without having to delete anything in step with the put.
 */
export interface TagFile {
  objectId: string;
  tags: Record<string, string>;
}

const MAX_TAGS = 10;
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;

/** S3's limits on a tag set. */
export function validateTags(tags: Record<string, string>): Record<string, string> {
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) {
    throw new AppError("InvalidArgument", `Object tags cannot be greater than ${MAX_TAGS}`, { details: { count: entries.length } });
  }
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > MAX_TAG_KEY) {
      throw new AppError("InvalidArgument", `A tag key must be 1 to ${MAX_TAG_KEY} characters long`, { details: { key } });
    }
    if (typeof value !== "string" || value.length > MAX_TAG_VALUE) {
      throw new AppError("InvalidArgument", `A tag value must be at most ${MAX_TAG_VALUE} characters long`, { details: { key } });
    }
  }
  return Object.fromEntries(entries);
}

export function encodeTagFile(file: TagFile): Buffer {
  return Buffer.from(JSON.stringify(file), "utf8");
}

/** The object's current tags: the tag file when it belongs to this write, else the tags the object was written with. */
export async function currentTags(tagsPath: string, trailer: ObjectTrailer): Promise<Record<string, string>> {
  const file = await readTagFile(tagsPath);
  return file !== undefined && file.objectId === trailer.id ? file.tags : trailer.tags;
}

export async function readTagFile(tagsPath: string): Promise<TagFile | undefined> {
  let text: string;
  try {
    text = await readFile(tagsPath, "utf8");
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as TagFile;
  } catch {
    // Tag files are renamed into place whole, so this is damage from outside; treat as no tag file.
    return undefined;
  }
}
