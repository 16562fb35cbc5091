/**
 * Token kinds of the S3 Select SQL dialect, as produced by lexer.ts.
 *
 * Positions are 1-based lines and columns (columns count UTF-16 code units,
 * a CR LF pair ends one line) plus the 0-based offset into the query text.
 */

export interface SourcePosition {
  line: number;
  column: number;
  offset: number;
}

export type TokenKind =
  /** An unquoted identifier that is not a reserved word; `value` is the text as written. */
  | "identifier"
  /** A double-quoted identifier; `value` is the name with `""` unescaped. */
  | "quotedIdentifier"
  /** A reserved word; `value` is upper-cased. */
  | "keyword"
  /** A single-quoted string literal; `value` is the string with `''` unescaped. */
  | "string"
  /** Digits only; `value` is the digits. */
  | "integer"
  /** A number with a fraction and/or exponent (`1.5`, `.5`, `1e3`); `value` is the text. */
  | "decimal"
  /** A backtick-quoted Ion timestamp literal (`` `2010-01-01T` ``); `value` is the text between the backticks. */
  | "timestamp"
  /** An operator or punctuation; `value` is one of PUNCTUATORS. */
  | "punct"
  /** End of input. */
  | "eof";

export interface Token {
  kind: TokenKind;
  value: string;
  /** The source text of the token, quotes included. */
  text: string;
  pos: SourcePosition;
}

/** Operators and punctuation, longest first so the lexer can match greedily. */
export const PUNCTUATORS = [
  "<>",
  "!=",
  "<=",
  ">=",
  "||",
  "(",
  ")",
  "[",
  "]",
  ",",
  ".",
  "*",
  "+",
  "-",
  "/",
  "%",
  "=",
  "<",
  ">",
] as const;

export type Punctuator = (typeof PUNCTUATORS)[number];

/**
 * Reserved words: usable as identifiers only when double-quoted. Function names
 * whose argument syntax is special (SUBSTRING, TRIM, EXTRACT, CAST) are reserved;
 * other function names (COUNT, LOWER, DATE_ADD...) are plain identifiers that the
 * parser recognises when followed by `(`.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  "SELECT",
  "FROM",
  "WHERE",
  "AND",
  "OR",
  "NOT",
  "IN",
  "IS",
  "NULL",
  "MISSING",
  "BETWEEN",
  "LIKE",
  "ESCAPE",
  "AS",
  "CASE",
  "WHEN",
  "THEN",
  "ELSE",
  "END",
  "CAST",
  "LIMIT",
  "TRUE",
  "FALSE",
  "SUBSTRING",
  "TRIM",
  "EXTRACT",
  "LEADING",
  "TRAILING",
  "BOTH",
  "FOR",
]);

export function describeToken(token: Token): string {
  return token.kind === "eof" ? "end of input" : `'${token.text}'`;
}
