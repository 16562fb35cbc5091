import { sqlError } from "./sql-error.ts";
import { PUNCTUATORS, RESERVED_WORDS, type SourcePosition, type Token } from "./tokens.ts";

/** AWS limit on the SQL expression of a SelectObjectContent request, in UTF-8 bytes. */
export const MAX_EXPRESSION_BYTES = 256 * 1024;

/** Ion timestamp text: `2010T`, `2010-01T`, `2010-01-01`, `2010-01-01T`, `2010-01-01T10:20[:30[.123]](Z|+hh:mm)`. */
const TIMESTAMP_TEXT =
  /^\d{4}(?:T|-\d{2}T|-\d{2}-\d{2}(?:T(?:\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)$/;

function isIdentifierStart(ch: string): boolean {
  return (ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z") || ch === "_";
}

function isIdentifierPart(ch: string): boolean {
  return isIdentifierStart(ch) || isDigit(ch) || ch === "$";
}

function isDigit(ch: string): boolean {
  return ch >= "0" && ch <= "9";
}

/**
 * Splits a query into tokens, ending with one `eof` token.
 * Throws ExpressionTooLong (before lexing), LexerInvalidChar and LexerInvalidLiteral.
 */
export function tokenize(sql: string): Token[] {
  const bytes = Buffer.byteLength(sql, "utf8");
  if (bytes > MAX_EXPRESSION_BYTES) {
    throw sqlError(
      "ExpressionTooLong",
      { line: 1, column: 1, offset: 0 },
      `the SQL expression is ${bytes} bytes, more than the ${MAX_EXPRESSION_BYTES} allowed`,
    );
  }
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (offset: number): string => sql[offset] ?? "";
  const posAt = (offset: number): SourcePosition => ({ line, column: offset - lineStart + 1, offset });

  while (i < sql.length) {
    const ch = at(i);
    if (ch === "\n" || (ch === "\r" && at(i + 1) !== "\n")) {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "\f" || ch === "\v") {
      i++;
      continue;
    }
    const start = i;
    const pos = posAt(start);

    if (isIdentifierStart(ch)) {
      while (i < sql.length && isIdentifierPart(at(i))) i++;
      const text = sql.slice(start, i);
      const upper = text.toUpperCase();
      tokens.push(
        RESERVED_WORDS.has(upper)
          ? { kind: "keyword", value: upper, text, pos }
          : { kind: "identifier", value: text, text, pos },
      );
      continue;
    }

    if (ch === '"' || ch === "'" || ch === "`") {
      // Quoted identifier, string or timestamp: the quote doubled escapes itself.
      let value = "";
      i++;
      for (;;) {
        if (i >= sql.length) {
          const what = ch === '"' ? "quoted identifier" : ch === "'" ? "string literal" : "timestamp literal";
          throw sqlError("LexerInvalidLiteral", pos, `unterminated ${what}`, sql.slice(start, start + 32));
        }
        const c = at(i);
        if (c === ch) {
          if (ch !== "`" && at(i + 1) === ch) {
            value += ch;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\n" || (c === "\r" && at(i + 1) !== "\n")) {
          line++;
          lineStart = i + 1;
        }
        value += c;
        i++;
      }
      const text = sql.slice(start, i);
      if (ch === "`") {
        if (!TIMESTAMP_TEXT.test(value)) {
          throw sqlError("LexerInvalidLiteral", pos, `invalid timestamp literal ${text}`, text);
        }
        tokens.push({ kind: "timestamp", value, text, pos });
      } else {
        tokens.push({ kind: ch === '"' ? "quotedIdentifier" : "string", value, text, pos });
      }
      continue;
    }

    if (isDigit(ch) || (ch === "." && isDigit(at(i + 1)))) {
      let decimal = false;
      while (isDigit(at(i))) i++;
      if (at(i) === "." && isDigit(at(i + 1))) {
        decimal = true;
        i++;
        while (isDigit(at(i))) i++;
      } else if (at(i) === "." && !isIdentifierStart(at(i + 1))) {
        // `1.` is a decimal; `1.foo` is left to the parser.
        decimal = true;
        i++;
      }
      if (at(i) === "e" || at(i) === "E") {
        decimal = true;
        i++;
        if (at(i) === "+" || at(i) === "-") i++;
        if (!isDigit(at(i))) {
          const text = sql.slice(start, i);
          throw sqlError("LexerInvalidLiteral", pos, `invalid number literal '${text}': exponent without digits`, text);
        }
        while (isDigit(at(i))) i++;
      }
      if (isIdentifierPart(at(i))) {
        while (isIdentifierPart(at(i))) i++;
        const text = sql.slice(start, i);
        throw sqlError("LexerInvalidLiteral", pos, `invalid number literal '${text}'`, text);
      }
      const text = sql.slice(start, i);
      tokens.push({ kind: decimal ? "decimal" : "integer", value: text, text, pos });
      continue;
    }

    const punct = PUNCTUATORS.find((p) => sql.startsWith(p, i));
    if (punct !== undefined) {
      i += punct.length;
      tokens.push({ kind: "punct", value: punct, text: punct, pos });
      continue;
    }

    const cp = sql.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(cp);
    throw sqlError(
      "LexerInvalidChar",
      pos,
      `invalid character '${char}' (U+${cp.toString(16).toUpperCase().padStart(4, "0")})`,
      char,
    );
  }
  tokens.push({ kind: "eof", value: "", text: "", pos: posAt(i) });
  return tokens;
}
