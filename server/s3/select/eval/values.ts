/**
 * The value model of the S3 Select evaluator.
 *
 * - `MISSING` (a unique symbol): the field is absent. Kept apart from `null`
 *   (present and null): comparisons with MISSING give MISSING, with NULL give NULL;
 *   `MISSING IS NULL` is true; in AND/OR/NOT MISSING behaves like NULL.
 * - `bigint`: an INT (integer literals, CAST(.. AS INT), COUNT, EXTRACT, CHAR_LENGTH,
 *   DATE_DIFF). Arithmetic on two INTs stays INT (exact, division truncates).
 * - `number`: a FLOAT or DECIMAL (decimals are represented as doubles).
 * - `string`, `boolean`, `Timestamp` (timestamp.ts), arrays and plain objects (JSON).
 *
 * CSV fields are strings until CAST. JSON documents become values with `fromJson`,
 * which turns safe-integer numbers into INTs (JSON.parse cannot tell `1.0` from `1`;
 * larger integers stay FLOAT).
 */
import { Timestamp } from "./timestamp.ts";

export { Timestamp };

export const MISSING: unique symbol = Symbol("MISSING");
export type Missing = typeof MISSING;

export type Value =
  | null
  | Missing
  | boolean
  | bigint
  | number
  | string
  | Timestamp
  | Value[]
  | { [key: string]: Value };

export type ValueObject = { [key: string]: Value };

export function isMissing(value: Value): value is Missing {
  return value === MISSING;
}

/** NULL or MISSING. */
export function isAbsent(value: Value): value is null | Missing {
  return value === null || value === MISSING;
}

export function isNumber(value: Value): value is bigint | number {
  return typeof value === "bigint" || typeof value === "number";
}

export function isObject(value: Value): value is ValueObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Timestamp);
}

/** Converts parsed JSON to a Value (integral numbers become INTs). */
export function fromJson(json: unknown): Value {
  if (json === null || json === undefined) return null;
  if (typeof json === "number") return Number.isSafeInteger(json) ? BigInt(json) : json;
  if (typeof json === "string" || typeof json === "boolean" || typeof json === "bigint") return json;
  if (Array.isArray(json)) return json.map(fromJson);
  if (typeof json === "object") {
    const out: ValueObject = {};
    for (const [key, v] of Object.entries(json as Record<string, unknown>)) out[key] = fromJson(v);
    return out;
  }
  return null;
}

/** The SQL type name of a value, for error messages. */
export function typeName(value: Value): string {
  if (value === null) return "NULL";
  if (value === MISSING) return "MISSING";
  if (typeof value === "boolean") return "BOOL";
  if (typeof value === "bigint") return "INT";
  if (typeof value === "number") return "FLOAT";
  if (typeof value === "string") return "STRING";
  if (value instanceof Timestamp) return "TIMESTAMP";
  if (Array.isArray(value)) return "LIST";
  return "STRUCT";
}

/** Text of a number: INTs as digits, floats as JS prints them. */
export function numberToString(value: bigint | number): string {
  return typeof value === "bigint" ? value.toString() : String(value);
}
