/** Shared helpers of the evaluator tests. */
import { expect } from "vitest";
import { AppError } from "../../../errors/app-error.ts";
import type { ErrorCode } from "../../../errors/error-codes.ts";
import { parseExpression } from "../sql/parser.ts";
import { evaluate } from "./evaluate.ts";
import { csvScope, type RecordScope } from "./record-scope.ts";
import { Timestamp, type Value } from "./values.ts";

export const NOW = new Date("2024-03-05T06:07:08.009Z");

/** An empty CSV record with alias `s`. */
export const EMPTY = csvScope([], null, { alias: "s", now: NOW });

export function ev(sql: string, scope: RecordScope = EMPTY): Value {
  return evaluate(parseExpression(sql), scope);
}

/** Timestamps as Ion text, everything else as is. */
export function show(value: Value): unknown {
  return value instanceof Timestamp ? value.toString() : value;
}

export function evShow(sql: string, scope: RecordScope = EMPTY): unknown {
  return show(ev(sql, scope));
}

/** Asserts that `run` throws an AppError with `code` (and the position, when given). */
export function expectError(run: () => unknown, code: ErrorCode, at?: { line: number; column: number }): AppError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AppError);
  const error = caught as AppError;
  expect(error.code).toBe(code);
  if (at !== undefined) {
    expect(error.details).toMatchObject(at);
    expect(error.message).toContain(`at line ${at.line}, column ${at.column}`);
  }
  return error;
}
