import { PassThrough, type Duplex, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import unbzip2Stream from "unbzip2-stream";
import { AppError } from "../../../errors/app-error.ts";
import type { CompressionType } from "./input-options.ts";

/** The decoder of each supported whole-object compression (AWS: GZIP and BZIP2 only). */
const DECODERS: Record<Exclude<CompressionType, "NONE">, () => Duplex> = {
  GZIP: () => createGunzip(),
  BZIP2: () => unbzip2Stream(),
};

/**
 * Wraps `input` in a streaming decompressor. Corrupt or non-matching data makes
 * the returned stream fail with an AppError `InvalidCompressionFormat`; errors of
 * `input` itself pass through unchanged. Destroying the result destroys `input`.
 * A type other than NONE, GZIP or BZIP2 (unvalidated input) throws
 * `InvalidCompressionFormat` at once, leaving `input` untouched.
 */
export function decompress(input: Readable, type: CompressionType): Readable {
  if (type === "NONE") return input;
  const createDecoder = Object.hasOwn(DECODERS, type) ? DECODERS[type] : undefined;
  if (createDecoder === undefined) {
    throw new AppError("InvalidCompressionFormat", `CompressionType must be NONE, GZIP or BZIP2, not ${String(type)}`, {
      field: "InputSerialization.CompressionType",
    });
  }
  const decoder = createDecoder();
  const out = new PassThrough();
  let failed = false;
  const fail = (error: unknown): void => {
    if (failed) return;
    failed = true;
    input.unpipe(decoder);
    input.destroy();
    decoder.destroy();
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  input.on("error", fail);
  decoder.on("error", (error: unknown) => {
    fail(
      new AppError("InvalidCompressionFormat", `The ${type} input could not be decompressed: ${String((error as Error)?.message ?? error)}`, {
        cause: error,
      }),
    );
  });
  out.on("close", () => {
    if (!out.readableEnded && !failed) {
      failed = true;
      input.destroy();
      decoder.destroy();
    }
  });
  input.pipe(decoder).pipe(out);
  return out;
}
