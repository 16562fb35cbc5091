/**
 * Equality and ordering of non-absent values.
 *
 * Numbers compare by value across INT and FLOAT; strings by UTF-16 code units
 * (case-sensitive); booleans FALSE < TRUE; timestamps by instant. Equality of values
 * of different types is FALSE; ordering them is an error (InvalidDataType) reported
 * by the caller, signalled here by `null`.
 */
import { Timestamp, isNumber, isObject, type Value } from "./values.ts";

/** -1, 0 or 1; null when the two values are not comparable. */
export function compareValues(a: Value, b: Value): number | null {
  if (isNumber(a) && isNumber(b)) {
    if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
    const x = Number(a);
    const y = Number(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return null;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Timestamp && b instanceof Timestamp) {
    const x = a.epochNanos;
    const y = b.epochNanos;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return null;
}

/** Deep equality (lists element-wise, structs by key set and values). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => valuesEqual(item, b[i] ?? null));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && valuesEqual(a[key] ?? null, b[key] ?? null))
    );
  }
  if (a === null || b === null) return a === b;
  return compareValues(a, b) === 0;
}
