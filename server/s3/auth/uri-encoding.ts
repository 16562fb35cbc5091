/**
 * AWS's URI encoding for SigV4 canonical requests. Requests are canonicalised
 * from what arrived on the wire, decoded then re-encoded byte by byte, so two
 * clients that escape differently (lower-case hex, '~' as %7E, a literal '!')
 * still land on the one form AWS signers produce.
 */

const UNRESERVED = new Uint8Array(256);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") {
  UNRESERVED[ch.charCodeAt(0)] = 1;
}
const HEX = "0123456789ABCDEF";

/** Encodes every byte outside A-Za-z0-9-._~ as %XX (upper-case hex). */
export function awsUriEncode(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    if (UNRESERVED[byte] === 1) out += String.fromCharCode(byte);
    else out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Percent-decodes to raw bytes rather than a string, so escapes of bytes that
 * are not valid UTF-8 survive the round trip. A '%' not followed by two hex
 * digits is kept as a literal '%', as lenient servers do.
 */
export function percentDecode(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    if (code === 0x25 && i + 2 < text.length) {
      const high = hexValue(text.charCodeAt(i + 1));
      const low = hexValue(text.charCodeAt(i + 2));
      if (high >= 0 && low >= 0) {
        bytes.push((high << 4) | low);
        i += 3;
        continue;
      }
    }
    if (code < 0x80) {
      bytes.push(code);
      i += 1;
      continue;
    }
    const char = String.fromCodePoint(text.codePointAt(i) ?? code);
    for (const byte of Buffer.from(char, "utf8")) bytes.push(byte);
    i += char.length;
  }
  return Buffer.from(bytes);
}

/**
 * S3 signs the path once-encoded (no double encoding, no dot-segment or
 * empty-segment normalisation: "a//b/../c" is a valid key). Segments are
 * re-encoded one by one so an escaped "%2F" stays part of its segment.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === "") return "/";
  return rawPath
    .split("/")
    .map((segment) => awsUriEncode(percentDecode(segment)))
    .join("/");
}

export interface QueryParam {
  /** Decoded name. */
  name: string;
  /** Decoded value; "" for a bare name ("?uploads"). */
  value: string;
  encodedName: string;
  encodedValue: string;
}

/** Splits the raw query into its parameters, in the order received. */
export function parseQuery(rawQuery: string): QueryParam[] {
  const params: QueryParam[] = [];
  for (const piece of rawQuery.split("&")) {
    if (piece === "") continue;
    const eq = piece.indexOf("=");
    const rawName = eq === -1 ? piece : piece.slice(0, eq);
    const rawValue = eq === -1 ? "" : piece.slice(eq + 1);
    const nameBytes = percentDecode(rawName);
    const valueBytes = percentDecode(rawValue);
    params.push({
      name: nameBytes.toString("utf8"),
      value: valueBytes.toString("utf8"),
      encodedName: awsUriEncode(nameBytes),
      encodedValue: awsUriEncode(valueBytes),
    });
  }
  return params;
}

/**
 * Sorted by encoded name, then encoded value. X-Amz-Signature is left out in
 * any letter case, as the AWS SDK signer does: a presigned URL cannot sign
 * its own signature.
 */
export function canonicalQuery(params: readonly QueryParam[]): string {
  return params
    .filter((param) => param.name.toLowerCase() !== "x-amz-signature")
    .map((param) => [param.encodedName, param.encodedValue] as const)
    .sort(([nameA, valueA], [nameB, valueB]) => compareStrings(nameA, nameB) || compareStrings(valueA, valueB))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
