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
 * The words the grammar itself uses as keywords (parser.ts). They are all on AWS's
 * list below except TRAILING, which TRIM's syntax needs. Where an expression or a
 * token the grammar expects is missing, meeting one of these keeps the error of
 * that place (ParseExpectedExpression, ParseExpectedTokenType...); meeting any other
 * reserved word where a name belongs is ParseUnExpectedKeyword.
 */
export const GRAMMAR_KEYWORDS: ReadonlySet<string> = new Set([
  "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "IS", "NULL", "MISSING", "BETWEEN", "LIKE", "ESCAPE", "AS",
  "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "LIMIT", "TRUE", "FALSE", "SUBSTRING", "TRIM", "EXTRACT",
  "LEADING", "TRAILING", "BOTH", "FOR",
]);

/**
 * AWS's S3 Select reserved words ("Reserved keywords" page of the S3 Select SQL
 * reference, s3-select-sql-reference-keyword-list), lower-case as listed there.
 * `end-exec` cannot be lexed as one word (the `-` is an operator) and is listed only
 * for completeness.
 */
const AWS_RESERVED_WORDS = [
  "absolute", "action", "add", "all", "allocate", "alter", "and", "any", "are", "as", "asc", "assertion",
  "at", "authorization", "avg", "bag", "begin", "between", "bit", "bit_length", "blob", "bool", "boolean",
  "both", "by", "cascade", "cascaded", "case", "cast", "catalog", "char", "char_length", "character",
  "character_length", "check", "clob", "close", "coalesce", "collate", "collation", "column", "commit",
  "connect", "connection", "constraint", "constraints", "continue", "convert", "corresponding", "count",
  "create", "cross", "current", "current_date", "current_time", "current_timestamp", "current_user",
  "cursor", "date", "day", "deallocate", "dec", "decimal", "declare", "default", "deferrable", "deferred",
  "delete", "desc", "describe", "descriptor", "diagnostics", "disconnect", "distinct", "domain", "double",
  "drop", "else", "end", "end-exec", "escape", "except", "exception", "exec", "execute", "exists",
  "external", "extract", "false", "fetch", "first", "float", "for", "foreign", "found", "from", "full",
  "get", "global", "go", "goto", "grant", "group", "having", "hour", "identity", "immediate", "in",
  "indicator", "initially", "inner", "input", "insensitive", "insert", "int", "integer", "intersect",
  "interval", "into", "is", "isolation", "join", "key", "language", "last", "leading", "left", "level",
  "like", "limit", "list", "local", "lower", "match", "max", "min", "minute", "missing", "module", "month",
  "names", "national", "natural", "nchar", "next", "no", "not", "null", "nullif", "numeric", "octet_length",
  "of", "on", "only", "open", "option", "or", "order", "outer", "output", "overlaps", "pad", "partial",
  "pivot", "position", "precision", "prepare", "preserve", "primary", "prior", "privileges", "procedure",
  "public", "read", "real", "references", "relative", "restrict", "revoke", "right", "rollback", "rows",
  "schema", "scroll", "second", "section", "select", "session", "session_user", "set", "sexp", "size",
  "smallint", "some", "space", "sql", "sqlcode", "sqlerror", "sqlstate", "string", "struct", "substring",
  "sum", "symbol", "system_user", "table", "temporary", "then", "time", "timestamp", "timezone_hour",
  "timezone_minute", "to", "transaction", "translate", "trim", "true", "tuple", "union", "unique", "unknown",
  "unpivot", "update", "upper", "usage", "user", "using", "value", "values", "varchar", "varying", "view",
  "when", "whenever", "where", "with", "work", "write", "year", "zone",
] as const;

/**
 * Reserved words (upper-cased): AWS's whole list plus TRAILING. The lexer makes every
 * one of them a `keyword` token, so unquoted they can never be a name: a column, an
 * alias or a `.name` path step spelled as one is ParseUnExpectedKeyword, naming its
 * position, as in AWS. Double-quoted (`"count"`, `s."date"`) or as a bracket string
 * (`s['value']`) they are ordinary names.
 *
 * The parser still accepts them in their grammatical places: function names followed
 * by `(` (COUNT, AVG, LOWER, COALESCE, NULLIF, CHAR_LENGTH... besides the special
 * forms CAST, SUBSTRING, TRIM, EXTRACT), CAST type names (INT, STRING, TIMESTAMP...)
 * and date parts (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, TIMEZONE_HOUR,
 * TIMEZONE_MINUTE). Function names that are not on the list (DATE_ADD, DATE_DIFF,
 * TO_STRING, TO_TIMESTAMP, UTCNOW) and S3Object stay plain identifiers.
 */
export const RESERVED_WORDS: ReadonlySet<string> = new Set([
  ...AWS_RESERVED_WORDS.map((word) => word.toUpperCase()),
  ...GRAMMAR_KEYWORDS,
]);

export function describeToken(token: Token): string {
  return token.kind === "eof" ? "end of input" : `'${token.text}'`;
}
