import { AppError } from "../../errors/app-error.ts";

/** How the body is bound to the signature, read from x-amz-content-sha256. */
export type PayloadMode =
  | { kind: "unsigned" }
  | { kind: "sha256"; hex: string }
  | { kind: "streaming"; trailer: boolean }
  | { kind: "unsigned-trailer" };

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export function parsePayloadMode(value: string, field: string): PayloadMode {
  switch (value) {
    case "UNSIGNED-PAYLOAD":
      return { kind: "unsigned" };
    case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD":
      return { kind: "streaming", trailer: false };
    case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER":
      return { kind: "streaming", trailer: true };
    case "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
      return { kind: "unsigned-trailer" };
  }
  if (HEX_SHA256.test(value)) return { kind: "sha256", hex: value.toLowerCase() };
  throw new AppError(
    "InvalidArgument",
    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
    { field },
  );
}

/** x-amz-decoded-content-length: the payload's length once the aws-chunked framing is removed. */
export function parseDecodedLength(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const length = /^\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(length)) {
    throw new AppError("InvalidArgument", "x-amz-decoded-content-length must be a non-negative integer.", {
      field: "x-amz-decoded-content-length",
    });
  }
  return length;
}
