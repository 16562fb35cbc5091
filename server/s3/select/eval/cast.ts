/**
 * CAST(x AS type). NULL and MISSING cast to themselves.
 *
 * - BOOL: booleans; strings 'true'/'false' (any case, trimmed); numbers (0 is FALSE).
 * - INT: INTs; floats truncated toward zero; booleans 1/0; strings of an integer, or of
 *   a decimal number which is then truncated (`'12.9'` -> 12, as PartiQL narrows).
 * - FLOAT / DECIMAL: numbers as doubles; strings of a number; booleans 1/0. DECIMAL(p, s)
 *   rounds to s fraction digits when a scale is given.
 * - STRING: numbers printed, booleans 'true'/'false', timestamps as Ion text.
 * - TIMESTAMP: timestamps; strings of Ion timestamp text.
 * A string that does not parse -> CastFailed; a type that cannot convert at all
 * (a timestamp to INT, a list to anything) -> InvalidCast.
 */
import type { SqlType } from "../sql/ast.ts";
import { sqlError } from "../sql/sql-error.ts";
import type { SourcePosition } from "../sql/tokens.ts";
import { Timestamp, isAbsent, numberToString, typeName, type Value } from "./values.ts";

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function castFailed(value: Value, type: SqlType, pos: SourcePosition): never {
  const shown = typeof value === "string" ? `'${value}'` : typeName(value);
  throw sqlError("CastFailed", pos, `cannot cast ${shown} to ${type.name}`);
}

function invalidCast(value: Value, type: SqlType, pos: SourcePosition): never {
  throw sqlError("InvalidCast", pos, `cannot cast a value of type ${typeName(value)} to ${type.name}`);
}

function parseNumberText(text: string): number | null {
  const trimmed = text.trim();
  return NUMBER_TEXT.test(trimmed) ? Number(trimmed) : null;
}

export function castValue(value: Value, type: SqlType, pos: SourcePosition): Value {
  if (isAbsent(value)) return value;
  switch (type.name) {
    case "BOOL":
      if (typeof value === "boolean") return value;
      if (typeof value === "bigint") return value !== 0n;
      if (typeof value === "number") return value !== 0;
      if (typeof value === "string") {
        const lower = value.trim().toLowerCase();
        if (lower === "true") return true;
        if (lower === "false") return false;
        return castFailed(value, type, pos);
      }
      return invalidCast(value, type, pos);
    case "INT": {
      if (typeof value === "bigint") return value;
      if (typeof value === "boolean") return value ? 1n : 0n;
      if (typeof value === "number") {
        if (!Number.isFinite(value)) return castFailed(value, type, pos);
        return BigInt(Math.trunc(value));
      }
      if (typeof value === "string") {
        const trimmed = value.trim();
        if (/^[+-]?\d+$/.test(trimmed)) return BigInt(trimmed);
        const n = parseNumberText(trimmed);
        if (n === null || !Number.isFinite(n)) return castFailed(value, type, pos);
        return BigInt(Math.trunc(n));
      }
      return invalidCast(value, type, pos);
    }
    case "FLOAT":
    case "DECIMAL": {
      let n: number;
      if (typeof value === "number") n = value;
      else if (typeof value === "bigint") n = Number(value);
      else if (typeof value === "boolean") n = value ? 1 : 0;
      else if (typeof value === "string") {
        const parsed = parseNumberText(value);
        if (parsed === null || !Number.isFinite(parsed)) return castFailed(value, type, pos);
        n = parsed;
      } else return invalidCast(value, type, pos);
      if (type.name === "DECIMAL" && type.scale !== null) n = Number(n.toFixed(type.scale));
      return n;
    }
    case "STRING":
      if (typeof value === "string") return value;
      if (typeof value === "bigint" || typeof value === "number") return numberToString(value);
      if (typeof value === "boolean") return value ? "true" : "false";
      if (value instanceof Timestamp) return value.toString();
      return invalidCast(value, type, pos);
    case "TIMESTAMP": {
      if (value instanceof Timestamp) return value;
      if (typeof value === "string") return Timestamp.parse(value.trim()) ?? castFailed(value, type, pos);
      return invalidCast(value, type, pos);
    }
  }
}
