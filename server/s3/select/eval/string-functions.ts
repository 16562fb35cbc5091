/**
 * SUBSTRING, TRIM and LIKE matching. Strings are handled as code points.
 *
 * SUBSTRING(s, start[, length]) follows SQL: the characters at positions
 * [start, start + length) intersected with [1, len]. So a start below 1 eats into the
 * length (`SUBSTRING('123456789', 0)` is the whole string, `SUBSTRING('123456789', -4, 6)`
 * is '1'); a negative length -> EvaluatorInvalidArguments.
 */
import { sqlError } from "../sql/sql-error.ts";
import type { SourcePosition } from "../sql/tokens.ts";

export function substring(text: string, start: number, length: number | null, pos: SourcePosition): string {
  const chars = [...text];
  if (length !== null && length < 0) {
    throw sqlError("EvaluatorInvalidArguments", pos, "SUBSTRING length must not be negative");
  }
  const from = Math.max(start, 1);
  const to = length === null ? chars.length + 1 : Math.min(start + length, chars.length + 1);
  if (to <= from) return "";
  return chars.slice(from - 1, to - 1).join("");
}

/** TRIM: removes any of `characters` (default a space) from the chosen side(s). */
export function trim(text: string, side: "LEADING" | "TRAILING" | "BOTH", characters: string | null): string {
  const set = new Set([...(characters ?? " ")]);
  const chars = [...text];
  let start = 0;
  let end = chars.length;
  if (side !== "TRAILING") while (start < end && set.has(chars[start] ?? "")) start += 1;
  if (side !== "LEADING") while (end > start && set.has(chars[end - 1] ?? "")) end -= 1;
  return chars.slice(start, end).join("");
}

/**
 * A LIKE pattern as an anchored, case-sensitive RegExp: `%` any run, `_` one
 * character; the escape character makes the next `%`, `_` or itself literal. An
 * escape that is not one character, or a pattern ending with it, or escaping another
 * character -> EvaluatorInvalidArguments.
 */
export function likeToRegExp(pattern: string, escape: string | null, pos: SourcePosition): RegExp {
  if (escape !== null && [...escape].length !== 1) {
    throw sqlError("EvaluatorInvalidArguments", pos, "the LIKE ESCAPE value must be a single character");
  }
  let source = "";
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i] ?? "";
    if (escape !== null && ch === escape) {
      const next = chars[i + 1];
      if (next === undefined || (next !== "%" && next !== "_" && next !== escape)) {
        throw sqlError("EvaluatorInvalidArguments", pos, `invalid escape sequence in LIKE pattern '${pattern}'`);
      }
      source += escapeRegExp(next);
      i += 1;
    } else if (ch === "%") source += "[^]*";
    else if (ch === "_") source += "[^]";
    else source += escapeRegExp(ch);
  }
  return new RegExp(`^${source}$`, "u");
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
}
