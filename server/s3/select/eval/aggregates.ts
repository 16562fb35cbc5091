/**
 * Aggregate queries: `SELECT COUNT(*), SUM(CAST(s._2 AS INT)) FROM S3Object s`.
 *
 * - COUNT(*) counts records; COUNT(x) counts records where x is not NULL/MISSING.
 *   Both are INTs, 0 over no records.
 * - SUM / AVG / MIN / MAX skip NULL and MISSING, and are NULL over no values.
 *   SUM of INTs is an INT, with a FLOAT a FLOAT; AVG is a FLOAT. SUM/AVG of a
 *   non-number (e.g. an uncast CSV string) -> IncorrectSqlFunctionArgumentType.
 *   MIN/MAX compare as compare.ts does; values that cannot be ordered against each
 *   other (a number and a string) -> IncorrectSqlFunctionArgumentType.
 * - A SELECT list is an aggregate query when every item contains an aggregate call;
 *   mixing aggregate and plain items, or nesting aggregates -> UnsupportedSqlOperation.
 *   Items may combine aggregates (`SUM(x) / COUNT(*)`): see AggregateQuery.
 */
import type { AggregateCall, Expression, Projection, SelectItem } from "../sql/ast.ts";
import { sqlError } from "../sql/sql-error.ts";
import { compareValues } from "./compare.ts";
import { evaluate } from "./evaluate.ts";
import { createScope, type RecordScope } from "./record-scope.ts";
import { isAbsent, isNumber, typeName, type Value } from "./values.ts";

export interface Aggregator {
  /** Folds the current record in. */
  add(scope: RecordScope): void;
  result(): Value;
}

export function createAggregator(call: AggregateCall): Aggregator {
  const argument = call.argument;
  let count = 0n;
  let sum: bigint | number | null = null;
  let best: Value = null;
  const valueOf = (scope: RecordScope): Value => (argument === null ? true : evaluate(argument, scope));
  const argPos = argument?.pos ?? call.pos;
  return {
    add(scope) {
      const value = valueOf(scope);
      if (isAbsent(value)) return;
      count += 1n;
      switch (call.name) {
        case "COUNT":
          return;
        case "SUM":
        case "AVG":
          if (!isNumber(value)) {
            throw sqlError(
              "IncorrectSqlFunctionArgumentType",
              argPos,
              `${call.name} expects numbers, not ${typeName(value)}`,
            );
          }
          if (sum === null) sum = value;
          else if (typeof sum === "bigint" && typeof value === "bigint") sum += value;
          else sum = Number(sum) + Number(value);
          return;
        case "MIN":
        case "MAX": {
          if (best === null) {
            best = value;
            return;
          }
          const c = compareValues(value, best);
          if (c === null) {
            throw sqlError(
              "IncorrectSqlFunctionArgumentType",
              argPos,
              `${call.name} cannot compare ${typeName(value)} with ${typeName(best)}`,
            );
          }
          if (call.name === "MIN" ? c < 0 : c > 0) best = value;
          return;
        }
      }
    },
    result() {
      switch (call.name) {
        case "COUNT":
          return count;
        case "SUM":
          return sum;
        case "AVG":
          return sum === null ? null : Number(sum) / Number(count);
        case "MIN":
        case "MAX":
          return best;
      }
    },
  };
}

/** The aggregate calls inside an expression, outermost first (not descending into them). */
export function collectAggregates(expr: Expression): AggregateCall[] {
  const found: AggregateCall[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const record = node as { kind?: unknown };
    if (record.kind === "Aggregate") {
      const call = node as AggregateCall;
      found.push(call);
      if (call.argument !== null && collectAggregates(call.argument).length > 0) {
        throw sqlError("UnsupportedSqlOperation", call.pos, "aggregate calls cannot be nested");
      }
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key !== "pos" && key !== "operatorPos") visit(value);
    }
  };
  visit(expr);
  return found;
}

/**
 * Whether a projection is an aggregate query: true when every item holds an
 * aggregate, false when none does (or `SELECT *`); a mix -> UnsupportedSqlOperation.
 */
export function isAggregateQuery(projection: Projection): boolean {
  if (projection.kind === "SelectAll") return false;
  const flags = projection.items.map((item) => collectAggregates(item.expression).length > 0);
  if (flags.every(Boolean)) return flags.length > 0;
  if (!flags.some(Boolean)) return false;
  const plain = projection.items[flags.indexOf(false)];
  throw sqlError(
    "UnsupportedSqlOperation",
    plain?.pos ?? projection.pos,
    "an aggregate query cannot also select non-aggregate expressions",
  );
}

/** Runs the aggregates of a SELECT list over records, then evaluates the items once. */
export class AggregateQuery {
  private readonly aggregators: Map<AggregateCall, Aggregator>;

  constructor(private readonly items: readonly SelectItem[]) {
    this.aggregators = new Map(
      items.flatMap((item) => collectAggregates(item.expression)).map((call) => [call, createAggregator(call)]),
    );
  }

  /** Folds one record (that passed WHERE) into every aggregate. */
  add(scope: RecordScope): void {
    for (const aggregator of this.aggregators.values()) aggregator.add(scope);
  }

  /** The value of each item, in order. `scope` gives the alias and clock (its record is not read by aggregates). */
  results(scope: RecordScope): Value[] {
    const aggregates = new Map<AggregateCall, Value>();
    for (const [call, aggregator] of this.aggregators) aggregates.set(call, aggregator.result());
    const final = createScope(scope.source, { alias: scope.alias, now: scope.now, aggregates });
    return this.items.map((item) => evaluate(item.expression, final));
  }
}
