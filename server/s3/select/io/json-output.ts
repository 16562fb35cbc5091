import type { JsonOutput } from "./input-options.ts";

/** The value of a MISSING field: such fields are left out of the output. */
export const OMIT: unique symbol = Symbol("missing");

/**
 * Formats one output record as JSON, keys in insertion order, record
 * delimiter (default "\n") included. Fields whose value is `OMIT` or undefined
 * are left out (also inside nested objects; inside arrays they become null).
 * bigint values are written as numbers.
 */
export function jsonOutputRecord(record: Record<string, unknown>, options: JsonOutput): string {
  return JSON.stringify(record, replacer) + (options.RecordDelimiter ?? "\n");
}

function replacer(_key: string, value: unknown): unknown {
  if (value === OMIT) return undefined;
  if (typeof value === "bigint") return Number(value);
  return value;
}
