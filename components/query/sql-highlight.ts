import { RESERVED_WORDS } from "@/server/s3/select/sql/tokens.ts";

export type SqlTokenKind = "keyword" | "function" | "string" | "number" | "timestamp" | "quoted" | "identifier" | "operator" | "space" | "other";

export interface SqlSegment {
  kind: SqlTokenKind;
  text: string;
  /** Offset of the segment in the query. */
  start: number;
}

/**
 * Splits a query into coloured segments for the editor. Unlike the server's
 * lexer it never throws: the text being typed is often incomplete (an open
 * quote colours to the end). The keywords are the lexer's own reserved words.
 */
export function highlightSql(sql: string): SqlSegment[] {
  const out: SqlSegment[] = [];
  const pattern =
    /(\s+)|('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(`[^`]*`?)|(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_$]*)|(<>|!=|<=|>=|\|\||[()[\],.*+\-/%=<>])|(.)/gsy;
  for (let match = pattern.exec(sql); match !== null && match[0] !== ""; match = pattern.exec(sql)) {
    const text = match[0];
    const start = match.index;
    let kind: SqlTokenKind = "other";
    if (match[1]) kind = "space";
    else if (match[2]) kind = "string";
    else if (match[3]) kind = "quoted";
    else if (match[4]) kind = "timestamp";
    else if (match[5]) kind = "number";
    else if (match[6]) {
      const upper = text.toUpperCase();
      // A word followed by "(" is a call (COUNT, LOWER... are reserved words too, but read as functions).
      kind = /^\s*\(/.test(sql.slice(start + text.length)) && !["IN", "AND", "OR", "NOT"].includes(upper) ? "function" : RESERVED_WORDS.has(upper) ? "keyword" : "identifier";
    } else if (match[7]) kind = "operator";
    out.push({ kind, text, start });
  }
  return out;
}

/** The offset of a 1-based line and column (as the server reports positions), or -1 when outside the text. */
export function offsetOf(sql: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l += 1) {
    const nl = sql.indexOf("\n", offset);
    if (nl === -1) return -1;
    offset = nl + 1;
  }
  const at = offset + column - 1;
  return at <= sql.length ? at : -1;
}
