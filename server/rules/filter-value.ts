/** S3 object keys are at most 1024 bytes of UTF-8, so a longer filter could never match. */
export const MAX_FILTER_VALUE_BYTES = 1024;

export interface FilterValueProblem {
  code: "FilterValueTooLong" | "FilterValueInvalid";
  /** Completes a sentence about the value, e.g. `contains a backslash`. */
  reason: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What is wrong with a prefix or suffix filter value, or undefined when it is
 * acceptable. The rules are those of S3 and the reference servers: keys are
 * `/`-separated paths that never contain `.`/`..` segments or backslashes, and
 * must be valid UTF-8 (a lone surrogate cannot be encoded, NUL cannot be stored).
 */
export function filterValueProblem(value: string): FilterValueProblem | undefined {
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > MAX_FILTER_VALUE_BYTES) {
    return { code: "FilterValueTooLong", reason: `is ${bytes} bytes of UTF-8; at most ${MAX_FILTER_VALUE_BYTES} are allowed` };
  }
  if (value.includes("\0")) return { code: "FilterValueInvalid", reason: "contains a NUL character" };
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) {
    return { code: "FilterValueInvalid", reason: `is not valid UTF-8 (lone surrogate at character ${surrogate.index})` };
  }
  if (value.includes("\\")) return { code: "FilterValueInvalid", reason: "contains a backslash" };
  const segment = value.split("/").find((s) => s === "." || s === "..");
  if (segment !== undefined) return { code: "FilterValueInvalid", reason: `contains a "${segment}" path segment` };
  return undefined;
}
