import { errorOf } from "../../../../test/support/error-of.ts";
import { describe, expect, it } from "vitest";
import { AppError } from "../../../errors/app-error.ts";
import { MAX_EXPRESSION_BYTES, tokenize } from "./lexer.ts";

function kinds(sql: string): string[] {
  return tokenize(sql).map((t) => `${t.kind}:${t.value}`);
}

function lexError(sql: string): AppError {
  return errorOf(() => tokenize(sql));
}

describe("tokenize", () => {
  it("splits keywords, identifiers, punctuation and literals", () => {
    expect(kinds("select s._1, \"Name\" FROM S3Object s where x <> 'it''s' AND y != 1.5")).toEqual([
      "keyword:SELECT",
      "identifier:s",
      "punct:.",
      "identifier:_1",
      "punct:,",
      'quotedIdentifier:Name',
      "keyword:FROM",
      "identifier:S3Object",
      "identifier:s",
      "keyword:WHERE",
      "identifier:x",
      "punct:<>",
      "string:it's",
      "keyword:AND",
      "identifier:y",
      "punct:!=",
      "decimal:1.5",
      "eof:",
    ]);
  });

  it("upper-cases keywords whatever their case and keeps identifiers as written", () => {
    const tokens = tokenize("SeLeCt MyCol");
    expect(tokens[0]).toMatchObject({ kind: "keyword", value: "SELECT", text: "SeLeCt" });
    expect(tokens[1]).toMatchObject({ kind: "identifier", value: "MyCol" });
  });

  it("unescapes doubled quotes in quoted identifiers and strings; quoted reserved words are identifiers", () => {
    expect(kinds('"a""b" "select" \'\'')).toEqual(['quotedIdentifier:a"b', "quotedIdentifier:select", "string:", "eof:"]);
  });

  it("reads integers, decimals, leading-dot decimals and exponents", () => {
    expect(kinds("42 1.5 .5 1e3 2.5E-2 7.")).toEqual([
      "integer:42",
      "decimal:1.5",
      "decimal:.5",
      "decimal:1e3",
      "decimal:2.5E-2",
      "decimal:7.",
      "eof:",
    ]);
  });

  it("reads all operators, longest first", () => {
    expect(kinds("<= >= <> != < > = + - * / % ( ) [ ] , . ||")).toEqual([
      "punct:<=",
      "punct:>=",
      "punct:<>",
      "punct:!=",
      "punct:<",
      "punct:>",
      "punct:=",
      "punct:+",
      "punct:-",
      "punct:*",
      "punct:/",
      "punct:%",
      "punct:(",
      "punct:)",
      "punct:[",
      "punct:]",
      "punct:,",
      "punct:.",
      "punct:||",
      "eof:",
    ]);
  });

  it("reads backtick timestamp literals", () => {
    expect(kinds("`2010T` `2010-05T` `2010-01-01T` `2017-01-02T03:04:05.006Z` `2017-01-02T03:04+05:30`")).toEqual([
      "timestamp:2010T",
      "timestamp:2010-05T",
      "timestamp:2010-01-01T",
      "timestamp:2017-01-02T03:04:05.006Z",
      "timestamp:2017-01-02T03:04+05:30",
      "eof:",
    ]);
  });

  it("tracks line, column and offset across LF and CRLF", () => {
    const tokens = tokenize("SELECT\n  a,\r\n\tb");
    expect(tokens.map((t) => t.pos)).toEqual([
      { line: 1, column: 1, offset: 0 },
      { line: 2, column: 3, offset: 9 },
      { line: 2, column: 4, offset: 10 },
      { line: 3, column: 2, offset: 14 },
      { line: 3, column: 3, offset: 15 },
    ]);
  });

  it("counts lines inside multi-line strings", () => {
    const tokens = tokenize("'a\nb' x");
    expect(tokens[1]?.pos).toEqual({ line: 2, column: 4, offset: 6 });
  });

  it("rejects an invalid character with its position", () => {
    const error = lexError("SELECT a;");
    expect(error.code).toBe("LexerInvalidChar");
    expect(error.message).toContain("at line 1, column 9");
    expect(error.details).toEqual({ line: 1, column: 9, token: ";" });
    expect(lexError("SELECT\n  #").details).toMatchObject({ line: 2, column: 3 });
    expect(lexError("a | b").code).toBe("LexerInvalidChar");
  });

  it("rejects unterminated strings, quoted identifiers and timestamps", () => {
    for (const sql of ["SELECT 'abc", 'SELECT "abc', "SELECT `2010T"]) {
      const error = lexError(sql);
      expect(error.code).toBe("LexerInvalidLiteral");
      expect(error.details).toMatchObject({ line: 1, column: 8 });
      expect(error.message).toMatch(/^at line 1, column 8: unterminated/);
    }
  });

  it("rejects malformed numbers and timestamps", () => {
    expect(lexError("x = 1e").code).toBe("LexerInvalidLiteral");
    expect(lexError("x = 12abc").details).toMatchObject({ line: 1, column: 5, token: "12abc" });
    const error = lexError("x = `2010-1-1`");
    expect(error.code).toBe("LexerInvalidLiteral");
    expect(error.details).toMatchObject({ line: 1, column: 5 });
  });

  it("rejects an expression longer than 256 KiB before lexing", () => {
    const sql = `SELECT * FROM S3Object WHERE s = '${"x".repeat(MAX_EXPRESSION_BYTES)}'`;
    const error = lexError(sql);
    expect(error.code).toBe("ExpressionTooLong");
    expect(error.details).toEqual({ line: 1, column: 1 });
    expect(error.message).toContain("at line 1, column 1");
    // the limit counts UTF-8 bytes, and exactly the limit is fine
    expect(lexError(`'${"é".repeat(MAX_EXPRESSION_BYTES / 2)}'`).code).toBe("ExpressionTooLong");
    expect(() => tokenize(`'${"x".repeat(MAX_EXPRESSION_BYTES - 2)}'`)).not.toThrow();
  });
});
