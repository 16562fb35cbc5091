/**
 * The AST of an S3 Select query, as produced by parser.ts.
 *
 * Every node has a `kind` (the discriminant) and the `pos` of its first token
 * (for an operator node, its left operand; parentheses are not nodes, so a
 * parenthesised expression has the position of its first inner token), so an
 * evaluator can report errors at the right line and column.
 */
import type { SourcePosition } from "./tokens.ts";

export type { SourcePosition };

// ---------------------------------------------------------------------------
// Statement

/** `SELECT projection FROM from [WHERE where] [LIMIT limit]`. */
export interface SelectStatement {
  kind: "Select";
  pos: SourcePosition;
  projection: Projection;
  from: FromClause;
  /** The filter, or null without WHERE. A record passes when it evaluates to TRUE (not NULL/MISSING). */
  where: Expression | null;
  /** The maximum number of records to emit, or null without LIMIT. */
  limit: LimitClause | null;
}

export type Projection = SelectAll | SelectList;

/** `SELECT *`: every field of each record, as is. */
export interface SelectAll {
  kind: "SelectAll";
  pos: SourcePosition;
}

/** `SELECT e1 [AS a1], e2 ...`: one output field per item, in order. */
export interface SelectList {
  kind: "SelectList";
  pos: SourcePosition;
  items: SelectItem[];
}

/**
 * One projected expression. `alias` names the output field; without one the
 * evaluator derives the name (a path's last field name, else `_N` by position).
 */
export interface SelectItem {
  kind: "SelectItem";
  pos: SourcePosition;
  expression: Expression;
  alias: Identifier | null;
}

/**
 * `FROM S3Object[path] [[AS] alias]`. The source is always S3Object (the object's
 * records); `path` (JSON only) navigates into each document before the query runs,
 * a wildcard step fanning out one record per element/member. `alias` names the
 * record in expressions (`s._1`, `s.name`).
 */
export interface FromClause {
  kind: "From";
  pos: SourcePosition;
  /** The `S3Object` identifier as written. */
  source: Identifier;
  path: PathStep[];
  alias: Identifier | null;
}

/** `LIMIT n`, n a non-negative integer literal. */
export interface LimitClause {
  kind: "Limit";
  pos: SourcePosition;
  /** Safe-integer value (larger literals are clamped to Number.MAX_SAFE_INTEGER). */
  value: number;
}

// ---------------------------------------------------------------------------
// Names and paths

/**
 * A name. Unquoted (`quoted: false`) names match case-insensitively; quoted ones
 * (`"Name"`, `quoted: true`) match exactly. `name` is the text without quotes, `""` unescaped.
 */
export interface Identifier {
  kind: "Identifier";
  pos: SourcePosition;
  name: string;
  quoted: boolean;
}

export type PathStep = FieldStep | IndexStep | WildcardStep;

/**
 * Member access: `.name` (quoted false), `."Name"` or `['Name']` (quoted true).
 * `syntax` tells which form was written.
 */
export interface FieldStep {
  kind: "FieldStep";
  pos: SourcePosition;
  name: string;
  quoted: boolean;
  syntax: "dot" | "bracket";
}

/** Array element `[n]`, 0-based. */
export interface IndexStep {
  kind: "IndexStep";
  pos: SourcePosition;
  index: number;
}

/** `[*]` (every array element) or `.*` (every member value of a struct). */
export interface WildcardStep {
  kind: "WildcardStep";
  pos: SourcePosition;
  syntax: "bracket" | "dot";
}

/**
 * A column reference / path expression: `_1`, `name`, `"Name"`, `s._2`, `s.a.b[0]`, `s.arr[*]`.
 * The evaluator resolves `root`: the FROM alias (if it matches) is the current
 * record, so `s.a` is field `a` of the record; `_N` is the N-th column (CSV) and
 * any other name is a field of the record. `steps` then navigate into it.
 */
export interface PathExpression {
  kind: "Path";
  pos: SourcePosition;
  root: Identifier;
  steps: PathStep[];
}

// ---------------------------------------------------------------------------
// Expressions

export type Expression =
  | Literal
  | PathExpression
  | UnaryExpression
  | BinaryExpression
  | IsExpression
  | BetweenExpression
  | InExpression
  | LikeExpression
  | CaseExpression
  | CastExpression
  | AggregateCall
  | FunctionCall
  | SubstringCall
  | TrimCall
  | ExtractCall
  | DateAddCall
  | DateDiffCall;

export type Literal =
  | StringLiteral
  | NumberLiteral
  | BooleanLiteral
  | NullLiteral
  | MissingLiteral
  | TimestampLiteral;

/** `'text'`; `value` has `''` unescaped. */
export interface StringLiteral {
  kind: "StringLiteral";
  pos: SourcePosition;
  value: string;
}

/**
 * `42`, `1.5`, `.5`, `1e3`. `integer` is true for digits only (an INT; otherwise
 * a decimal/float). `text` is kept so an evaluator can use exact decimal or bigint
 * arithmetic; `value` is `Number(text)`.
 */
export interface NumberLiteral {
  kind: "NumberLiteral";
  pos: SourcePosition;
  text: string;
  value: number;
  integer: boolean;
}

/** `TRUE` / `FALSE`. */
export interface BooleanLiteral {
  kind: "BooleanLiteral";
  pos: SourcePosition;
  value: boolean;
}

/** `NULL`. */
export interface NullLiteral {
  kind: "NullLiteral";
  pos: SourcePosition;
}

/** `MISSING`: the absent value (a field that does not exist). */
export interface MissingLiteral {
  kind: "MissingLiteral";
  pos: SourcePosition;
}

/**
 * `` `2010-01-01T` ``: an Ion timestamp literal (as in the AWS date function
 * examples). `text` is between the backticks, already checked against the Ion
 * timestamp shape (year, month, day precision, or time with an offset).
 */
export interface TimestampLiteral {
  kind: "TimestampLiteral";
  pos: SourcePosition;
  text: string;
}

/** `-x`, `+x` (numeric) and `NOT x` (three-valued logic). */
export interface UnaryExpression {
  kind: "Unary";
  pos: SourcePosition;
  operator: "-" | "+" | "NOT";
  operand: Expression;
}

/**
 * Binary operators. `!=` is normalised to `<>`. Comparison of NULL/MISSING yields
 * NULL/MISSING; AND/OR use three-valued logic.
 */
export type BinaryOperator = "OR" | "AND" | "=" | "<>" | "<" | ">" | "<=" | ">=" | "+" | "-" | "*" | "/" | "%";

export interface BinaryExpression {
  kind: "Binary";
  /** The position of the left operand. */
  pos: SourcePosition;
  /** The position of the operator, for errors such as a division by zero. */
  operatorPos: SourcePosition;
  operator: BinaryOperator;
  left: Expression;
  right: Expression;
}

/** `x IS [NOT] NULL` / `x IS [NOT] MISSING`: never NULL itself. */
export interface IsExpression {
  kind: "Is";
  pos: SourcePosition;
  operand: Expression;
  test: "NULL" | "MISSING";
  negated: boolean;
}

/** `x [NOT] BETWEEN low AND high`: low <= x AND x <= high (bounds inclusive). */
export interface BetweenExpression {
  kind: "Between";
  pos: SourcePosition;
  operand: Expression;
  low: Expression;
  high: Expression;
  negated: boolean;
}

/**
 * `x [NOT] IN (e1, e2...)` (target a `List`) or `x IN s.arr[*]` (target a path:
 * membership in the values the path yields).
 */
export interface InExpression {
  kind: "In";
  pos: SourcePosition;
  operand: Expression;
  target: InList | PathExpression;
  negated: boolean;
}

/** The parenthesised value list of IN; never empty. */
export interface InList {
  kind: "List";
  pos: SourcePosition;
  items: Expression[];
}

/** `x [NOT] LIKE pattern [ESCAPE 'c']`: `%` any run, `_` one character. */
export interface LikeExpression {
  kind: "Like";
  pos: SourcePosition;
  operand: Expression;
  pattern: Expression;
  escape: Expression | null;
  negated: boolean;
}

/**
 * `CASE [operand] WHEN w THEN t ... [ELSE e] END`. With `operand` (simple CASE)
 * the first branch whose `when` equals it wins; without (searched CASE) the first
 * `when` that is TRUE. No branch and no ELSE gives NULL.
 */
export interface CaseExpression {
  kind: "Case";
  pos: SourcePosition;
  operand: Expression | null;
  branches: CaseBranch[];
  otherwise: Expression | null;
}

export interface CaseBranch {
  kind: "CaseBranch";
  pos: SourcePosition;
  when: Expression;
  then: Expression;
}

/** Target types of CAST, synonyms normalised (BOOLEAN→BOOL, INTEGER→INT, NUMERIC→DECIMAL). */
export type SqlTypeName = "BOOL" | "INT" | "STRING" | "FLOAT" | "DECIMAL" | "TIMESTAMP";

export interface SqlType {
  kind: "Type";
  pos: SourcePosition;
  name: SqlTypeName;
  /** The type name as written. */
  text: string;
  /** DECIMAL(p[, s]) only; null otherwise. */
  precision: number | null;
  scale: number | null;
}

/** `CAST(x AS type)`. */
export interface CastExpression {
  kind: "Cast";
  pos: SourcePosition;
  operand: Expression;
  type: SqlType;
}

export type AggregateName = "AVG" | "COUNT" | "MAX" | "MIN" | "SUM";

/**
 * An aggregate over all records that pass WHERE. `argument` is null for
 * `COUNT(*)` (count of records); otherwise NULL/MISSING values are skipped.
 */
export interface AggregateCall {
  kind: "Aggregate";
  pos: SourcePosition;
  name: AggregateName;
  argument: Expression | null;
}

/** Scalar functions with ordinary comma-separated arguments (arity checked by the parser). */
export type ScalarFunctionName =
  | "COALESCE"
  | "NULLIF"
  | "TO_STRING"
  | "TO_TIMESTAMP"
  | "UTCNOW"
  | "CHAR_LENGTH"
  | "CHARACTER_LENGTH"
  | "LOWER"
  | "UPPER";

/**
 * `name(args)`. COALESCE(a, ...) first non-NULL/MISSING; NULLIF(a, b) NULL when
 * equal else a; TO_STRING(ts, fmt); TO_TIMESTAMP(s); UTCNOW(); CHAR_LENGTH /
 * CHARACTER_LENGTH(s) (same function); LOWER(s); UPPER(s).
 */
export interface FunctionCall {
  kind: "Call";
  pos: SourcePosition;
  name: ScalarFunctionName;
  arguments: Expression[];
}

/**
 * `SUBSTRING(s FROM start [FOR length])` or `SUBSTRING(s, start [, length])`:
 * 1-based start; no length means to the end.
 */
export interface SubstringCall {
  kind: "Substring";
  pos: SourcePosition;
  operand: Expression;
  start: Expression;
  length: Expression | null;
}

/**
 * `TRIM([[LEADING|TRAILING|BOTH] [chars] FROM] s)`: `side` defaults to BOTH,
 * `characters` null means spaces.
 */
export interface TrimCall {
  kind: "Trim";
  pos: SourcePosition;
  side: "LEADING" | "TRAILING" | "BOTH";
  characters: Expression | null;
  operand: Expression;
}

/** Date parts of DATE_ADD and DATE_DIFF (lower-case, as the AWS reference writes them). */
export type DatePart = "year" | "month" | "day" | "hour" | "minute" | "second";

/** Parts EXTRACT accepts: the date parts plus the timestamp's offset. */
export type ExtractPart = DatePart | "timezone_hour" | "timezone_minute";

/** `EXTRACT(part FROM ts)`: an integer. */
export interface ExtractCall {
  kind: "Extract";
  pos: SourcePosition;
  part: ExtractPart;
  operand: Expression;
}

/** `DATE_ADD(part, quantity, ts)`: ts plus quantity parts. */
export interface DateAddCall {
  kind: "DateAdd";
  pos: SourcePosition;
  part: DatePart;
  quantity: Expression;
  timestamp: Expression;
}

/** `DATE_DIFF(part, from, to)`: whole parts from `from` to `to`. */
export interface DateDiffCall {
  kind: "DateDiff";
  pos: SourcePosition;
  part: DatePart;
  from: Expression;
  to: Expression;
}

export type Node =
  | SelectStatement
  | SelectAll
  | SelectList
  | SelectItem
  | FromClause
  | LimitClause
  | Identifier
  | PathStep
  | PathExpression
  | Expression
  | InList
  | CaseBranch
  | SqlType;
