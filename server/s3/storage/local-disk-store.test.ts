import { Buffer } from "node:buffer";
import { existsSync } from "node:fs";
import { mkdir, readdir, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalDiskStore } from "./local-disk-store.ts";
import {
  body,
  expectAppError,
  listTree,
  makeStore,
  md5Base64,
  md5Hex,
  readAll,
  slowBody,
  type TestStore,
} from "./store-test-helpers.ts";
import { sweepTempDir } from "./temp-files.ts";

let t: TestStore;
let store: LocalDiskStore;

beforeEach(async () => {
  t = await makeStore({ clock: () => Date.UTC(2025, 0, 2, 3, 4, 5) });
  store = t.store;
  await store.createBucket("photos");
});

afterEach(async () => {
  await t.cleanup();
});

describe("put, get, head, delete", () => {
  it("round-trips an object with an MD5 ETag, content type, metadata and LastModified", async () => {
    const info = await store.putObject("photos", "cat.jpg", body("meow"), {
      contentType: "image/jpeg",
      metadata: { Colour: "grey" },
    });
    expect(info).toEqual({
      bucket: "photos",
      key: "cat.jpg",
      size: 4,
      eTag: `"${md5Hex("meow")}"`,
      lastModified: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
      contentType: "image/jpeg",
      metadata: { colour: "grey" },
    });
    expect(await store.headObject("photos", "cat.jpg")).toEqual(info);
    const got = await store.getObject("photos", "cat.jpg");
    expect(got.info).toEqual(info);
    expect((await readAll(got.body)).toString()).toBe("meow");

    expect(await store.deleteObject("photos", "cat.jpg")).toEqual({ existed: true });
    expect(await store.deleteObject("photos", "cat.jpg")).toEqual({ existed: false });
    await expectAppError(store.headObject("photos", "cat.jpg"), "NoSuchKey");
    await expectAppError(store.getObject("photos", "cat.jpg"), "NoSuchKey");
  });

  it("defaults the content type and stores empty objects", async () => {
    const info = await store.putObject("photos", "empty", body(Buffer.alloc(0)), {});
    expect(info.size).toBe(0);
    expect(info.eTag).toBe(`"${md5Hex("")}"`);
    expect(info.contentType).toBe("application/octet-stream");
    const got = await store.getObject("photos", "empty");
    expect((await readAll(got.body)).length).toBe(0);
  });

  it("replaces an object on a second put", async () => {
    await store.putObject("photos", "k", body("first version, longer"), {});
    await store.putObject("photos", "k", body("second"), {});
    expect((await readAll((await store.getObject("photos", "k")).body)).toString()).toBe("second");
    expect((await store.headObject("photos", "k")).size).toBe(6);
  });

  it("answers NoSuchBucket for a missing bucket and NoSuchKey for a missing key", async () => {
    await expectAppError(store.getObject("nope-bucket", "k"), "NoSuchBucket");
    await expectAppError(store.headObject("nope-bucket", "k"), "NoSuchBucket");
    await expectAppError(store.putObject("nope-bucket", "k", body("x"), {}), "NoSuchBucket");
    await expectAppError(store.deleteObject("nope-bucket", "k"), "NoSuchBucket");
    await expectAppError(store.getObject("photos", "missing"), "NoSuchKey");
  });

  it("accepts a Readable of strings as well as buffers", async () => {
    await store.putObject("photos", "s", Readable.from(["ab", "cd"]), { size: 4 });
    expect((await readAll((await store.getObject("photos", "s")).body)).toString()).toBe("abcd");
  });
});

describe("keys", () => {
  const keys = [
    "ünïcödé/路径/😀.txt",
    "with spaces and + plus",
    "100% sure",
    "back\\slash",
    "a//b",
    "trailing/",
    "/leading",
    "..",
    ".",
    "./.././x",
    "../../etc/passwd",
    "a/../../../../outside",
    "CaseSensitive",
    "casesensitive",
    "x".repeat(1024),
    "é".repeat(512),
  ];

  it.each(keys)("round-trips %j and lists it", async (key) => {
    const content = `content of ${key}`;
    await store.putObject("photos", key, body(content), {});
    expect((await readAll((await store.getObject("photos", key)).body)).toString()).toBe(content);
    expect((await store.headObject("photos", key)).key).toBe(key);
    const listed = await store.listObjects("photos", {});
    expect(listed.objects.map((o) => o.key)).toEqual([key]);
    expect(await store.deleteObject("photos", key)).toEqual({ existed: true });
    expect((await store.listObjects("photos", {})).objects).toEqual([]);
  });

  it("keeps keys that differ only in case apart", async () => {
    await store.putObject("photos", "Readme", body("upper"), {});
    await store.putObject("photos", "readme", body("lower"), {});
    expect((await readAll((await store.getObject("photos", "Readme")).body)).toString()).toBe("upper");
    expect((await readAll((await store.getObject("photos", "readme")).body)).toString()).toBe("lower");
  });

  it("never writes outside the root for traversal-looking keys", async () => {
    const before = await readdir(t.base);
    const parentBefore = await readdir(path.dirname(t.base));
    for (const key of ["../../etc/passwd", "../escape", "../../../../../../tmp/herald-escape", "/../x", "..\\..\\win"]) {
      await store.putObject("photos", key, body("pwned?"), {});
      await store.copyObject({ bucket: "photos", key }, { bucket: "photos", key: `${key}/copy` }, { metadataDirective: "COPY" });
      await store.putObjectTagging("photos", key, { a: "b" });
    }
    expect(await readdir(t.base)).toEqual(before);
    expect((await readdir(path.dirname(t.base))).sort()).toEqual(parentBefore.sort());
    expect(existsSync("/tmp/herald-escape")).toBe(false);
    // Every file under the root is named by hex (or is ours), so none can be a traversal.
    for (const entry of await listTree(t.root)) {
      expect(entry.split(path.sep).every((part) => part !== ".." && part !== ".")).toBe(true);
    }
  });

  it("refuses NUL, empty keys, lone surrogates and keys over 1024 bytes, creating nothing", async () => {
    const before = await listTree(t.root);
    await expectAppError(store.putObject("photos", "a\u0000b", body("x"), {}), "InvalidArgument");
    await expectAppError(store.putObject("photos", "", body("x"), {}), "InvalidArgument");
    await expectAppError(store.putObject("photos", "bad\uD800", body("x"), {}), "InvalidArgument");
    await expectAppError(store.putObject("photos", "x".repeat(1025), body("x"), {}), "KeyTooLongError");
    await expectAppError(store.putObject("photos", "é".repeat(513), body("x"), {}), "KeyTooLongError");
    await expectAppError(store.getObject("photos", "a\u0000b"), "InvalidArgument");
    await expectAppError(store.createMultipartUpload("photos", "a\u0000b", {}), "InvalidArgument");
    expect(await listTree(t.root)).toEqual(before);
  });
});

describe("ranges", () => {
  const content = Buffer.from("0123456789abcdefghij");

  beforeEach(async () => {
    await store.putObject("photos", "r", body(content), {});
  });

  it.each([
    [0, 0],
    [0, 19],
    [5, 9],
    [19, 19],
    [10, 19],
  ])("returns bytes %i-%i inclusive", async (start, end) => {
    const { info, body: stream } = await store.getObject("photos", "r", { start, end });
    expect(info.size).toBe(20);
    expect((await readAll(stream)).toString()).toBe(content.subarray(start, end + 1).toString());
  });

  it.each([
    [0, 20],
    [20, 25],
    [5, 4],
    [-1, 3],
  ])("refuses %i-%i with InvalidRange", async (start, end) => {
    await expectAppError(store.getObject("photos", "r", { start, end }), "InvalidRange");
  });
});

describe("digests and sizes", () => {
  it("accepts a matching Content-MD5", async () => {
    const info = await store.putObject("photos", "k", body("hello"), { contentMd5: md5Base64("hello") });
    expect(info.eTag).toBe(`"${md5Hex("hello")}"`);
  });

  it("refuses a mismatching Content-MD5 with BadDigest and stores nothing", async () => {
    await store.putObject("photos", "k", body("old"), {});
    await expectAppError(store.putObject("photos", "k", body("hello"), { contentMd5: md5Base64("other") }), "BadDigest");
    await expectAppError(store.putObject("photos", "new", body("hello"), { contentMd5: md5Base64("other") }), "BadDigest");
    expect((await readAll((await store.getObject("photos", "k")).body)).toString()).toBe("old");
    await expectAppError(store.headObject("photos", "new"), "NoSuchKey");
    expect(await readdir(path.join(t.root, ".tmp"))).toEqual([]);
  });

  it.each(["not-base64!", "aGVsbG8=", "", md5Hex("hello")])("refuses malformed Content-MD5 %j with InvalidDigest", async (contentMd5) => {
    await expectAppError(store.putObject("photos", "k", body("hello"), { contentMd5 }), "InvalidDigest");
    await expectAppError(store.headObject("photos", "k"), "NoSuchKey");
  });

  it("refuses a body shorter or longer than declared with IncompleteBody and stores nothing", async () => {
    await expectAppError(store.putObject("photos", "k", body("hello"), { size: 10 }), "IncompleteBody");
    await expectAppError(store.putObject("photos", "k", body("hello"), { size: 3 }), "IncompleteBody");
    await expectAppError(store.headObject("photos", "k"), "NoSuchKey");
    expect(await readdir(path.join(t.root, ".tmp"))).toEqual([]);
  });

  it("turns a body that fails midway into IncompleteBody and stores nothing", async () => {
    const failing = Readable.from(
      (async function* () {
        yield Buffer.from("part of it");
        throw new Error("socket hang up");
      })(),
    );
    await expectAppError(store.putObject("photos", "k", failing, {}), "IncompleteBody");
    await expectAppError(store.headObject("photos", "k"), "NoSuchKey");
    expect(await readdir(path.join(t.root, ".tmp"))).toEqual([]);
  });
});

describe("concurrency", () => {
  it("leaves one whole object when two puts race on a key", async () => {
    const a = Buffer.alloc(3 * 1024 * 1024, "a");
    const b = Buffer.alloc(2 * 1024 * 1024 + 17, "b");
    for (let round = 0; round < 5; round++) {
      const [infoA, infoB] = await Promise.all([
        store.putObject("photos", "race", slowBody(a, 40), {}),
        store.putObject("photos", "race", slowBody(b, 40), {}),
      ]);
      const final = await readAll((await store.getObject("photos", "race")).body);
      const head = await store.headObject("photos", "race");
      expect(final.equals(a) || final.equals(b)).toBe(true);
      expect(head.eTag).toBe(final.equals(a) ? infoA.eTag : infoB.eTag);
      expect(head.size).toBe(final.length);
    }
    expect(await readdir(path.join(t.root, ".tmp"))).toEqual([]);
  });

  it("lets readers see the old object whole while a new one is written, and the new one after", async () => {
    const oldContent = Buffer.alloc(2 * 1024 * 1024, "o");
    const newContent = Buffer.alloc(3 * 1024 * 1024, "n");
    await store.putObject("photos", "doc", body(oldContent), {});

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const writing = store.putObject("photos", "doc", slowBody(newContent, 8, gate), {});

    // Opened before the new version lands, read after it has: still the old bytes, all of them.
    const during = await store.getObject("photos", "doc");
    expect(during.info.size).toBe(oldContent.length);
    const head = await store.headObject("photos", "doc");
    expect(head.size).toBe(oldContent.length);

    release();
    await writing;
    expect((await readAll(during.body)).equals(oldContent)).toBe(true);
    expect((await readAll((await store.getObject("photos", "doc")).body)).equals(newContent)).toBe(true);
  });

  it("keeps a ranged read of the old version consistent across a replace", async () => {
    await store.putObject("photos", "doc", body("0123456789"), {});
    const during = await store.getObject("photos", "doc", { start: 2, end: 5 });
    await store.putObject("photos", "doc", body("ABCDEFGHIJKLMNOP"), {});
    expect((await readAll(during.body)).toString()).toBe("2345");
  });
});

describe("copyObject", () => {
  beforeEach(async () => {
    await store.putObject("photos", "src", body("source body"), { contentType: "text/plain", metadata: { a: "1" } });
    await store.putObjectTagging("photos", "src", { team: "blue" });
  });

  it("COPY keeps the source's content type, metadata and tags", async () => {
    const info = await store.copyObject({ bucket: "photos", key: "src" }, { bucket: "photos", key: "dst" }, {
      metadataDirective: "COPY",
      contentType: "ignored/type",
      metadata: { ignored: "yes" },
    });
    expect(info).toMatchObject({ key: "dst", size: 11, eTag: `"${md5Hex("source body")}"`, contentType: "text/plain", metadata: { a: "1" } });
    expect((await readAll((await store.getObject("photos", "dst")).body)).toString()).toBe("source body");
    expect(await store.getObjectTagging("photos", "dst")).toEqual({ team: "blue" });
  });

  it("REPLACE takes the given content type and metadata", async () => {
    const info = await store.copyObject({ bucket: "photos", key: "src" }, { bucket: "photos", key: "dst" }, {
      metadataDirective: "REPLACE",
      contentType: "application/json",
      metadata: { B: "2" },
    });
    expect(info).toMatchObject({ contentType: "application/json", metadata: { b: "2" } });
    expect(await store.headObject("photos", "dst")).toMatchObject({ contentType: "application/json", metadata: { b: "2" } });
  });

  it("copies across buckets, and onto itself", async () => {
    await store.createBucket("archive");
    await store.copyObject({ bucket: "photos", key: "src" }, { bucket: "archive", key: "deep/copy" }, { metadataDirective: "COPY" });
    expect((await readAll((await store.getObject("archive", "deep/copy")).body)).toString()).toBe("source body");

    const self = await store.copyObject({ bucket: "photos", key: "src" }, { bucket: "photos", key: "src" }, { metadataDirective: "COPY" });
    expect(self).toMatchObject({ size: 11, contentType: "text/plain", metadata: { a: "1" } });
    expect((await readAll((await store.getObject("photos", "src")).body)).toString()).toBe("source body");
    expect(await store.getObjectTagging("photos", "src")).toEqual({ team: "blue" });
  });

  it("answers NoSuchKey / NoSuchBucket for a missing source or target bucket", async () => {
    await expectAppError(store.copyObject({ bucket: "photos", key: "nope" }, { bucket: "photos", key: "x" }, { metadataDirective: "COPY" }), "NoSuchKey");
    await expectAppError(store.copyObject({ bucket: "nobucket", key: "src" }, { bucket: "photos", key: "x" }, { metadataDirective: "COPY" }), "NoSuchBucket");
    await expectAppError(store.copyObject({ bucket: "photos", key: "src" }, { bucket: "nobucket", key: "x" }, { metadataDirective: "COPY" }), "NoSuchBucket");
  });
});

describe("tagging", () => {
  it("puts, gets and deletes tags; a new put clears them; a missing key is NoSuchKey", async () => {
    await store.putObject("photos", "k", body("v1"), {});
    expect(await store.getObjectTagging("photos", "k")).toEqual({});
    await store.putObjectTagging("photos", "k", { a: "1", b: "" });
    expect(await store.getObjectTagging("photos", "k")).toEqual({ a: "1", b: "" });
    await store.putObjectTagging("photos", "k", { c: "3" });
    expect(await store.getObjectTagging("photos", "k")).toEqual({ c: "3" });
    await store.deleteObjectTagging("photos", "k");
    expect(await store.getObjectTagging("photos", "k")).toEqual({});

    await store.putObjectTagging("photos", "k", { keep: "me?" });
    await store.putObject("photos", "k", body("v2"), {});
    expect(await store.getObjectTagging("photos", "k")).toEqual({});

    await expectAppError(store.getObjectTagging("photos", "missing"), "NoSuchKey");
    await expectAppError(store.putObjectTagging("photos", "missing", { a: "1" }), "NoSuchKey");
    await expectAppError(store.deleteObjectTagging("photos", "missing"), "NoSuchKey");
    await expectAppError(store.getObjectTagging("nobucket", "k"), "NoSuchBucket");
  });

  it("drops the tags with the object, so a re-created key starts untagged", async () => {
    await store.putObject("photos", "k", body("v1"), {});
    await store.putObjectTagging("photos", "k", { a: "1" });
    await store.deleteObject("photos", "k");
    await store.putObject("photos", "k", body("v2"), {});
    expect(await store.getObjectTagging("photos", "k")).toEqual({});
  });

  it("refuses more than 10 tags and oversized tag keys or values", async () => {
    await store.putObject("photos", "k", body("v1"), {});
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, "v"]));
    await expectAppError(store.putObjectTagging("photos", "k", eleven), "InvalidArgument");
    await expectAppError(store.putObjectTagging("photos", "k", { ["x".repeat(129)]: "v" }), "InvalidArgument");
    await expectAppError(store.putObjectTagging("photos", "k", { k: "v".repeat(257) }), "InvalidArgument");
  });

  it("keeps tags across a restart of the store", async () => {
    await store.putObject("photos", "k", body("v1"), {});
    await store.putObjectTagging("photos", "k", { a: "1" });
    const reopened = new LocalDiskStore({ root: t.root });
    expect(await reopened.getObjectTagging("photos", "k")).toEqual({ a: "1" });
    expect((await readAll((await reopened.getObject("photos", "k")).body)).toString()).toBe("v1");
    await reopened.close();
  });
});

describe("buckets", () => {
  it("lists buckets sorted by name with their creation date", async () => {
    await store.createBucket("zeta");
    await store.createBucket("alpha.1");
    await store.createBucket("m-bucket");
    expect(await store.listBuckets()).toEqual(
      ["alpha.1", "m-bucket", "photos", "zeta"].map((name) => ({ name, createdAt: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) })),
    );
  });

  it("refuses to create a bucket twice", async () => {
    await expectAppError(store.createBucket("photos"), "BucketAlreadyOwnedByYou");
  });

  it("answers headBucket", async () => {
    await store.headBucket("photos");
    await expectAppError(store.headBucket("missing"), "NoSuchBucket");
  });

  it.each([
    "ab",
    "a".repeat(64),
    "Uppercase",
    "under_score",
    "-starts-with-hyphen",
    "ends-with-hyphen-",
    ".dot",
    "dot.",
    "two..dots",
    "192.168.1.1",
    "xn--punycode",
    "bucket-s3alias",
    "has space",
    "slash/name",
    "..",
    "../etc",
    "",
  ])("refuses the bucket name %j with InvalidBucketName", async (name) => {
    await expectAppError(store.createBucket(name), "InvalidBucketName");
    await expectAppError(store.putObject(name, "k", body("x"), {}), "InvalidBucketName");
  });

  it.each(["abc", "a".repeat(63), "my.bucket-1", "1bucket", "192.168.1.com"])("accepts the bucket name %j", async (name) => {
    await store.createBucket(name);
    await store.headBucket(name);
  });

  it("refuses to delete a bucket holding objects or unfinished uploads, deletes an empty one", async () => {
    await store.putObject("photos", "k", body("x"), {});
    await expectAppError(store.deleteBucket("photos"), "BucketNotEmpty");
    await store.deleteObject("photos", "k");

    const { uploadId } = await store.createMultipartUpload("photos", "big", {});
    await expectAppError(store.deleteBucket("photos"), "BucketNotEmpty");
    await store.abortMultipartUpload("photos", "big", uploadId);

    await store.deleteBucket("photos");
    await expectAppError(store.headBucket("photos"), "NoSuchBucket");
    expect(await store.listBuckets()).toEqual([]);
    await expectAppError(store.deleteBucket("photos"), "NoSuchBucket");
    await store.createBucket("photos");
    expect((await store.listObjects("photos", {})).objects).toEqual([]);
  });

  it("counts an object under a long key (nested directories) as content", async () => {
    await store.putObject("photos", "long/".repeat(60), body("x"), {});
    await expectAppError(store.deleteBucket("photos"), "BucketNotEmpty");
    await store.deleteObject("photos", "long/".repeat(60));
    await store.deleteBucket("photos");
  });
});

describe("crash recovery", () => {
  it("removes temp files a crashed run left behind when a store starts on the root", async () => {
    const tmpDir = path.join(t.root, ".tmp");
    await writeFile(path.join(tmpDir, "deadbeef.tmp"), Buffer.alloc(1024, 1));
    await mkdir(path.join(tmpDir, "cafe.upload"));
    await writeFile(path.join(tmpDir, "cafe.upload", "upload.json"), "{}");
    await store.putObject("photos", "kept", body("survives"), {});
    await store.close();

    const restarted = await LocalDiskStore.open({ root: t.root });
    expect(await readdir(tmpDir)).toEqual([]);
    expect((await readAll((await restarted.getObject("photos", "kept")).body)).toString()).toBe("survives");
    await restarted.close();
  });

  it("sweeps temp files idle for longer than staleTempMs while running", async () => {
    const tmpDir = path.join(t.root, ".tmp");
    await writeFile(path.join(tmpDir, "old.tmp"), "x");
    await writeFile(path.join(tmpDir, "fresh.tmp"), "x");
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(path.join(tmpDir, "old.tmp"), twoHoursAgo, twoHoursAgo);
    expect(await sweepTempDir(tmpDir, 60 * 60 * 1000)).toBe(1);
    expect(await readdir(tmpDir)).toEqual(["fresh.tmp"]);
  });

  it("publishes nothing when a write dies before its rename", async () => {
    // A body that never finishes stands for a process killed mid-upload: only a temp file exists.
    let fail!: (error: Error) => void;
    const stuck = Readable.from(
      (async function* () {
        yield Buffer.alloc(2 * 1024 * 1024, 7); // more than one write batch, so some of it is on disk
        await new Promise((_, reject) => (fail = reject));
      })(),
    );
    const writing = store.putObject("photos", "partial", stuck, {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const temps = await readdir(path.join(t.root, ".tmp"));
    expect(temps.length).toBe(1);
    expect((await stat(path.join(t.root, ".tmp", temps[0] as string))).size).toBeGreaterThan(0);
    await expectAppError(store.headObject("photos", "partial"), "NoSuchKey");
    expect((await store.listObjects("photos", {})).objects).toEqual([]);

    const restarted = new LocalDiskStore({ root: t.root });
    expect(await readdir(path.join(t.root, ".tmp"))).toEqual([]);
    await restarted.close();
    fail(new Error("killed"));
    await expectAppError(writing, "IncompleteBody");
  });
});
