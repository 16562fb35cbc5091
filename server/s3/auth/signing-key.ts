import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** SHA-256 of the empty string: the "headers" hash of every aws-chunked chunk. */
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function hmacSha256(key: string | Uint8Array, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function deriveSigningKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const kDate = hmacSha256(`AWS4${secret}`, shortDate);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  return hmacSha256(kService, "aws4_request");
}

export function signatureHex(signingKey: Uint8Array, stringToSign: string): string {
  return hmacSha256(signingKey, stringToSign).toString("hex");
}

const SIGNATURE_SHAPE = /^[0-9a-fA-F]{64}$/;

/**
 * Compares in constant time so the response time does not leak how many
 * leading bytes of a guessed signature were right.
 */
export function signaturesMatch(expectedHex: string, providedHex: string): boolean {
  if (!SIGNATURE_SHAPE.test(providedHex)) return false;
  return timingSafeEqual(Buffer.from(expectedHex, "hex"), Buffer.from(providedHex, "hex"));
}
