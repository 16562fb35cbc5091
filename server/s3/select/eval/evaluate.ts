/**
 * Evaluates an expression against one record (AWS S3 Select semantics).
 *
 * - NULL/MISSING: arithmetic, comparisons, LIKE, BETWEEN and functions of MISSING give
 *   MISSING, of NULL give NULL (MISSING wins when both occur). AND/OR/NOT use
 *   three-valued logic with MISSING treated as NULL (the result is NULL, never MISSING).
 *   `IS NULL` is true for NULL and MISSING; `IS MISSING` only for MISSING.
 * - Arithmetic: INT op INT is INT (exact; `/` truncates, `%` has the dividend's sign);
 *   with a FLOAT it is FLOAT. A non-number operand -> InvalidDataType. Division or
 *   modulo by zero -> EvaluatorInvalidArguments (there is no division-by-zero code).
 * - Comparisons: see compare.ts; `=`/`<>` across types are FALSE/TRUE, ordering across
 *   types -> InvalidDataType (CSV fields are strings: CAST them).
 * - Functions with an argument of the wrong type -> IncorrectSqlFunctionArgumentType.
 * - Aggregates are read from `scope.aggregates` (see aggregates.ts); elsewhere (WHERE,
 *   non-aggregate query) they are UnsupportedSqlOperation.
 * - Not checked: INT overflow beyond 64 bits (INTs are unbounded bigints).
 */
import type {
  BinaryExpression,
  Expression,
  FunctionCall,
  InExpression,
  LikeExpression,
} from "../sql/ast.ts";
import { sqlError } from "../sql/sql-error.ts";
import type { SourcePosition } from "../sql/tokens.ts";
import { castValue } from "./cast.ts";
import { compareValues, valuesEqual } from "./compare.ts";
import { dateAdd, dateDiff, extract, formatTimestamp } from "./date-functions.ts";
import { resolvePath, resolvePathAll, type RecordScope } from "./record-scope.ts";
import { likeToRegExp, substring, trim } from "./string-functions.ts";
import { MISSING, Timestamp, isAbsent, isNumber, typeName, type Value } from "./values.ts";

export function evaluate(expr: Expression, scope: RecordScope): Value {
  switch (expr.kind) {
    case "StringLiteral":
      return expr.value;
    case "NumberLiteral":
      return expr.integer ? BigInt(expr.text) : expr.value;
    case "BooleanLiteral":
      return expr.value;
    case "NullLiteral":
      return null;
    case "MissingLiteral":
      return MISSING;
    case "TimestampLiteral": {
      const ts = Timestamp.parse(expr.text);
      if (ts === null) throw sqlError("InvalidDataType", expr.pos, `invalid timestamp \`${expr.text}\``);
      return ts;
    }
    case "Path":
      return resolvePath(expr, scope);
    case "Unary": {
      const operand = evaluate(expr.operand, scope);
      if (expr.operator === "NOT") {
        const b = truthValue(operand, expr.pos, "NOT");
        return b === null ? null : !b;
      }
      if (isAbsent(operand)) return operand;
      if (!isNumber(operand)) {
        throw sqlError("InvalidDataType", expr.pos, `unary ${expr.operator} needs a number, not ${typeName(operand)}`);
      }
      return expr.operator === "-" ? -operand : operand;
    }
    case "Binary":
      return evaluateBinary(expr, scope);
    case "Is": {
      const value = evaluate(expr.operand, scope);
      const result = expr.test === "NULL" ? isAbsent(value) : value === MISSING;
      return expr.negated ? !result : result;
    }
    case "Between": {
      const value = evaluate(expr.operand, scope);
      if (isAbsent(value)) return value;
      const low = compare(">=", value, evaluate(expr.low, scope), expr.pos);
      const high = compare("<=", value, evaluate(expr.high, scope), expr.pos);
      const both = and(asTruth(low), asTruth(high));
      return expr.negated && both !== null ? !both : both;
    }
    case "In":
      return evaluateIn(expr, scope);
    case "Like":
      return evaluateLike(expr, scope);
    case "Case": {
      const operand = expr.operand === null ? null : evaluate(expr.operand, scope);
      for (const branch of expr.branches) {
        const when = evaluate(branch.when, scope);
        const hit =
          expr.operand === null ? when === true : compare("=", operand, when, branch.pos) === true;
        if (hit) return evaluate(branch.then, scope);
      }
      return expr.otherwise === null ? null : evaluate(expr.otherwise, scope);
    }
    case "Cast":
      return castValue(evaluate(expr.operand, scope), expr.type, expr.pos);
    case "Aggregate": {
      const result = scope.aggregates?.get(expr);
      if (result === undefined) {
        throw sqlError("UnsupportedSqlOperation", expr.pos, `aggregate ${expr.name} is not allowed here`);
      }
      return result;
    }
    case "Call":
      return evaluateCall(expr, scope);
    case "Substring": {
      const text = evaluate(expr.operand, scope);
      const start = evaluate(expr.start, scope);
      const length = expr.length === null ? null : evaluate(expr.length, scope);
      const absent = firstAbsent([text, start, length ?? 0n]);
      if (absent !== undefined) return absent;
      return substring(
        stringArg(text, "SUBSTRING", expr.operand.pos),
        intArg(start, "SUBSTRING", expr.start.pos),
        length === null || expr.length === null ? null : intArg(length, "SUBSTRING", expr.length.pos),
        expr.pos,
      );
    }
    case "Trim": {
      const text = evaluate(expr.operand, scope);
      const chars = expr.characters === null ? " " : evaluate(expr.characters, scope);
      const absent = firstAbsent([text, chars]);
      if (absent !== undefined) return absent;
      return trim(
        stringArg(text, "TRIM", expr.operand.pos),
        expr.side,
        stringArg(chars, "TRIM", expr.characters?.pos ?? expr.pos),
      );
    }
    case "Extract": {
      const ts = evaluate(expr.operand, scope);
      if (isAbsent(ts)) return ts;
      return extract(expr.part, timestampArg(ts, "EXTRACT", expr.operand.pos));
    }
    case "DateAdd": {
      const quantity = evaluate(expr.quantity, scope);
      const ts = evaluate(expr.timestamp, scope);
      const absent = firstAbsent([quantity, ts]);
      if (absent !== undefined) return absent;
      const result = dateAdd(
        expr.part,
        intArg(quantity, "DATE_ADD", expr.quantity.pos),
        timestampArg(ts, "DATE_ADD", expr.timestamp.pos),
      );
      if (!(result.year >= 1 && result.year <= 9999)) {
        throw sqlError("EvaluatorInvalidArguments", expr.pos, "DATE_ADD result is outside years 1 to 9999");
      }
      return result;
    }
    case "DateDiff": {
      const from = evaluate(expr.from, scope);
      const to = evaluate(expr.to, scope);
      const absent = firstAbsent([from, to]);
      if (absent !== undefined) return absent;
      return dateDiff(
        expr.part,
        timestampArg(from, "DATE_DIFF", expr.from.pos),
        timestampArg(to, "DATE_DIFF", expr.to.pos),
      );
    }
  }
}

/** MISSING if any value is MISSING, else NULL if any is NULL, else undefined. */
function firstAbsent(values: Value[]): null | typeof MISSING | undefined {
  if (values.includes(MISSING)) return MISSING;
  if (values.includes(null)) return null;
  return undefined;
}

function argumentError(fn: string, expected: string, value: Value, pos: SourcePosition): never {
  throw sqlError(
    "IncorrectSqlFunctionArgumentType",
    pos,
    `${fn} expects ${expected}, not ${typeName(value)}`,
  );
}

function stringArg(value: Value, fn: string, pos: SourcePosition): string {
  return typeof value === "string" ? value : argumentError(fn, "a STRING", value, pos);
}

function intArg(value: Value, fn: string, pos: SourcePosition): number {
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number" && Number.isInteger(value)) return value;
  return argumentError(fn, "an INT", value, pos);
}

function timestampArg(value: Value, fn: string, pos: SourcePosition): Timestamp {
  return value instanceof Timestamp ? value : argumentError(fn, "a TIMESTAMP", value, pos);
}

/** A boolean operand of AND/OR/NOT: true, false or null (NULL and MISSING). */
function truthValue(value: Value, pos: SourcePosition, op: string): boolean | null {
  if (isAbsent(value)) return null;
  if (typeof value === "boolean") return value;
  throw sqlError("InvalidDataType", pos, `${op} needs a BOOL, not ${typeName(value)}`);
}

/** The truth of a comparison result (NULL/MISSING -> null). */
function asTruth(value: Value): boolean | null {
  return typeof value === "boolean" ? value : null;
}

function and(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  if (a === null || b === null) return null;
  return true;
}

function or(a: boolean | null, b: boolean | null): boolean | null {
  if (a === true || b === true) return true;
  if (a === null || b === null) return null;
  return false;
}

/** A comparison; NULL/MISSING as documented above. */
export function compare(op: string, a: Value, b: Value, pos: SourcePosition): Value {
  const absent = firstAbsent([a, b]);
  if (absent !== undefined) return absent;
  if (op === "=") return valuesEqual(a, b);
  if (op === "<>") return !valuesEqual(a, b);
  const c = compareValues(a, b);
  if (c === null) {
    throw sqlError("InvalidDataType", pos, `cannot compare ${typeName(a)} and ${typeName(b)} with ${op}`);
  }
  switch (op) {
    case "<":
      return c < 0;
    case ">":
      return c > 0;
    case "<=":
      return c <= 0;
    default:
      return c >= 0;
  }
}

function evaluateBinary(expr: BinaryExpression, scope: RecordScope): Value {
  const op = expr.operator;
  if (op === "AND" || op === "OR") {
    const left = truthValue(evaluate(expr.left, scope), expr.left.pos, op);
    // Short-circuit: FALSE AND x, TRUE OR x.
    if (op === "AND" && left === false) return false;
    if (op === "OR" && left === true) return true;
    const right = truthValue(evaluate(expr.right, scope), expr.right.pos, op);
    return op === "AND" ? and(left, right) : or(left, right);
  }
  const left = evaluate(expr.left, scope);
  const right = evaluate(expr.right, scope);
  if (op === "=" || op === "<>" || op === "<" || op === ">" || op === "<=" || op === ">=") {
    return compare(op, left, right, expr.operatorPos);
  }
  const absent = firstAbsent([left, right]);
  if (absent !== undefined) return absent;
  if (!isNumber(left) || !isNumber(right)) {
    throw sqlError(
      "InvalidDataType",
      expr.operatorPos,
      `operator ${op} needs numbers, not ${typeName(left)} and ${typeName(right)}`,
    );
  }
  if ((op === "/" || op === "%") && Number(right) === 0) {
    throw sqlError("EvaluatorInvalidArguments", expr.operatorPos, "division by zero");
  }
  if (typeof left === "bigint" && typeof right === "bigint") {
    switch (op) {
      case "+":
        return left + right;
      case "-":
        return left - right;
      case "*":
        return left * right;
      case "/":
        return left / right;
      case "%":
        return left % right;
    }
  }
  const x = Number(left);
  const y = Number(right);
  switch (op) {
    case "+":
      return x + y;
    case "-":
      return x - y;
    case "*":
      return x * y;
    case "/":
      return x / y;
    case "%":
      return x % y;
  }
}

function evaluateIn(expr: InExpression, scope: RecordScope): Value {
  const value = evaluate(expr.operand, scope);
  if (isAbsent(value)) return value;
  const candidates =
    expr.target.kind === "List"
      ? expr.target.items.map((item) => evaluate(item, scope))
      : resolvePathAll(expr.target, scope);
  let result: boolean | null = false;
  for (const candidate of candidates) {
    const eq = compare("=", value, candidate, expr.pos);
    if (eq === true) {
      result = true;
      break;
    }
    if (isAbsent(eq)) result = null;
  }
  return expr.negated && result !== null ? !result : result;
}

function evaluateLike(expr: LikeExpression, scope: RecordScope): Value {
  const value = evaluate(expr.operand, scope);
  const pattern = evaluate(expr.pattern, scope);
  const escape = expr.escape === null ? null : evaluate(expr.escape, scope);
  const absent = firstAbsent([value, pattern, escape ?? ""]);
  if (absent !== undefined) return absent;
  const text = stringArg(value, "LIKE", expr.operand.pos);
  const regexp = likeToRegExp(
    stringArg(pattern, "LIKE", expr.pattern.pos),
    escape === null || expr.escape === null ? null : stringArg(escape, "LIKE", expr.escape.pos),
    expr.pattern.pos,
  );
  const matched = regexp.test(text);
  return expr.negated ? !matched : matched;
}

function evaluateCall(expr: FunctionCall, scope: RecordScope): Value {
  const args = expr.arguments.map((arg) => evaluate(arg, scope));
  const argPos = (i: number): SourcePosition => expr.arguments[i]?.pos ?? expr.pos;
  switch (expr.name) {
    case "COALESCE":
      return args.find((arg) => !isAbsent(arg)) ?? null;
    case "NULLIF": {
      const [a = null, b = null] = args;
      // AWS: NULLIF(MISSING, x) is NULL (as NULLIF(NULL, x)), never MISSING.
      if (a === MISSING) return null;
      return compare("=", a, b, expr.pos) === true ? null : a;
    }
    case "UTCNOW":
      return Timestamp.fromDate(scope.now);
    default:
      break;
  }
  const absent = firstAbsent(args);
  if (absent !== undefined) return absent;
  const first = args[0] ?? null;
  switch (expr.name) {
    case "CHAR_LENGTH":
    case "CHARACTER_LENGTH":
      return BigInt([...stringArg(first, expr.name, argPos(0))].length);
    case "LOWER":
      return stringArg(first, expr.name, argPos(0)).toLowerCase();
    case "UPPER":
      return stringArg(first, expr.name, argPos(0)).toUpperCase();
    case "TO_TIMESTAMP": {
      const text = stringArg(first, expr.name, argPos(0));
      const ts = Timestamp.parse(text.trim());
      if (ts === null) throw sqlError("CastFailed", argPos(0), `'${text}' is not a timestamp`);
      return ts;
    }
    case "TO_STRING":
      return formatTimestamp(
        timestampArg(first, expr.name, argPos(0)),
        stringArg(args[1] ?? null, expr.name, argPos(1)),
        argPos(1),
      );
  }
}
