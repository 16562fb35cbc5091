import { Buffer } from "node:buffer";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../../errors/app-error.ts";
import { bareETag, parseContentMd5 } from "./atomic-write.ts";
import { mapWriteError } from "./fs-errors.ts";
import { KEY_CHUNK, hexToComponents, hexToKey, keyToHex, objectPaths, storeLayout, uploadDir, validateKey } from "./key-paths.ts";
import { decodeContinuationToken, encodeContinuationToken, rollUp } from "./list-objects.ts";

const layout = storeLayout("/srv/herald/objects");

describe("object paths", () => {
  it("names an object by the hex of its key, inside the bucket's objects directory", () => {
    const paths = objectPaths(layout, "photos", "../../etc/passwd");
    expect(paths.data).toBe(`/srv/herald/objects/buckets/photos/objects/${Buffer.from("../../etc/passwd").toString("hex")}.o`);
    expect(paths.tags.endsWith(".t")).toBe(true);
  });

  it("cuts long keys into directories of KEY_CHUNK hex digits, each component short enough for any file system", () => {
    const key = "k".repeat(1024);
    const paths = objectPaths(layout, "photos", key);
    const relative = path.relative(path.join(layout.bucketsDir, "photos", "objects"), paths.data).split(path.sep);
    expect(relative).toHaveLength(Math.ceil((1024 * 2) / KEY_CHUNK));
    expect(relative.slice(0, -1).every((c) => c.length === KEY_CHUNK)).toBe(true);
    expect(relative.every((c) => c.length <= 255)).toBe(true);
    expect(relative.join("").replace(/\.o$/, "")).toBe(keyToHex(key));
  });

  it("keeps a key of exactly one chunk as a file beside the directory of its longer siblings", () => {
    const edge = "e".repeat(KEY_CHUNK / 2);
    expect(hexToComponents(keyToHex(edge))).toEqual([keyToHex(edge)]);
    expect(hexToComponents(keyToHex(edge + "x"))).toEqual([keyToHex(edge), keyToHex("x")]);
  });

  it("round-trips keys through hex, unicode included", () => {
    for (const key of ["a", "ünï/😀", "a//b/", "%2F+ "]) expect(hexToKey(keyToHex(key))).toBe(key);
  });

  it("refuses upload ids that are not ours before they reach a path", () => {
    expect(() => uploadDir(layout, "photos", "../../x")).toThrow(AppError);
    expect(uploadDir(layout, "photos", "a".repeat(32))).toBe(`/srv/herald/objects/buckets/photos/uploads/${"a".repeat(32)}`);
  });

  it("validates keys", () => {
    expect(validateKey("é").length).toBe(2);
    expect(() => validateKey("a\u0000")).toThrow(AppError);
    expect(() => validateKey("x".repeat(1025))).toThrow(/too long/);
  });
});

describe("Content-MD5 and ETags", () => {
  it("parses base64 of 16 bytes only", () => {
    expect(parseContentMd5("XUFAKrxLKna5cZ2REBfFkg==")?.toString("hex")).toBe("5d41402abc4b2a76b9719d911017c592");
    for (const bad of ["XUFAKrxLKna5cZ2REBfFkg", "5d41402abc4b2a76b9719d911017c592", "aGk=", "!!!!"]) {
      expect(() => parseContentMd5(bad)).toThrow(expect.objectContaining({ code: "InvalidDigest" }));
    }
  });

  it("compares ETags without quotes", () => {
    expect(bareETag('"abc"')).toBe("abc");
    expect(bareETag("abc")).toBe("abc");
    expect(bareETag("&quot;abc&quot;")).toBe("abc");
  });
});

describe("listing helpers", () => {
  it("rolls keys up at the first delimiter after the prefix", () => {
    expect(rollUp("a/b/c", "", "/")).toBe("a/");
    expect(rollUp("a/b/c", "a/", "/")).toBe("a/b/");
    expect(rollUp("a/b", "a/b", "/")).toBeUndefined();
    expect(rollUp("x--y--z", "", "--")).toBe("x--");
  });

  it("round-trips continuation tokens and refuses foreign ones", () => {
    expect(decodeContinuationToken(encodeContinuationToken("ünï/😀"))).toBe("ünï/😀");
    expect(() => decodeContinuationToken("abc")).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });
});

describe("write errors", () => {
  it("maps a full disk to InsufficientStorage and leaves other errors alone", () => {
    const enospc = Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    expect(mapWriteError(enospc)).toMatchObject({ code: "InsufficientStorage" });
    expect(mapWriteError(Object.assign(new Error("quota"), { code: "EDQUOT" }))).toMatchObject({ code: "InsufficientStorage" });
    const eio = Object.assign(new Error("i/o"), { code: "EIO" });
    expect(mapWriteError(eio)).toBe(eio);
  });
});
