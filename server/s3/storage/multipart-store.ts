import { Buffer } from "node:buffer";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { AppError } from "../../errors/app-error.ts";
import { TempFile, bareETag, quoteETag, writeFileDurably, type BodyCheck } from "./atomic-write.ts";
import { isNotFound, mapWriteError, writing } from "./fs-errors.ts";
import { KeyedLock } from "./keyed-lock.ts";
import {
  isUploadId,
  partFileName,
  partNumberOf,
  uploadDir,
  uploadsDir,
  validateKey,
  validatePartNumber,
  type StoreLayout,
} from "./key-paths.ts";
import { mapLimit } from "./list-objects.ts";
import { encodeTrailer, openStored, readRegion, statStored, type ObjectTrailer, type PartTrailer } from "./object-file.ts";
import type { ByteRange, ListPartsResult, ListUploadsResult, ObjectInfo, PartInfo, PutOptions } from "./object-store.ts";
import { publishObject, toObjectInfo } from "./publish-object.ts";

/**
 * Multipart uploads: one directory per upload under the bucket's uploads/,
 * holding upload.json (key, content type, metadata, when) and one file per
 * part (body + trailer with its MD5, see object-file.ts). Parts are written
 * like objects (temp file, fsync, rename), so re-uploading a part number
 * replaces it whole. Completing streams the parts into one temp file and
 * publishes it as the object, then removes the upload.
 */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_LIST = 1000;
const UPLOAD_FILE = "upload.json";

interface UploadRecord {
  key: string;
  /** Milliseconds since the epoch. */
  initiated: number;
  contentType: string;
  metadata: Record<string, string>;
}

export interface MultipartContext {
  layout: StoreLayout;
  clock: () => number;
  defaultContentType: string;
  /** NoSuchBucket unless the bucket exists. */
  requireBucket(bucket: string): Promise<void>;
  /** Opens an object for reading, with NoSuchBucket/NoSuchKey as appropriate; the caller closes the handle. */
  openObject(bucket: string, key: string): Promise<{ handle: FileHandle; trailer: ObjectTrailer }>;
}

export class MultipartUploads {
  private readonly locks = new KeyedLock();

  constructor(private readonly ctx: MultipartContext) {}

  async create(bucket: string, key: string, options: PutOptions): Promise<{ uploadId: string }> {
    validateKey(key);
    await this.ctx.requireBucket(bucket);
    const uploadId = randomBytes(16).toString("hex");
    const record: UploadRecord = {
      key,
      initiated: this.ctx.clock(),
      contentType: options.contentType ?? this.ctx.defaultContentType,
      metadata: lowerCaseNames(options.metadata ?? {}),
    };
    // Built in .tmp and renamed in, so an upload directory always has its upload.json.
    const staging = path.join(this.ctx.layout.tmpDir, `${randomBytes(16).toString("hex")}.upload`);
    try {
      await writing(async () => {
        await mkdir(staging);
        await writeFileDurably(path.join(staging, UPLOAD_FILE), JSON.stringify(record));
        await rename(staging, uploadDir(this.ctx.layout, bucket, uploadId));
      });
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (isNotFound(error)) await this.ctx.requireBucket(bucket);
      throw error;
    }
    return { uploadId };
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, check: BodyCheck): Promise<PartInfo> {
    validatePartNumber(partNumber);
    await this.readUpload(bucket, key, uploadId);
    return this.writePart(bucket, key, uploadId, partNumber, (temp) => temp.writeBody(body, check));
  }

  async uploadPartCopy(
    source: { bucket: string; key: string },
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    range: ByteRange | undefined,
  ): Promise<PartInfo> {
    validatePartNumber(partNumber);
    await this.readUpload(bucket, key, uploadId);
    const { handle, trailer } = await this.ctx.openObject(source.bucket, source.key);
    try {
      const start = range?.start ?? 0;
      const end = range?.end ?? trailer.size - 1;
      if (range !== undefined && !(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end < trailer.size)) {
        throw new AppError("InvalidRange", `The copy range ${start}-${end} is not satisfiable for a source of ${trailer.size} bytes`, {
          details: { start, end, size: trailer.size },
        });
      }
      return await this.writePart(bucket, key, uploadId, partNumber, (temp) =>
        temp.writeBody(readRegion(handle, start, end)),
      );
    } finally {
      await handle.close();
    }
  }

  async complete(bucket: string, key: string, uploadId: string, parts: readonly { partNumber: number; eTag: string }[]): Promise<ObjectInfo> {
    return this.locks.run(uploadId, async () => {
      const upload = await this.readUpload(bucket, key, uploadId);
      const dir = uploadDir(this.ctx.layout, bucket, uploadId);
      const chosen = await this.validateParts(dir, parts);

      const temp = await TempFile.create(this.ctx.layout.tmpDir);
      let trailer: ObjectTrailer;
      try {
        let size = 0;
        for (const part of chosen) {
          // Read through the handle whose trailer we check, so a part re-uploaded since validation
          // cannot slip different bytes under the ETag we validated.
          const { handle, trailer: current } = await openStored(path.join(dir, partFileName(part.partNumber)), "part").catch(
            (error: unknown) => {
              throw isNotFound(error) ? invalidPart(part.partNumber) : error;
            },
          );
          try {
            if (current.md5 !== part.md5) throw invalidPart(part.partNumber);
            const written = await temp.writeBody(readRegion(handle, 0, current.size - 1));
            size += written.size;
          } finally {
            await handle.close();
          }
        }
        const partMd5s = Buffer.concat(chosen.map((part) => Buffer.from(part.md5, "hex")));
        trailer = {
          kind: "object",
          id: randomUUID(),
          key,
          size,
          eTag: quoteETag(`${createHash("md5").update(partMd5s).digest("hex")}-${chosen.length}`),
          contentType: upload.contentType,
          metadata: upload.metadata,
          lastModified: this.ctx.clock(),
          tags: {},
        };
        await publishObject(this.ctx.layout, bucket, temp, trailer);
      } catch (error) {
        await temp.discard();
        if (isNotFound(error)) await this.ctx.requireBucket(bucket);
        throw error;
      }
      await this.removeUpload(bucket, uploadId);
      return toObjectInfo(bucket, trailer);
    });
  }

  async abort(bucket: string, key: string, uploadId: string): Promise<void> {
    await this.locks.run(uploadId, async () => {
      await this.readUpload(bucket, key, uploadId);
      await this.removeUpload(bucket, uploadId);
    });
  }

  async listParts(
    bucket: string,
    key: string,
    uploadId: string,
    options: { maxParts?: number; partNumberMarker?: number },
  ): Promise<ListPartsResult> {
    const maxParts = resolveLimit(options.maxParts, "max-parts");
    const marker = options.partNumberMarker ?? 0;
    if (!Number.isInteger(marker) || marker < 0) {
      throw new AppError("InvalidArgument", "part-number-marker must be a non-negative integer", { field: "part-number-marker" });
    }
    await this.readUpload(bucket, key, uploadId);
    const dir = uploadDir(this.ctx.layout, bucket, uploadId);
    const numbers = (await readdirOrNoSuchUpload(dir, uploadId))
      .map(partNumberOf)
      .filter((n): n is number => n !== undefined && n > marker)
      .sort((a, b) => a - b);
    const page = numbers.slice(0, maxParts);
    const infos = await mapLimit(page, 16, async (partNumber) => {
      try {
        return toPartInfo(await statStored(path.join(dir, partFileName(partNumber)), "part"));
      } catch (error) {
        if (isNotFound(error)) return undefined; // aborted or completed while we read
        throw error;
      }
    });
    const parts = infos.filter((info): info is PartInfo => info !== undefined);
    const isTruncated = numbers.length > page.length;
    return { parts, isTruncated, nextPartNumberMarker: isTruncated ? page[page.length - 1] : undefined };
  }

  async listUploads(
    bucket: string,
    options: { prefix?: string; maxUploads?: number; keyMarker?: string; uploadIdMarker?: string },
  ): Promise<ListUploadsResult> {
    const maxUploads = resolveLimit(options.maxUploads, "max-uploads");
    await this.ctx.requireBucket(bucket);
    const dir = uploadsDir(this.ctx.layout, bucket);
    const ids = (await readdir(dir).catch((error: unknown) => (isNotFound(error) ? [] : Promise.reject(error)))).filter(isUploadId);
    const records = await mapLimit(ids, 16, async (uploadId) => {
      const record = await readUploadRecord(path.join(dir, uploadId));
      return record === undefined ? undefined : { uploadId, ...record, keyBytes: Buffer.from(record.key, "utf8") };
    });
    const prefix = options.prefix ?? "";
    const uploads = records
      .filter((r): r is NonNullable<typeof r> => r !== undefined && r.key.startsWith(prefix))
      // S3 orders by key (bytes), then by initiation time; the id breaks ties so the order is total.
      .sort((a, b) => Buffer.compare(a.keyBytes, b.keyBytes) || a.initiated - b.initiated || (a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0));
    let start = 0;
    if (options.keyMarker !== undefined) {
      const markerBytes = Buffer.from(options.keyMarker, "utf8");
      const afterKey = uploads.findIndex((u) => Buffer.compare(u.keyBytes, markerBytes) > 0);
      start = afterKey === -1 ? uploads.length : afterKey;
      if (options.uploadIdMarker !== undefined) {
        // With an upload id marker, the marker key's own uploads after that id are listed too.
        const at = uploads.findIndex((u) => u.key === options.keyMarker && u.uploadId === options.uploadIdMarker);
        if (at !== -1) start = at + 1;
      }
    }
    const page = uploads.slice(start, start + maxUploads);
    return {
      uploads: page.map((u) => ({ key: u.key, uploadId: u.uploadId, initiated: new Date(u.initiated) })),
      isTruncated: start + page.length < uploads.length,
    };
  }

  /** Whether the bucket has unfinished uploads, which keep it from being deleted. */
  async hasUploads(bucket: string): Promise<boolean> {
    try {
      return (await readdir(uploadsDir(this.ctx.layout, bucket))).some(isUploadId);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private async writePart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    fill: (temp: TempFile) => Promise<{ size: number; md5: Buffer }>,
  ): Promise<PartInfo> {
    const temp = await TempFile.create(this.ctx.layout.tmpDir);
    try {
      const { size, md5 } = await fill(temp);
      const trailer: PartTrailer = {
        kind: "part",
        partNumber,
        size,
        md5: md5.toString("hex"),
        eTag: quoteETag(md5.toString("hex")),
        lastModified: this.ctx.clock(),
      };
      await temp.append(encodeTrailer(trailer));
      await temp.commit(path.join(uploadDir(this.ctx.layout, bucket, uploadId), partFileName(partNumber)));
      return toPartInfo(trailer);
    } catch (error) {
      await temp.discard();
      if (isNotFound(error)) {
        // The upload was completed or aborted while the part streamed in.
        await this.readUpload(bucket, key, uploadId);
      }
      throw error;
    }
  }

  private async validateParts(
    dir: string,
    parts: readonly { partNumber: number; eTag: string }[],
  ): Promise<{ partNumber: number; md5: string; size: number }[]> {
    if (parts.length === 0) {
      throw new AppError("InvalidRequest", "You must specify at least one part");
    }
    for (let i = 1; i < parts.length; i++) {
      if ((parts[i] as { partNumber: number }).partNumber <= (parts[i - 1] as { partNumber: number }).partNumber) {
        throw new AppError("InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.");
      }
    }
    const chosen = await mapLimit(parts, 16, async (part) => {
      if (!Number.isInteger(part.partNumber) || part.partNumber < 1 || part.partNumber > 10_000) throw invalidPart(part.partNumber);
      let trailer: PartTrailer;
      try {
        trailer = await statStored(path.join(dir, partFileName(part.partNumber)), "part");
      } catch (error) {
        if (isNotFound(error)) throw invalidPart(part.partNumber);
        throw error;
      }
      if (bareETag(part.eTag) !== trailer.md5) throw invalidPart(part.partNumber);
      return { partNumber: part.partNumber, md5: trailer.md5, size: trailer.size };
    });
    chosen.slice(0, -1).forEach((part) => {
      if (part.size < MIN_PART_SIZE) {
        throw new AppError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", {
          details: { partNumber: part.partNumber, size: part.size, minSizeAllowed: MIN_PART_SIZE },
        });
      }
    });
    return chosen;
  }

  /** NoSuchBucket, or NoSuchUpload unless the upload exists and is for `key`. */
  private async readUpload(bucket: string, key: string, uploadId: string): Promise<UploadRecord> {
    const dir = uploadDir(this.ctx.layout, bucket, uploadId);
    const record = await readUploadRecord(dir);
    if (record === undefined) await this.ctx.requireBucket(bucket);
    if (record === undefined || record.key !== key) throw noSuchUpload(uploadId);
    return record;
  }

  /** Moves the upload out of sight in one rename, then deletes it at leisure. */
  private async removeUpload(bucket: string, uploadId: string): Promise<void> {
    const graveyard = path.join(this.ctx.layout.tmpDir, `${randomBytes(16).toString("hex")}.removed`);
    try {
      await rename(uploadDir(this.ctx.layout, bucket, uploadId), graveyard);
    } catch (error) {
      if (isNotFound(error)) throw noSuchUpload(uploadId);
      throw mapWriteError(error);
    }
    await rm(graveyard, { recursive: true, force: true });
  }
}

async function readUploadRecord(dir: string): Promise<UploadRecord | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, UPLOAD_FILE), "utf8")) as UploadRecord;
  } catch (error) {
    if (isNotFound(error) || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

async function readdirOrNoSuchUpload(dir: string, uploadId: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isNotFound(error)) throw noSuchUpload(uploadId);
    throw error;
  }
}

function toPartInfo(trailer: PartTrailer): PartInfo {
  return { partNumber: trailer.partNumber, eTag: trailer.eTag, size: trailer.size, lastModified: new Date(trailer.lastModified) };
}

function resolveLimit(value: number | undefined, field: string): number {
  if (value === undefined) return MAX_LIST;
  if (!Number.isInteger(value) || value < 0) {
    throw new AppError("InvalidArgument", `${field} must be a non-negative integer`, { field, details: { [field]: value } });
  }
  return Math.min(value, MAX_LIST);
}

export function lowerCaseNames(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([name, value]) => [name.toLowerCase(), value]));
}

function noSuchUpload(uploadId: string): AppError {
  return new AppError("NoSuchUpload", "The specified multipart upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.", {
    details: { uploadId },
  });
}

function invalidPart(partNumber: number): AppError {
  return new AppError("InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", {
    details: { partNumber },
  });
}
