import { createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { AppError } from "../../errors/app-error.ts";

/**
 * Passes bytes through untouched and fails at the end when their SHA-256 is
 * not the signed x-amz-content-sha256: the body is only trustworthy once the
 * stream finishes cleanly, so consumers must not commit before then.
 */
export function sha256Verifier(expectedHex: string): Transform {
  const expected = expectedHex.toLowerCase();
  const hash = createHash("sha256");
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const actual = hash.digest("hex");
      if (actual !== expected) {
        callback(
          new AppError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", {
            details: { clientComputedContentSHA256: expected, s3ComputedContentSHA256: actual },
          }),
        );
        return;
      }
      callback();
    },
  });
}
