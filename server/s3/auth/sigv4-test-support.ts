/**
 * Test helpers shared by the sigv4 tests: requests signed by the AWS SDK's own
 * signer (@smithy/signature-v4, as used by @aws-sdk/client-s3), turned into
 * the shape the S3 endpoint hands to authenticate().
 */
import { once } from "node:events";
import type { Transform } from "node:stream";
import { Sha256 } from "@smithy/core/checksum";
import { HttpRequest, buildQueryString, escapeUri } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import { expect } from "vitest";
import { isAppError } from "../../errors/app-error.ts";
import type { ErrorCode } from "../../errors/error-codes.ts";
import type { CredentialStore, SignedRequest } from "./types.ts";

export const ACCESS_KEY_ID = "HERALDTESTKEY0000001";
export const SECRET = "h3rald/Secret+Key=with/slashes";
export const NOW = Date.UTC(2026, 10, 23, 9, 30, 15);

export const credentials: CredentialStore = {
  secretFor: (accessKeyId) => (accessKeyId === ACCESS_KEY_ID ? SECRET : undefined),
};

export function sdkSigner(options: { secret?: string; region?: string; accessKeyId?: string } = {}): SignatureV4 {
  return new SignatureV4({
    service: "s3",
    region: options.region ?? "us-east-1",
    credentials: { accessKeyId: options.accessKeyId ?? ACCESS_KEY_ID, secretAccessKey: options.secret ?? SECRET },
    sha256: Sha256,
    // What @aws-sdk/client-s3 configures: S3 paths are signed as sent, never double-encoded.
    uriEscapePath: false,
  });
}

/** The path client-s3 builds for a key: each segment escaped, '/' kept. */
export function objectPath(bucket: string, key: string): string {
  return `/${bucket}/${key.split("/").map(escapeUri).join("/")}`;
}

export interface RequestInit {
  method?: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export function httpRequest(init: RequestInit): HttpRequest {
  return new HttpRequest({
    method: init.method ?? "GET",
    protocol: "http:",
    hostname: "herald.test",
    port: 9000,
    path: init.path,
    query: init.query ?? {},
    headers: { host: "herald.test:9000", ...init.headers },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
}

/** What a Node server would see: lower-case header names, the query string as the SDK's HTTP handler writes it. */
export function asReceived(request: { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string> }): SignedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  return {
    method: request.method,
    rawPath: request.path,
    rawQuery: buildQueryString((request.query ?? {}) as Record<string, string | string[] | null>),
    headers,
  };
}

export async function signWithSdk(init: RequestInit, options: { signingDate?: number; secret?: string; region?: string } = {}): Promise<SignedRequest> {
  const signed = await sdkSigner(options).sign(httpRequest(init), { signingDate: new Date(options.signingDate ?? NOW) });
  return asReceived(signed as HttpRequest);
}

export async function presignWithSdk(
  init: RequestInit,
  options: { signingDate?: number; expiresIn?: number; secret?: string; region?: string } = {},
): Promise<SignedRequest> {
  // As @aws-sdk/s3-request-presigner does: without it the generic signer would sign the empty body's hash.
  const headers = { "X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD", ...init.headers };
  const presigned = await sdkSigner(options).presign(httpRequest({ ...init, headers }), {
    signingDate: new Date(options.signingDate ?? NOW),
    expiresIn: options.expiresIn ?? 3600,
  });
  return asReceived(presigned as HttpRequest);
}

/** Asserts `fn` throws an AppError with this code (and message, when given). */
export function expectAppError(fn: () => unknown, code: ErrorCode, message?: string | RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(isAppError(thrown), `expected AppError ${code}, got ${String(thrown)}`).toBe(true);
  if (!isAppError(thrown)) return;
  expect(thrown.code).toBe(code);
  if (typeof message === "string") expect(thrown.message).toBe(message);
  else if (message) expect(thrown.message).toMatch(message);
}

/** Cuts `data` into pieces of random lengths in [min, max], from a seeded generator so failures replay. */
export function splitRandomly(data: Buffer, min: number, max: number, seed = 1): Buffer[] {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < data.length; ) {
    const length = min + Math.floor(next() * (max - min + 1));
    pieces.push(data.subarray(offset, offset + length));
    offset += length;
  }
  return pieces;
}

/**
 * Writes the pieces one by one (so the transform really sees them split
 * where they were cut) and collects what comes out; rejects with the
 * transform's error.
 */
export async function runThrough(transform: Transform, pieces: readonly Buffer[]): Promise<Buffer> {
  const output: Buffer[] = [];
  transform.on("data", (chunk: Buffer) => output.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    transform.once("end", resolve);
    transform.once("error", reject);
  });
  for (const piece of pieces) {
    if (transform.destroyed) break;
    if (!transform.write(piece)) await Promise.race([once(transform, "drain"), done]);
  }
  if (!transform.destroyed) transform.end();
  await done;
  return Buffer.concat(output);
}
