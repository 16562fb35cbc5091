import { AppError } from "../errors/app-error.ts";

/**
 * Object keys in S3 event records are URL-encoded the way AWS does it: the
 * application/x-www-form-urlencoded byte set (letters, digits and `*-._` stay,
 * space becomes `+`, everything else is %XX of its UTF-8 bytes), except that
 * `/` is kept so that keys stay readable as paths. MinIO encodes `/` as %2F;
 * decodeObjectKey accepts both, so records from either decode to the same key.
 */
export function encodeObjectKey(key: string, field = "key"): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(key);
  } catch (error) {
    // encodeURIComponent throws on lone surrogates, which no S3 key can hold.
    throw new AppError("ValidationError", `${field}: not a valid UTF-8 string (lone surrogate)`, {
      field,
      cause: error,
    });
  }
  return encoded
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+")
    .replace(/%2F/g, "/");
}

/** The inverse of encodeObjectKey; malformed %-sequences are a ValidationError naming `field`. */
export function decodeObjectKey(encoded: string, field = "key"): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, " "));
  } catch (error) {
    throw new AppError("ValidationError", `${field}: malformed URL encoding in object key ${JSON.stringify(encoded)}`, {
      field,
      details: { key: encoded },
      cause: error,
    });
  }
}

/** True when `key` holds no lone surrogate, i.e. can be encoded at all. */
export function isWellFormedKey(key: string): boolean {
  // A lone surrogate is a high surrogate not followed by a low one, or a low one not preceded by a high one.
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(key);
}
