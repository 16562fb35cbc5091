import type { IncomingHttpHeaders } from "node:http";
import { sha256Hex } from "./signing-key.ts";

/**
 * Trims and collapses runs of spaces and tabs, as the AWS SDK signer does.
 * Node has already joined repeated headers; arrays (set-cookie) join with ','.
 */
export function canonicalHeaderValue(value: unknown): string {
  const joined = Array.isArray(value) ? value.join(",") : typeof value === "string" ? value : "";
  return joined.replace(/[\r\n]/g, " ").replace(/[ \t]+/g, " ").trim();
}

export interface CanonicalRequestParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  headers: IncomingHttpHeaders;
  /** Lower-case, in the order the client listed them (which is sorted for every conforming signer). */
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function buildCanonicalRequest(parts: CanonicalRequestParts): string {
  const headerLines = parts.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(headerValue(parts.headers, name))}\n`).join("");
  return [
    parts.method.toUpperCase(),
    parts.canonicalUri,
    parts.canonicalQuery,
    headerLines,
    parts.signedHeaders.join(";"),
    parts.payloadHash,
  ].join("\n");
}

export function buildStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return ["AWS4-HMAC-SHA256", amzDate, scope, sha256Hex(canonicalRequest)].join("\n");
}

/** Own properties only: a client could list "constructor" or "__proto__" as a signed header. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | string[] | undefined {
  return Object.hasOwn(headers, name) ? headers[name] : undefined;
}
