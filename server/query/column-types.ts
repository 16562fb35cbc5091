/** What the console shows as a column's type, inferred from the values seen. */
export type ColumnType = "string" | "int" | "float" | "bool" | "timestamp" | "object" | "array" | "null" | "mixed";

export interface QueryColumn {
  name: string;
  type: ColumnType;
}

/** ISO-8601-ish dates and times (`2026-11-23`, `2026-11-23T10:20:30Z`, `2026-11-23 10:20`), as Ion timestamps print too. */
const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function typeOfValue(value: unknown): ColumnType {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "string") return TIMESTAMP_TEXT.test(value) ? "timestamp" : "string";
  if (Array.isArray(value)) return "array";
  return "object";
}

/** Two types seen in one column: null gives way to anything, int widens to float, anything else is mixed. */
export function mergeTypes(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b || b === "null") return a;
  if (a === "null") return b;
  if ((a === "int" && b === "float") || (a === "float" && b === "int")) return "float";
  return "mixed";
}

/**
 * Tracks the columns of a result as records stream in: a column appears the
 * first time a record names it (JSON output leaves MISSING values out, so
 * later records may add columns) and its type widens as values arrive.
 * `observe` says whether anything changed, so the caller only sends changes.
 */
export class ColumnTracker {
  private readonly types = new Map<string, ColumnType>();

  observe(records: readonly Record<string, unknown>[]): boolean {
    let changed = false;
    for (const record of records) {
      for (const [name, value] of Object.entries(record)) {
        const seen = this.types.get(name);
        const type = typeOfValue(value);
        const next = seen === undefined ? type : mergeTypes(seen, type);
        if (next !== seen) {
          this.types.set(name, next);
          changed = true;
        }
      }
    }
    return changed;
  }

  get columns(): QueryColumn[] {
    return [...this.types].map(([name, type]) => ({ name, type }));
  }
}
