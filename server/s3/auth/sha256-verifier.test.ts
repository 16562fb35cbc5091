import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256Verifier } from "./sigv4.ts";
import { runThrough, splitRandomly } from "./sigv4-test-support.ts";

const body = Buffer.from("Welcome to Amazon S3.".repeat(5000));
const digest = createHash("sha256").update(body).digest("hex");

describe("sha256Verifier", () => {
  it("passes the bytes through unchanged when they match, however they are split", async () => {
    expect((await runThrough(sha256Verifier(digest), splitRandomly(body, 1, 7))).equals(body)).toBe(true);
    expect((await runThrough(sha256Verifier(digest), [body])).equals(body)).toBe(true);
  });

  it("accepts the digest in upper case", async () => {
    expect((await runThrough(sha256Verifier(digest.toUpperCase()), [body])).equals(body)).toBe(true);
  });

  it("accepts an empty body against the empty digest", async () => {
    const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    expect((await runThrough(sha256Verifier(empty), [])).length).toBe(0);
  });

  it("errors XAmzContentSHA256Mismatch at the end when one byte differs", async () => {
    const changed = Buffer.from(body);
    changed[1234] = (changed[1234] ?? 0) ^ 0x20;
    await expect(runThrough(sha256Verifier(digest), splitRandomly(changed, 100, 5000))).rejects.toMatchObject({
      code: "XAmzContentSHA256Mismatch",
      details: { clientComputedContentSHA256: digest, s3ComputedContentSHA256: createHash("sha256").update(changed).digest("hex") },
    });
  });

  it("errors when the body is cut short", async () => {
    await expect(runThrough(sha256Verifier(digest), [body.subarray(0, body.length - 1)])).rejects.toMatchObject({
      code: "XAmzContentSHA256Mismatch",
    });
  });
});
