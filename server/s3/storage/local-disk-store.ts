import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { link, mkdir, readFile, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { AppError } from "../../errors/app-error.ts";
import { TempFile, parseContentMd5, quoteETag, syncDirectory, writeFileDurably } from "./atomic-write.ts";
import { errnoCode, isNotFound, mapWriteError, writing } from "./fs-errors.ts";
import {
  bucketDir,
  isBucketName,
  objectPaths,
  objectsDir,
  storeLayout,
  validateBucketName,
  validateKey,
  type StoreLayout,
} from "./key-paths.ts";
import { listObjects, walkKeys } from "./list-objects.ts";
import { MultipartUploads, lowerCaseNames } from "./multipart-store.ts";
import { MAPPED_READ_MIN_BYTES, mappedReadStream } from "./mapped-read-stream.ts";
import { openStored, readRegion, statStored, type ObjectTrailer } from "./object-file.ts";
import type {
  BucketInfo,
  ByteRange,
  CopyOptions,
  ListObjectsOptions,
  ListObjectsResult,
  ListPartsResult,
  ListUploadsResult,
  ObjectInfo,
  ObjectRef,
  ObjectStore,
  PartInfo,
  PartOptions,
  PutOptions,
  RangeChoice,
} from "./object-store.ts";
import { currentTags, encodeTagFile, readTagFile, validateTags } from "./object-tags.ts";
import { pruneKeyDirs, publishObject, toObjectInfo } from "./publish-object.ts";
import { clearTempDir, sweepTempDir } from "./temp-files.ts";

export interface LocalDiskStoreOptions {
  /** Directory the store owns; created when missing. Two live stores must not share one (see temp-files.ts). */
  root: string;
  /** Milliseconds since the epoch, for LastModified and upload initiation times. */
  clock?: () => number;
  /** Temp files untouched this long are swept while running. Default one hour. */
  staleTempMs?: number;
}

const DEFAULT_CONTENT_TYPE = "application/octet-stream";
const BUCKET_FILE = "bucket.json";
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/**
 * The embedded object store: buckets and objects as files under one root
 * directory. See key-paths.ts for the layout, atomic-write.ts and
 * object-file.ts for why writes are atomic, list-objects.ts for listing.
 */
export class LocalDiskStore implements ObjectStore {
  private readonly layout: StoreLayout;
  private readonly clock: () => number;
  private readonly multipart: MultipartUploads;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(options: LocalDiskStoreOptions) {
    this.layout = storeLayout(options.root);
    this.clock = options.clock ?? Date.now;
    mkdirSync(this.layout.bucketsDir, { recursive: true });
    // Synchronous on purpose: the store takes no request before a crashed run's temp files are gone.
    clearTempDir(this.layout.tmpDir);
    const staleTempMs = options.staleTempMs ?? 60 * 60 * 1000;
    this.sweepTimer = setInterval(() => {
      sweepTempDir(this.layout.tmpDir, staleTempMs).catch(() => {
        // Best effort: the next sweep or the next start will try again.
      });
    }, Math.min(SWEEP_INTERVAL_MS, staleTempMs));
    this.sweepTimer.unref();
    this.multipart = new MultipartUploads({
      layout: this.layout,
      clock: this.clock,
      defaultContentType: DEFAULT_CONTENT_TYPE,
      requireBucket: (bucket) => this.headBucket(bucket),
      openObject: (bucket, key) => this.openObject(bucket, key),
    });
  }

  /** The constructor, as a promise: for callers that set their stores up asynchronously. */
  static async open(options: LocalDiskStoreOptions): Promise<LocalDiskStore> {
    return new LocalDiskStore(options);
  }

  /** The directory objects are stored under. */
  get root(): string {
    return this.layout.root;
  }

  async listBuckets(): Promise<BucketInfo[]> {
    const buckets: BucketInfo[] = [];
    for (const name of await readdir(this.layout.bucketsDir)) {
      if (!isBucketName(name)) continue; // not ours
      const createdAt = await this.readBucketCreatedAt(name);
      if (createdAt !== undefined) buckets.push({ name, createdAt });
    }
    return buckets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async createBucket(bucket: string): Promise<void> {
    const target = bucketDir(this.layout, bucket);
    // Assembled in .tmp and renamed in whole: a bucket directory always has its bucket.json, and
    // rename refuses to replace the (never empty) directory of an existing bucket.
    const staging = path.join(this.layout.tmpDir, `${randomBytes(16).toString("hex")}.bucket`);
    try {
      await writing(async () => {
        await mkdir(staging);
        await mkdir(path.join(staging, "objects"));
        await mkdir(path.join(staging, "uploads"));
        await writeFileDurably(path.join(staging, BUCKET_FILE), JSON.stringify({ createdAt: this.clock() }));
        await rename(staging, target);
      });
      await syncDirectory(this.layout.bucketsDir);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      const code = errnoCode(error);
      if (code === "EEXIST" || code === "ENOTEMPTY") {
        throw new AppError("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", {
          details: { bucket },
        });
      }
      throw error;
    }
  }

  async headBucket(bucket: string): Promise<void> {
    if ((await this.readBucketCreatedAt(bucket)) === undefined) {
      throw new AppError("NoSuchBucket", "The specified bucket does not exist", { details: { bucket } });
    }
  }

  async deleteBucket(bucket: string): Promise<void> {
    await this.headBucket(bucket);
    const notEmpty = (what: string): AppError =>
      new AppError("BucketNotEmpty", `The bucket you tried to delete is not empty (${what})`, { details: { bucket } });
    for await (const _ of walkKeys(objectsDir(this.layout, bucket), "", undefined)) throw notEmpty("it holds objects");
    if (await this.multipart.hasUploads(bucket)) throw notEmpty("it has unfinished multipart uploads");
    // One rename makes the bucket disappear; the files go afterwards. A put that lands between the
    // emptiness check and this rename is lost with the bucket, as it would be on S3.
    const graveyard = path.join(this.layout.tmpDir, `${randomBytes(16).toString("hex")}.removed`);
    try {
      await rename(bucketDir(this.layout, bucket), graveyard);
    } catch (error) {
      if (isNotFound(error)) throw new AppError("NoSuchBucket", "The specified bucket does not exist", { details: { bucket } });
      throw mapWriteError(error);
    }
    await rm(graveyard, { recursive: true, force: true });
  }

  async listObjects(bucket: string, options: ListObjectsOptions): Promise<ListObjectsResult> {
    await this.headBucket(bucket);
    return listObjects(objectsDir(this.layout, bucket), options, async (_key, filePath) => {
      try {
        return toObjectInfo(bucket, await statStored(filePath, "object"));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    });
  }

  async putObject(bucket: string, key: string, body: Readable, options: PutOptions): Promise<ObjectInfo> {
    validateBucketName(bucket);
    validateKey(key);
    parseContentMd5(options.contentMd5); // InvalidDigest before a byte is read
    await this.headBucket(bucket);
    return this.writeObject(bucket, key, async (temp) => {
      const { size, md5 } = await temp.writeBody(body, { contentMd5: options.contentMd5, size: options.size });
      return {
        size,
        eTag: quoteETag(md5.toString("hex")),
        contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
        metadata: lowerCaseNames(options.metadata ?? {}),
        tags: {},
      };
    });
  }

  async getObject(bucket: string, key: string, choice?: RangeChoice): Promise<{ info: ObjectInfo; body: Readable; range: ByteRange | undefined }> {
    const { handle, trailer } = await this.openObject(bucket, key);
    try {
      const info = toObjectInfo(bucket, trailer);
      const range = typeof choice === "function" ? choice(info) : choice;
      if (range !== undefined) {
        const { start, end } = range;
        if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end < trailer.size)) {
          throw new AppError("InvalidRange", "The requested range is not satisfiable", { details: { start, end, size: trailer.size } });
        }
      }
      if (trailer.size === 0) {
        await handle.close();
        return { info, body: Readable.from([]), range };
      }
      // The stream reads the file we opened, whatever is renamed over the path meanwhile, and
      // always stops before the trailer. It closes the handle when it ends or is destroyed.
      const start = range?.start ?? 0;
      const end = range?.end ?? trailer.size - 1;
      const mapped = end + 1 - start >= MAPPED_READ_MIN_BYTES ? mappedReadStream(handle, start, end) : undefined;
      // 1 MiB reads: with the default 64 KiB a large GetObject spends its time in read calls, not copying.
      const body = mapped ?? handle.createReadStream({ start, end, highWaterMark: 1024 * 1024 });
      return { info, body, range };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Hard-links the object's stored file at `destination` (same filesystem), so
   * a reader such as DuckDB can open it by a path of our choosing: the link
   * pins this version's inode whatever is renamed over the key meanwhile. The
   * file holds the body then the trailer; `tail` is those trailer bytes.
   * Undefined when linking is impossible here (another filesystem).
   */
  async linkObjectFile(bucket: string, key: string, destination: string): Promise<{ info: ObjectInfo; tail: Buffer } | undefined> {
    const { handle, trailer } = await this.openObject(bucket, key);
    try {
      try {
        await link(objectPaths(this.layout, bucket, key).data, destination);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EXDEV") return undefined;
        throw error;
      }
      const [opened, linked] = await Promise.all([handle.stat(), stat(destination)]);
      if (opened.ino !== linked.ino || opened.dev !== linked.dev) {
        // A put replaced the object between our open and the link: the caller reads it another way.
        await rm(destination, { force: true });
        return undefined;
      }
      const tail = Buffer.alloc(opened.size - trailer.size);
      await handle.read(tail, 0, tail.length, trailer.size);
      return { info: toObjectInfo(bucket, trailer), tail };
    } finally {
      await handle.close();
    }
  }

  async headObject(bucket: string, key: string): Promise<ObjectInfo> {
    const { handle, trailer } = await this.openObject(bucket, key);
    await handle.close();
    return toObjectInfo(bucket, trailer);
  }

  async deleteObject(bucket: string, key: string): Promise<{ existed: boolean }> {
    const paths = objectPaths(this.layout, bucket, key);
    let removedId: string | undefined;
    try {
      removedId = (await statStored(paths.data, "object")).id;
    } catch (error) {
      if (!isNotFound(error) && !(error instanceof AppError)) throw error;
      // A corrupt file is still deleted; only its tag file may be left behind.
    }
    try {
      await unlink(paths.data);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.headBucket(bucket);
      return { existed: false };
    }
    // Only this object's tag file: one written for a newer put of the key belongs to that put.
    const tagFile = await readTagFile(paths.tags);
    if (tagFile !== undefined && tagFile.objectId === removedId) await unlink(paths.tags).catch(() => undefined);
    await pruneKeyDirs(this.layout, bucket, key);
    return { existed: true };
  }

  async copyObject(source: ObjectRef, target: ObjectRef, options: CopyOptions): Promise<ObjectInfo> {
    validateBucketName(target.bucket);
    validateKey(target.key);
    // Reading through the handle pins the source's bytes, so a copy onto itself (or a put to the
    // source meanwhile) copies one whole version.
    const { handle, trailer: from } = await this.openObject(source.bucket, source.key);
    try {
      await this.headBucket(target.bucket);
      const tags = await currentTags(objectPaths(this.layout, source.bucket, source.key).tags, from);
      const replace = options.metadataDirective === "REPLACE";
      return await this.writeObject(target.bucket, target.key, async (temp) => {
        const { size, md5 } = await temp.writeBody(readRegion(handle, 0, from.size - 1));
        return {
          size,
          eTag: quoteETag(md5.toString("hex")),
          contentType: replace ? (options.contentType ?? DEFAULT_CONTENT_TYPE) : from.contentType,
          metadata: replace ? lowerCaseNames(options.metadata ?? {}) : { ...from.metadata },
          // S3's tagging directive defaults to COPY, and the interface has no way to ask otherwise.
          tags,
        };
      });
    } finally {
      await handle.close();
    }
  }

  async createMultipartUpload(bucket: string, key: string, options: PutOptions): Promise<{ uploadId: string }> {
    return this.multipart.create(bucket, key, options);
  }

  async uploadPart(bucket: string, key: string, uploadId: string, partNumber: number, body: Readable, options: PartOptions): Promise<PartInfo> {
    parseContentMd5(options.contentMd5);
    return this.multipart.uploadPart(bucket, key, uploadId, partNumber, body, options);
  }

  async uploadPartCopy(source: ObjectRef, bucket: string, key: string, uploadId: string, partNumber: number, range?: ByteRange): Promise<PartInfo> {
    return this.multipart.uploadPartCopy(source, bucket, key, uploadId, partNumber, range);
  }

  async completeMultipartUpload(bucket: string, key: string, uploadId: string, parts: readonly { partNumber: number; eTag: string }[]): Promise<ObjectInfo> {
    return this.multipart.complete(bucket, key, uploadId, parts);
  }

  async abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void> {
    return this.multipart.abort(bucket, key, uploadId);
  }

  async listParts(bucket: string, key: string, uploadId: string, options: { maxParts?: number; partNumberMarker?: number }): Promise<ListPartsResult> {
    return this.multipart.listParts(bucket, key, uploadId, options);
  }

  async listMultipartUploads(
    bucket: string,
    options: { prefix?: string; maxUploads?: number; keyMarker?: string; uploadIdMarker?: string },
  ): Promise<ListUploadsResult> {
    return this.multipart.listUploads(bucket, options);
  }

  async getObjectTagging(bucket: string, key: string): Promise<Record<string, string>> {
    const { handle, trailer } = await this.openObject(bucket, key);
    await handle.close();
    return currentTags(objectPaths(this.layout, bucket, key).tags, trailer);
  }

  async putObjectTagging(bucket: string, key: string, tags: Record<string, string>): Promise<void> {
    await this.writeTags(bucket, key, validateTags(tags));
  }

  async deleteObjectTagging(bucket: string, key: string): Promise<void> {
    // An empty tag file rather than none: it must also override tags the object was copied with.
    await this.writeTags(bucket, key, {});
  }

  async close(): Promise<void> {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  /** Opens an object for reading; NoSuchKey or NoSuchBucket when there is none. The caller closes the handle. */
  private async openObject(bucket: string, key: string): Promise<{ handle: FileHandle; trailer: ObjectTrailer }> {
    const paths = objectPaths(this.layout, bucket, key);
    try {
      return await openStored(paths.data, "object");
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await this.headBucket(bucket);
      throw new AppError("NoSuchKey", "The specified key does not exist.", { details: { bucket, key } });
    }
  }

  /** Fills a temp file via `fill` and publishes it as the object; the temp file never outlives a failure. */
  private async writeObject(
    bucket: string,
    key: string,
    fill: (temp: TempFile) => Promise<Pick<ObjectTrailer, "size" | "eTag" | "contentType" | "metadata" | "tags">>,
  ): Promise<ObjectInfo> {
    const temp = await TempFile.create(this.layout.tmpDir);
    try {
      const trailer: ObjectTrailer = { kind: "object", id: randomUUID(), key, ...(await fill(temp)), lastModified: this.clock() };
      await publishObject(this.layout, bucket, temp, trailer);
      return toObjectInfo(bucket, trailer);
    } catch (error) {
      await temp.discard();
      if (isNotFound(error)) await this.headBucket(bucket); // the bucket went away under the write
      throw error;
    }
  }

  private async writeTags(bucket: string, key: string, tags: Record<string, string>): Promise<void> {
    const { handle, trailer } = await this.openObject(bucket, key);
    await handle.close();
    const temp = await TempFile.create(this.layout.tmpDir);
    try {
      await temp.append(encodeTagFile({ objectId: trailer.id, tags }));
      await temp.commit(objectPaths(this.layout, bucket, key).tags);
    } catch (error) {
      await temp.discard();
      if (isNotFound(error)) {
        await this.headBucket(bucket);
        throw new AppError("NoSuchKey", "The specified key does not exist.", { details: { bucket, key } });
      }
      throw error;
    }
  }

  private async readBucketCreatedAt(bucket: string): Promise<Date | undefined> {
    const dir = bucketDir(this.layout, bucket);
    try {
      const { createdAt } = JSON.parse(await readFile(path.join(dir, BUCKET_FILE), "utf8")) as { createdAt: number };
      return new Date(createdAt);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
