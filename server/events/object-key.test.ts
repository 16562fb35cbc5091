import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.ts";
import { decodeObjectKey, encodeObjectKey, isWellFormedKey } from "./object-key.ts";

describe("encodeObjectKey", () => {
  it.each([
    ["photos/2024/red flower.jpg", "photos/2024/red+flower.jpg"],
    ["a+b.txt", "a%2Bb.txt"],
    ["100%.txt", "100%25.txt"],
    ["café/ü.txt", "caf%C3%A9/%C3%BC.txt"],
    ["emoji-😀", "emoji-%F0%9F%98%80"],
    ["a=b&c?d#e", "a%3Db%26c%3Fd%23e"],
    ["(1)!'~*._-", "%281%29%21%27%7E*._-"],
    ["/leading//double/", "/leading//double/"],
  ])("encodes %j as %j", (key, encoded) => {
    expect(encodeObjectKey(key)).toBe(encoded);
  });

  it("refuses a lone surrogate with a ValidationError, not a URIError", () => {
    expect(() => encodeObjectKey("bad\uD800key")).toThrow(AppError);
    expect(isWellFormedKey("bad\uD800key")).toBe(false);
    expect(isWellFormedKey("fine\uD83D\uDE00")).toBe(true);
  });
});

describe("decodeObjectKey", () => {
  it.each(["red flower.jpg", "a+b c", "100% done", "ünïcödé/路径/😀", "dir/sub dir/file+1 (copy).txt", "", "%2F%2B", "~!*'()"])(
    "round-trips %j",
    (key) => {
      expect(decodeObjectKey(encodeObjectKey(key))).toBe(key);
    },
  );

  it("accepts MinIO's encoding of / as %2F", () => {
    expect(decodeObjectKey("photos%2F2024%2Fred+flower.jpg")).toBe("photos/2024/red flower.jpg");
  });

  it.each(["100%", "%E0%A4%A", "%zz", "%C3"])("turns malformed %j into a ValidationError naming the field", (encoded) => {
    let caught: unknown;
    try {
      decodeObjectKey(encoded, "Records[2].s3.object.key");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe("ValidationError");
    expect((caught as AppError).field).toBe("Records[2].s3.object.key");
  });
});
