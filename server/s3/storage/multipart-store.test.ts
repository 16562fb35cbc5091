import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LocalDiskStore } from "./local-disk-store.ts";
import { MIN_PART_SIZE } from "./multipart-store.ts";
import { body, expectAppError, makeStore, md5Base64, md5Hex, readAll, type TestStore } from "./store-test-helpers.ts";

let t: TestStore;
let store: LocalDiskStore;
let now = Date.UTC(2025, 5, 1);

beforeEach(async () => {
  now = Date.UTC(2025, 5, 1);
  t = await makeStore({ clock: () => now++ });
  store = t.store;
  await store.createBucket("media");
});

afterEach(async () => {
  await t.cleanup();
});

/** Distinct content per part, so a part in the wrong place would show. */
function partBody(partNumber: number, size: number): Buffer {
  const content = Buffer.alloc(size, partNumber);
  for (let i = 0; i + 4 <= size; i += 4096) content.writeUInt32BE((partNumber * 1_000_003 + i) >>> 0, i);
  return content;
}

function multipartETag(parts: Buffer[]): string {
  const md5s = Buffer.concat(parts.map((p) => createHash("md5").update(p).digest()));
  return `"${createHash("md5").update(md5s).digest("hex")}-${parts.length}"`;
}

describe("multipart upload", () => {
  it("assembles three parts (5 MiB, 5 MiB, small) with the multipart ETag and the upload's metadata", async () => {
    const { uploadId } = await store.createMultipartUpload("media", "video.mp4", { contentType: "video/mp4", metadata: { Source: "cam" } });
    expect(uploadId).toMatch(/^[0-9a-f]{32}$/);
    const contents = [partBody(1, MIN_PART_SIZE), partBody(2, MIN_PART_SIZE), partBody(3, 1234)];
    const parts = [];
    for (const [index, content] of contents.entries()) {
      const part = await store.uploadPart("media", "video.mp4", uploadId, index + 1, body(content), { size: content.length, contentMd5: md5Base64(content) });
      expect(part).toMatchObject({ partNumber: index + 1, eTag: `"${md5Hex(content)}"`, size: content.length });
      parts.push({ partNumber: part.partNumber, eTag: part.eTag });
    }
    const info = await store.completeMultipartUpload("media", "video.mp4", uploadId, parts);
    const whole = Buffer.concat(contents);
    expect(info).toMatchObject({ key: "video.mp4", size: whole.length, eTag: multipartETag(contents), contentType: "video/mp4", metadata: { source: "cam" } });
    expect(info.eTag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(await store.headObject("media", "video.mp4")).toEqual(info);
    expect((await readAll((await store.getObject("media", "video.mp4")).body)).equals(whole)).toBe(true);
    const ranged = await store.getObject("media", "video.mp4", { start: MIN_PART_SIZE - 2, end: MIN_PART_SIZE + 1 });
    expect((await readAll(ranged.body)).equals(whole.subarray(MIN_PART_SIZE - 2, MIN_PART_SIZE + 2))).toBe(true);

    // The upload is gone: its parts with it.
    await expectAppError(store.listParts("media", "video.mp4", uploadId, {}), "NoSuchUpload");
    expect((await store.listMultipartUploads("media", {})).uploads).toEqual([]);
    expect(await readdir(path.join(t.root, "buckets", "media", "uploads"))).toEqual([]);
    expect(await readdir(path.join(t.root, ".tmp"))).toEqual([]);
  });

  it("accepts a subset of uploaded parts, ETags with or without quotes, and a single part", async () => {
    const { uploadId } = await store.createMultipartUpload("media", "k", {});
    const one = partBody(1, MIN_PART_SIZE);
    const three = partBody(3, 10);
    const p1 = await store.uploadPart("media", "k", uploadId, 1, body(one), {});
    await store.uploadPart("media", "k", uploadId, 2, body(partBody(2, 10)), {});
    const p3 = await store.uploadPart("media", "k", uploadId, 3, body(three), {});
    const info = await store.completeMultipartUpload("media", "k", uploadId, [
      { partNumber: 1, eTag: p1.eTag.replaceAll('"', "") },
      { partNumber: 3, eTag: p3.eTag },
    ]);
    expect(info.eTag).toBe(multipartETag([one, three]));
    expect((await readAll((await store.getObject("media", "k")).body)).equals(Buffer.concat([one, three]))).toBe(true);

    const single = await store.createMultipartUpload("media", "small", {});
    const tiny = await store.uploadPart("media", "small", single.uploadId, 1, body("tiny"), {});
    const smallInfo = await store.completeMultipartUpload("media", "small", single.uploadId, [{ partNumber: 1, eTag: tiny.eTag }]);
    expect(smallInfo).toMatchObject({ size: 4, eTag: multipartETag([Buffer.from("tiny")]) });
  });

  it("replaces a re-uploaded part number", async () => {
    const { uploadId } = await store.createMultipartUpload("media", "k", {});
    await store.uploadPart("media", "k", uploadId, 1, body("first"), {});
    const second = await store.uploadPart("media", "k", uploadId, 1, body("second"), {});
    const listed = await store.listParts("media", "k", uploadId, {});
    expect(listed.parts).toHaveLength(1);
    expect(listed.parts[0]).toMatchObject({ eTag: second.eTag, size: 6 });
    await store.completeMultipartUpload("media", "k", uploadId, [{ partNumber: 1, eTag: second.eTag }]);
    expect((await readAll((await store.getObject("media", "k")).body)).toString()).toBe("second");
  });

  it("refuses parts out of order with InvalidPartOrder", async () => {
    const { uploadId } = await store.createMultipartUpload("media", "k", {});
    const p1 = await store.uploadPart("media", "k", uploadId, 1, body(partBody(1, MIN_PART_SIZE)), {});
    const p2 = await store.uploadPart("media", "k", uploadId, 2, body("end"), {});
    await expectAppError(store.completeMultipartUpload("media", "k", uploadId, [{ partNumber: 2, eTag: p2.eTag }, { partNumber: 1, eTag: p1.eTag }]), "InvalidPartOrder");
    await expectAppError(store.completeMultipartUpload("media", "k", uploadId, [{ partNumber: 1, eTag: p1.eTag }, { partNumber: 1, eTag: p1.eTag }]), "InvalidPartOrder");
    // Nothing was published and the upload is still there to complete properly.
    await expectAppError(store.headObject("media", "k"), "NoSuchKey");
    await store.completeMultipartUpload("media", "k", uploadId, [{ partNumber: 1, eTag: p1.eTag }, { partNumber: 2, eTag: p2.eTag }]);
  });

  it("refuses a missing part or a wrong ETag with InvalidPart", async () => {
    const { uploadId } = await store.createMultipartUpload("media", "k", {});
    const p1 = await store.uploadPart("media", "k", uploadId, 1, body("only"), {});
    await expectAppError(store.completeMultipartUpload("media", "k", uploadId, [{ partNumber: 1, eTag: `"${md5Hex("other")}"` }]), "InvalidPart");
    await expectAppError(store.completeMultipartUpload("media", "k", uploadId, [{ partNumber: 1, eTag: p1.eTag }, { partNumber: 2, eTag: p1.eTag }]), "InvalidPart");
    await expectAppError(store.completeMultipartUpload("media", "k", uploadId, [{ partNumber: 0, eTag: p1.eTag }]), "InvalidPart");
    await expectAppError(store.completeMultipartUpload("media", "k", uploadId, []), "InvalidRequest");
    await expectAppError(store.headObject("media", "k"), "NoSuchKey");
  });

  it("refuses a non-last part under 5 MiB with EntityTooSmall", async () => {
    const { uploadId } = await store.createMultipartUpload("media", "k", {});
    const p1 = await store.uploadPart("media", "k", uploadId, 1, body(partBody(1, MIN_PART_SIZE - 1)), {});
    const p2 = await store.uploadPart("media", "k", uploadId, 2, body("last"), {});
    await expectAppError(store.completeMultipartUpload("media", "k", uploadId, [{ partNumber: 1, eTag: p1.eTag }, { partNumber: 2, eTag: p2.eTag }]), "EntityTooSmall");
    await expectAppError(store.headObject("media", "k"), "NoSuchKey");
  });

  it("checks part numbers, digests and sizes of parts", async () => {
    const { uploadId } = await store.createMultipartUpload("media", "k", {});
    for (const bad of [0, 10_001, 1.5, -1]) {
      await expectAppError(store.uploadPart("media", "k", uploadId, bad, body("x"), {}), "InvalidArgument");
    }
    await store.uploadPart("media", "k", uploadId, 10_000, body("x"), {});
    await expectAppError(store.uploadPart("media", "k", uploadId, 1, body("x"), { contentMd5: md5Base64("y") }), "BadDigest");
    await expectAppError(store.uploadPart("media", "k", uploadId, 1, body("x"), { contentMd5: "zzz" }), "InvalidDigest");
    await expectAppError(store.uploadPart("media", "k", uploadId, 1, body("x"), { size: 2 }), "IncompleteBody");
    expect((await store.listParts("media", "k", uploadId, {})).parts.map((p) => p.partNumber)).toEqual([10_000]);
  });

  it("aborts an upload; an unknown or aborted upload is NoSuchUpload", async () => {
    const { uploadId } = await store.createMultipartUpload("media", "k", {});
    await store.uploadPart("media", "k", uploadId, 1, body("x"), {});
    await store.abortMultipartUpload("media", "k", uploadId);
    await expectAppError(store.abortMultipartUpload("media", "k", uploadId), "NoSuchUpload");
    await expectAppError(store.uploadPart("media", "k", uploadId, 2, body("x"), {}), "NoSuchUpload");
    await expectAppError(store.completeMultipartUpload("media", "k", uploadId, [{ partNumber: 1, eTag: md5Hex("x") }]), "NoSuchUpload");
    await expectAppError(store.listParts("media", "k", uploadId, {}), "NoSuchUpload");
    await expectAppError(store.abortMultipartUpload("media", "k", "0".repeat(32)), "NoSuchUpload");
    await expectAppError(store.abortMultipartUpload("media", "k", "../../../etc"), "NoSuchUpload");
    expect(await readdir(path.join(t.root, "buckets", "media", "uploads"))).toEqual([]);
  });

  it("ties an upload to its key and bucket", async () => {
    const { uploadId } = await store.createMultipartUpload("media", "k", {});
    await expectAppError(store.uploadPart("media", "other-key", uploadId, 1, body("x"), {}), "NoSuchUpload");
    await expectAppError(store.listParts("media", "other-key", uploadId, {}), "NoSuchUpload");
    await store.createBucket("elsewhere");
    await expectAppError(store.uploadPart("elsewhere", "k", uploadId, 1, body("x"), {}), "NoSuchUpload");
    await expectAppError(store.createMultipartUpload("missing-bucket", "k", {}), "NoSuchBucket");
    await expectAppError(store.uploadPart("missing-bucket", "k", uploadId, 1, body("x"), {}), "NoSuchBucket");
  });

  it("lets only one of two racing completes publish", async () => {
    const { uploadId } = await store.createMultipartUpload("media", "k", {});
    const p1 = await store.uploadPart("media", "k", uploadId, 1, body("x"), {});
    const results = await Promise.allSettled([
      store.completeMultipartUpload("media", "k", uploadId, [{ partNumber: 1, eTag: p1.eTag }]),
      store.completeMultipartUpload("media", "k", uploadId, [{ partNumber: 1, eTag: p1.eTag }]),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected");
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: "NoSuchUpload" });
  });
});

describe("listParts", () => {
  it("lists parts in order with paging by part number marker", async () => {
    const { uploadId } = await store.createMultipartUpload("media", "k", {});
    for (const n of [5, 1, 3, 2, 4]) await store.uploadPart("media", "k", uploadId, n, body(`part ${n}`), {});
    const all = await store.listParts("media", "k", uploadId, {});
    expect(all.parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4, 5]);
    expect(all.parts[0]).toMatchObject({ eTag: `"${md5Hex("part 1")}"`, size: 6 });
    expect(all.parts[0]?.lastModified).toBeInstanceOf(Date);
    expect(all).toMatchObject({ isTruncated: false, nextPartNumberMarker: undefined });

    const first = await store.listParts("media", "k", uploadId, { maxParts: 2 });
    expect(first.parts.map((p) => p.partNumber)).toEqual([1, 2]);
    expect(first).toMatchObject({ isTruncated: true, nextPartNumberMarker: 2 });
    const second = await store.listParts("media", "k", uploadId, { maxParts: 2, partNumberMarker: 2 });
    expect(second.parts.map((p) => p.partNumber)).toEqual([3, 4]);
    const last = await store.listParts("media", "k", uploadId, { maxParts: 2, partNumberMarker: 4 });
    expect(last.parts.map((p) => p.partNumber)).toEqual([5]);
    expect(last.isTruncated).toBe(false);
  });
});

describe("listMultipartUploads", () => {
  it("lists unfinished uploads by key then initiation, with prefix, markers and max", async () => {
    const b1 = await store.createMultipartUpload("media", "b", {});
    const a = await store.createMultipartUpload("media", "a", {});
    const b2 = await store.createMultipartUpload("media", "b", {});
    const other = await store.createMultipartUpload("media", "other/c", {});
    const all = await store.listMultipartUploads("media", {});
    expect(all.uploads.map((u) => [u.key, u.uploadId])).toEqual([
      ["a", a.uploadId],
      ["b", b1.uploadId],
      ["b", b2.uploadId],
      ["other/c", other.uploadId],
    ]);
    // Both uploads of "b" are listed oldest first.
    expect(all.uploads[1]?.initiated.getTime()).toBeLessThan(all.uploads[2]?.initiated.getTime() ?? 0);
    expect(all.isTruncated).toBe(false);

    expect((await store.listMultipartUploads("media", { prefix: "other/" })).uploads.map((u) => u.key)).toEqual(["other/c"]);
    const page = await store.listMultipartUploads("media", { maxUploads: 2 });
    expect(page.uploads.map((u) => u.uploadId)).toEqual([a.uploadId, b1.uploadId]);
    expect(page.isTruncated).toBe(true);
    const next = await store.listMultipartUploads("media", { maxUploads: 2, keyMarker: "b", uploadIdMarker: b1.uploadId });
    expect(next.uploads.map((u) => u.uploadId)).toEqual([b2.uploadId, other.uploadId]);
    expect(next.isTruncated).toBe(false);
    expect((await store.listMultipartUploads("media", { keyMarker: "b" })).uploads.map((u) => u.key)).toEqual(["other/c"]);
    await expectAppError(store.listMultipartUploads("missing-bucket", {}), "NoSuchBucket");
  });
});

describe("uploadPartCopy", () => {
  it("copies a whole object or a byte range into parts", async () => {
    const source = partBody(9, MIN_PART_SIZE + 100);
    await store.putObject("media", "source", body(source), {});
    const { uploadId } = await store.createMultipartUpload("media", "assembled", {});
    const p1 = await store.uploadPartCopy({ bucket: "media", key: "source" }, "media", "assembled", uploadId, 1);
    expect(p1).toMatchObject({ partNumber: 1, size: source.length, eTag: `"${md5Hex(source)}"` });
    const p2 = await store.uploadPartCopy({ bucket: "media", key: "source" }, "media", "assembled", uploadId, 2, { start: 10, end: 19 });
    expect(p2).toMatchObject({ size: 10, eTag: `"${md5Hex(source.subarray(10, 20))}"` });
    const info = await store.completeMultipartUpload("media", "assembled", uploadId, [
      { partNumber: 1, eTag: p1.eTag },
      { partNumber: 2, eTag: p2.eTag },
    ]);
    const expected = Buffer.concat([source, source.subarray(10, 20)]);
    expect(info.size).toBe(expected.length);
    expect((await readAll((await store.getObject("media", "assembled")).body)).equals(expected)).toBe(true);
  });

  it("refuses a missing source, a bad range and an unknown upload", async () => {
    await store.putObject("media", "source", body("0123456789"), {});
    const { uploadId } = await store.createMultipartUpload("media", "dst", {});
    await expectAppError(store.uploadPartCopy({ bucket: "media", key: "nope" }, "media", "dst", uploadId, 1), "NoSuchKey");
    await expectAppError(store.uploadPartCopy({ bucket: "nobucket", key: "source" }, "media", "dst", uploadId, 1), "NoSuchBucket");
    await expectAppError(store.uploadPartCopy({ bucket: "media", key: "source" }, "media", "dst", uploadId, 1, { start: 5, end: 10 }), "InvalidRange");
    await expectAppError(store.uploadPartCopy({ bucket: "media", key: "source" }, "media", "dst", "f".repeat(32), 1), "NoSuchUpload");
    expect((await store.listParts("media", "dst", uploadId, {})).parts).toEqual([]);
  });
});
