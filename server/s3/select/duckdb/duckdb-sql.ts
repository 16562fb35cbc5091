/**
 * Writes DuckDB SQL for the part of an S3 Select query over CSV that DuckDB
 * can answer with exactly S3 Select's results, from Herald's own syntax tree
 * (never from the query text, so nothing in a query reaches DuckDB except
 * literals Herald quotes itself).
 *
 * DuckDB sees each record as one line (`line`) and splits it on the field
 * delimiter (`f`), which is exactly how S3 Select splits a record that holds
 * no quote character. Everything DuckDB could get subtly different is either
 * refused here (the query then runs on the JavaScript evaluator) or marked
 * per record as `js`: records with a quote character, and records whose cast
 * inputs are not in the one canonical form both engines read identically
 * (`12`, not ` 12` or `12.9`). A `js` record is handed back as its raw line
 * and evaluated by the JavaScript evaluator, in order, so the results are the
 * evaluator's own.
 *
 * Typed statically: a CSV field is a string (NULL in DuckDB only when the
 * record has no such field, i.e. MISSING), casts give INT (BIGINT), FLOAT
 * (DOUBLE) or BOOL. Supported: fields by position or header name, string,
 * integer, float and boolean literals, CAST to INT/FLOAT/DECIMAL (no scale)/
 * BOOL/STRING, comparisons (strings: = and <> only, since DuckDB orders UTF-8
 * bytes and JavaScript UTF-16 units), AND/OR/NOT, BETWEEN, IN lists, LIKE
 * without ESCAPE; projections of fields, casts and literals; aggregates
 * COUNT, and SUM/AVG/MIN/MAX of INTs (MIN/MAX of FLOATs too). Anything else:
 * no plan.
 */
import type { AggregateCall, Expression, PathExpression, SelectItem, SelectStatement } from "../sql/ast.ts";

export type SqlKind = "string" | "int" | "float" | "bool";

interface Translated {
  sql: string;
  kind: SqlKind;
}

export interface CsvShape {
  fieldDelimiter: string;
  quote: string;
  /** Column names from the header (FileHeaderInfo USE), else null. */
  headers: readonly string[] | null;
  alias: { name: string; quoted: boolean };
}

/** CSV output options, for formatting records inside DuckDB. */
export interface CsvOutputFormat {
  fieldDelimiter: string;
  recordDelimiter: string;
  quote: string;
  escape: string;
  always: boolean;
}

export interface DuckdbQuery {
  kind: "rows" | "aggregate";
  /** Rows are `raw, out`: DuckDB wrote each record's CSV output text itself (exactly as csv-output.ts would). */
  formatted: boolean;
  /** SQL over a relation `src(line VARCHAR)`: rows are `raw` (the line when it must be evaluated in JavaScript, else NULL) then one column per item; an aggregate query yields one row. */
  selectSql: string;
  /** Per output column, how to turn DuckDB's value into the evaluator's (a NULL is MISSING for rows). */
  columns: SqlKind[];
  /** For aggregates: how each item's result is assembled from DuckDB columns. */
  aggregates?: AggregateOutput[];
}

export type AggregateOutput = { op: "value"; column: number } | { op: "avg"; sumColumn: number; countColumn: number };

/** Marks the translation as impossible; caught by planDuckdbQuery. */
class NoPlan extends Error {}
const noPlan = (): never => {
  throw new NoPlan();
};

export const NEEDS_JS_ERROR = "herald: record needs the JavaScript evaluator";

/**
 * A number is read by DuckDB only when its text is exactly what DuckDB prints
 * for the value it parses (`12`, `-3`, `1.5`): text like that means the same
 * number to both engines, so the check is exact without a regular expression
 * (which cost more than the rest of the scan). Other spellings (`+5`, `007`,
 * ` 12`, `12.9` cast to INT) are left to the evaluator.
 */
function canonicalInt(sql: string, asInt: string): string {
  return `(${sql} IS NULL OR coalesce(CAST(${asInt} AS VARCHAR) = ${sql}, false))`;
}
const MAX_EXACT_DOUBLE_INT = 2n ** 53n;

export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function namesMatch(written: string, quoted: boolean, actual: string): boolean {
  return quoted ? written === actual : written.toLowerCase() === actual.toLowerCase();
}

class Translator {
  /** Conditions under which DuckDB's reading of a record equals the evaluator's. */
  readonly guards = new Set<string>();
  /** Fields the query reads (1-based), each extracted once as column `v<n>`. */
  readonly fields = new Set<number>();
  /** Casts computed once per record as named columns (a cast used in a guard, WHERE and SELECT is parsed once): SQL -> name. */
  readonly casts = new Map<string, string>();

  private castColumn(sql: string): string {
    let name = this.casts.get(sql);
    if (name === undefined) {
      name = `c${this.casts.size}`;
      this.casts.set(sql, name);
    }
    return name;
  }

  constructor(private readonly shape: CsvShape) {}

  column(path: PathExpression): Translated {
    const { root, steps } = path;
    const alias = this.shape.alias;
    const isAlias = root.quoted || alias.quoted ? root.name === alias.name : root.name.toLowerCase() === alias.name.toLowerCase();
    let name: string;
    let quoted: boolean;
    if (isAlias) {
      const [first, ...rest] = steps;
      if (first === undefined || first.kind !== "FieldStep" || rest.length > 0) return noPlan();
      name = first.name;
      quoted = first.quoted;
    } else {
      if (steps.length > 0) return noPlan();
      name = root.name;
      quoted = root.quoted;
    }
    let index: number | undefined;
    const headers = this.shape.headers;
    if (headers !== null) {
      const matches = headers.flatMap((header, i) => (namesMatch(name, quoted, header) ? [i] : []));
      // Ambiguity is an error the evaluator reports with its position.
      if (matches.length > 1) return noPlan();
      index = matches[0];
    }
    if (index === undefined) {
      const positional = /^_([1-9]\d{0,5})$/.exec(name);
      if (positional?.[1] === undefined) return noPlan();
      index = Number(positional[1]) - 1;
    }
    this.fields.add(index + 1);
    return { sql: `v${index + 1}`, kind: "string" };
  }

  expression(expr: Expression): Translated {
    switch (expr.kind) {
      case "Path":
        return this.column(expr);
      case "StringLiteral":
        return { sql: sqlString(expr.value), kind: "string" };
      case "NumberLiteral": {
        if (expr.integer) {
          const value = BigInt(expr.text);
          if (value >= 2n ** 63n) return noPlan();
          return { sql: `${value}::BIGINT`, kind: "int" };
        }
        if (!Number.isFinite(expr.value)) return noPlan();
        return { sql: `${String(expr.value)}::DOUBLE`, kind: "float" };
      }
      case "BooleanLiteral":
        return { sql: expr.value ? "true" : "false", kind: "bool" };
      case "Cast":
        return this.cast(this.expression(expr.operand), expr.type.name, expr.type.scale);
      case "Unary": {
        if (expr.operator !== "NOT") return noPlan();
        const operand = this.expression(expr.operand);
        if (operand.kind !== "bool") return noPlan();
        return { sql: `(NOT ${operand.sql})`, kind: "bool" };
      }
      case "Binary":
        return this.binary(expr.operator, this.expression(expr.left), this.expression(expr.right), expr.left, expr.right);
      case "Between": {
        const operand = this.expression(expr.operand);
        const low = this.comparison(">=", operand, this.expression(expr.low), expr.operand, expr.low);
        const high = this.comparison("<=", operand, this.expression(expr.high), expr.operand, expr.high);
        const both = `(${low.sql} AND ${high.sql})`;
        return { sql: expr.negated ? `(NOT ${both})` : both, kind: "bool" };
      }
      case "In": {
        if (expr.target.kind !== "List") return noPlan();
        const operand = this.expression(expr.operand);
        const items = expr.target.items.map((item) => {
          if (item.kind !== "StringLiteral" && item.kind !== "NumberLiteral") return noPlan();
          return this.coerceLiteral(this.expression(item), item, operand.kind);
        });
        if (operand.kind === "bool") return noPlan();
        const sql = `(${operand.sql} ${expr.negated ? "NOT IN" : "IN"} (${items.map((i) => i.sql).join(", ")}))`;
        return { sql, kind: "bool" };
      }
      case "Like": {
        if (expr.escape !== null || expr.pattern.kind !== "StringLiteral") return noPlan();
        const operand = this.expression(expr.operand);
        if (operand.kind !== "string") return noPlan();
        return { sql: `(${operand.sql} ${expr.negated ? "NOT LIKE" : "LIKE"} ${sqlString(expr.pattern.value)})`, kind: "bool" };
      }
      default:
        return noPlan();
    }
  }

  private cast(operand: Translated, type: string, scale: number | null): Translated {
    const { sql, kind } = operand;
    switch (type) {
      case "STRING":
        return kind === "string" ? operand : noPlan();
      case "INT": {
        if (kind === "int") return operand;
        if (kind !== "string") return noPlan();
        const asInt = this.castColumn(`TRY_CAST(${sql} AS BIGINT)`);
        this.guards.add(canonicalInt(sql, asInt));
        return { sql: asInt, kind: "int" };
      }
      case "FLOAT":
      case "DECIMAL": {
        if (type === "DECIMAL" && scale !== null) return noPlan();
        if (kind === "float") return operand;
        if (kind === "int") return { sql: `CAST(${sql} AS DOUBLE)`, kind: "float" };
        if (kind !== "string") return noPlan();
        const asInt = this.castColumn(`TRY_CAST(${sql} AS BIGINT)`);
        const asDouble = this.castColumn(`TRY_CAST(${sql} AS DOUBLE)`);
        this.guards.add(`(${canonicalInt(sql, asInt)} OR coalesce(isfinite(${asDouble}) AND CAST(${asDouble} AS VARCHAR) = ${sql}, false))`);
        return { sql: asDouble, kind: "float" };
      }
      case "BOOL":
        if (kind === "bool") return operand;
        if (kind !== "string") return noPlan();
        this.guards.add(`(${sql} IS NULL OR coalesce(lower(${sql}) IN ('true', 'false'), false))`);
        return { sql: `(lower(${sql}) = 'true')`, kind: "bool" };
      default:
        return noPlan();
    }
  }

  /** An INT literal compared with a FLOAT becomes a DOUBLE when that is exact. */
  private coerceLiteral(value: Translated, node: Expression, want: SqlKind): Translated {
    if (value.kind === want) return value;
    if (want === "float" && value.kind === "int" && node.kind === "NumberLiteral") {
      const n = BigInt(node.text);
      if (n < MAX_EXACT_DOUBLE_INT && n > -MAX_EXACT_DOUBLE_INT) return { sql: `${n}::DOUBLE`, kind: "float" };
    }
    return noPlan();
  }

  private comparison(op: string, left: Translated, right: Translated, leftNode: Expression, rightNode: Expression): Translated {
    if (left.kind !== right.kind) {
      if (left.kind === "float") right = this.coerceLiteral(right, rightNode, "float");
      else if (right.kind === "float") left = this.coerceLiteral(left, leftNode, "float");
      else return noPlan();
    }
    if ((left.kind === "string" || left.kind === "bool") && op !== "=" && op !== "<>") return noPlan();
    return { sql: `(${left.sql} ${op} ${right.sql})`, kind: "bool" };
  }

  private binary(op: string, left: Translated, right: Translated, leftNode: Expression, rightNode: Expression): Translated {
    if (op === "AND" || op === "OR") {
      if (left.kind !== "bool" || right.kind !== "bool") return noPlan();
      return { sql: `(${left.sql} ${op} ${right.sql})`, kind: "bool" };
    }
    if (["=", "<>", "<", ">", "<=", ">="].includes(op)) return this.comparison(op, left, right, leftNode, rightNode);
    return noPlan();
  }
}

function aggregate(translator: Translator, call: AggregateCall, columns: string[], kinds: SqlKind[]): AggregateOutput {
  const add = (sql: string, kind: SqlKind): number => {
    columns.push(sql);
    kinds.push(kind);
    return columns.length - 1;
  };
  if (call.name === "COUNT") {
    if (call.argument === null) return { op: "value", column: add("count(*)", "int") };
    const argument = translator.expression(call.argument);
    return { op: "value", column: add(`count(${argument.sql})`, "int") };
  }
  if (call.argument === null) return noPlan();
  const argument = translator.expression(call.argument);
  switch (call.name) {
    case "SUM":
      if (argument.kind !== "int") return noPlan();
      return { op: "value", column: add(`sum(${argument.sql})`, "int") };
    case "AVG":
      if (argument.kind !== "int") return noPlan();
      return { op: "avg", sumColumn: add(`sum(${argument.sql})`, "int"), countColumn: add(`count(${argument.sql})`, "int") };
    case "MIN":
    case "MAX":
      if (argument.kind !== "int" && argument.kind !== "float") return noPlan();
      return { op: "value", column: add(`${call.name.toLowerCase()}(${argument.sql})`, argument.kind) };
  }
}

/**
 * The DuckDB query for a statement, or null when DuckDB cannot be trusted to
 * give S3 Select's exact result for it. `lines` is the SQL of the relation of
 * record lines (a read_csv call over the object's bytes).
 */
export function planDuckdbQuery(
  statement: SelectStatement,
  shape: CsvShape,
  comment: string | undefined,
  csvOutput?: CsvOutputFormat,
): DuckdbQuery | null {
  if (statement.from.path.length > 0 || statement.projection.kind !== "SelectList") return null;
  try {
    const translator = new Translator(shape);
    const where = statement.where === null ? null : translator.expression(statement.where);
    if (where !== null && where.kind !== "bool") return null;
    const items = statement.projection.items;
    const isAggregate = items.some((item) => item.expression.kind === "Aggregate");
    const columns: string[] = [];
    const kinds: SqlKind[] = [];
    let aggregates: AggregateOutput[] | undefined;
    if (isAggregate) {
      aggregates = items.map((item: SelectItem) => (item.expression.kind === "Aggregate" ? aggregate(translator, item.expression, columns, kinds) : noPlan()));
    } else {
      for (const item of items) {
        const value = translator.expression(item.expression);
        columns.push(value.sql);
        kinds.push(value.kind);
      }
    }
    // Every guard is TRUE or FALSE, never NULL, so `js` is too.
    const needsJs = [`contains(line, ${sqlString(shape.quote)})`, ...[...translator.guards].map((guard) => `NOT ${guard}`)].join(" OR ");
    const skipped = comment === undefined ? "" : ` AND NOT starts_with(line, ${sqlString(comment)})`;
    // Split once, extract each field once, cast each field once: then the guards, WHERE and SELECT share them.
    const records = `(SELECT line, string_split(line, ${sqlString(shape.fieldDelimiter)}) AS f FROM src WHERE line IS NOT NULL AND line <> ''${skipped})`;
    const fieldColumns = [...translator.fields].map((n) => `, f[${n}] AS v${n}`).join("");
    const fields = `(SELECT line${fieldColumns} FROM ${records})`;
    const castColumns = [...translator.casts].map(([sql, name]) => `${sql} AS ${name}`);
    const casts = castColumns.length === 0 ? fields : `(SELECT *, ${castColumns.join(", ")} FROM ${fields})`;
    const marked = `(SELECT *, (${needsJs}) AS js FROM ${casts})`;
    if (aggregates !== undefined) {
      // One record DuckDB cannot read exactly stops the scan: the evaluator then runs the whole query.
      const filter = `CASE WHEN js THEN error(${sqlString(NEEDS_JS_ERROR)})::BOOLEAN ELSE ${where?.sql ?? "true"} END`;
      return { kind: "aggregate", formatted: false, selectSql: `SELECT ${columns.join(", ")} FROM ${marked} WHERE ${filter}`, columns: kinds, aggregates };
    }
    const filter = where === null ? "" : ` WHERE js OR ${where.sql}`;
    // Strings and INTs print the same in both engines; FLOAT and BOOL text is left to JavaScript.
    if (csvOutput !== undefined && kinds.every((kind) => kind === "string" || kind === "int")) {
      const selectSql = `SELECT CASE WHEN js THEN line END AS raw, CASE WHEN js THEN NULL ELSE ${csvRecordSql(columns, csvOutput)} END AS out FROM ${marked}${filter}`;
      return { kind: "rows", formatted: true, selectSql, columns: kinds };
    }
    const selectSql = `SELECT CASE WHEN js THEN line END AS raw${columns.map((c, i) => `, ${c} AS c${i}`).join("")} FROM ${marked}${filter}`;
    return { kind: "rows", formatted: false, selectSql, columns: kinds };
  } catch (error) {
    if (error instanceof NoPlan) return null;
    throw error;
  }
}

/** One CSV output record as csvOutputRecord writes it: ASNEEDED or ALWAYS quoting, escapes, the record delimiter. */
function csvRecordSql(columns: readonly string[], format: CsvOutputFormat): string {
  const { fieldDelimiter, recordDelimiter, quote, escape, always } = format;
  const field = (sql: string): string => {
    const text = `coalesce(CAST(${sql} AS VARCHAR), '')`;
    let body = text;
    if (escape !== quote) body = `replace(${body}, ${sqlLiteralText(escape)}, ${sqlLiteralText(escape + escape)})`;
    body = `replace(${body}, ${sqlLiteralText(quote)}, ${sqlLiteralText(escape + quote)})`;
    const quoted = `(${sqlLiteralText(quote)} || ${body} || ${sqlLiteralText(quote)})`;
    if (always) return quoted;
    const specials = [...new Set([fieldDelimiter, quote, escape, recordDelimiter, "\n", "\r"])];
    const test = specials.map((c) => `contains(${text}, ${sqlLiteralText(c)})`).join(" OR ");
    return `(CASE WHEN ${test} THEN ${quoted} ELSE ${text} END)`;
  };
  const parts = columns.map(field).join(` || ${sqlLiteralText(fieldDelimiter)} || `);
  return `(${parts === "" ? "''" : parts} || ${sqlLiteralText(recordDelimiter)})`;
}

/** A literal that may hold control characters (record delimiters are often "\n"). */
function sqlLiteralText(text: string): string {
  return [...text].map((c) => (c < " " ? `chr(${c.charCodeAt(0)})` : sqlString(c))).join(" || ");
}
