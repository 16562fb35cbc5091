import type { IncomingHttpHeaders } from "node:http";
import { AppError } from "../../errors/app-error.ts";

/**
 * As S3 does, refuses a request whose host or x-amz-* headers are outside the
 * signature: otherwise anyone relaying a signed request (or holding a
 * presigned URL) could add x-amz-acl, x-amz-copy-source, x-amz-meta-* and the
 * like to it. `exempt` names headers already bound another way (the payload
 * hash line, the date in the string to sign).
 */
export function assertHeadersSigned(headers: IncomingHttpHeaders, signedHeaders: readonly string[], exempt: readonly string[]): void {
  const signed = new Set(signedHeaders);
  const notSigned: string[] = [];
  if (!signed.has("host")) notSigned.push("host");
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith("x-amz-") && !signed.has(lower) && !exempt.includes(lower)) notSigned.push(lower);
  }
  if (notSigned.length > 0) {
    throw new AppError("Forbidden", `There were headers present in the request which were not signed: ${notSigned.join(", ")}`, {
      details: { headersNotSigned: notSigned },
    });
  }
}
