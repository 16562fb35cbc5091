/**
 * The form-URL-encoded spelling S3 uses for object keys in event records:
 * `encodeURIComponent`, then spaces as `+` and `/` kept as is
 * (`my photos/cat.jpg` -> `my+photos/cat.jpg`). Throws URIError for a string
 * with a lone surrogate, which has no encoding.
 */
export function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+").replace(/%2F/g, "/");
}

/**
 * What a filter value written in that spelling stands for in a decoded key
 * (`my+photos/` -> `my photos/`), or undefined when the value is not exactly
 * how some string is spelt (`%20`, lowercase hex, a raw space, a cut-off `%C3`):
 * a form-encoded key could never contain such a value, so it has no decoded twin.
 * A value without encoding (`logs/`) stands for itself.
 */
export function formDecode(value: string): string | undefined {
  try {
    const decoded = decodeURIComponent(value.replace(/\+/g, " "));
    return formEncode(decoded) === value ? decoded : undefined;
  } catch {
    // Malformed escapes, or a lone surrogate that cannot be encoded back.
    return undefined;
  }
}
