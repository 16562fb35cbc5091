/**
 * How names resolve against the current record.
 *
 * A path's root is the FROM alias (unquoted: case-insensitive) when it matches: the
 * record itself, the next step naming a field; otherwise the root is a field of the
 * record (so the alias may be omitted: `s._1` and `_1` are the same).
 *
 * CSV: `_N` is the N-th field (1-based; beyond the row it is MISSING). With header
 * names (FileHeaderInfo USE), an unquoted name matches headers case-insensitively
 * (two headers matching -> AmbiguousFieldName), a quoted one exactly; header names
 * win over `_N`. Any other name -> EvaluatorBindingDoesNotExist. Steps into a CSV
 * field (a string) give MISSING.
 *
 * JSON: fields of structs (unquoted case-insensitively, several case-insensitive
 * matches without an exact one -> AmbiguousFieldName), `[n]` of lists; anything
 * absent is MISSING. Wildcards (`[*]`, `.*`) fan out only where multiple values are
 * allowed (`IN path` and the FROM path, see resolvePathAll / fromRecords); in a
 * single-value position they are UnsupportedSqlOperation.
 */
import type { AggregateCall, FieldStep, FromClause, Identifier, PathExpression, PathStep } from "../sql/ast.ts";
import { sqlError } from "../sql/sql-error.ts";
import type { SourcePosition } from "../sql/tokens.ts";
import { MISSING, isObject, type Value, type ValueObject } from "./values.ts";

export type RecordSource =
  | {
      kind: "csv";
      fields: readonly string[];
      /** Header names (FileHeaderInfo USE), or null/undefined without. */
      headers?: readonly string[] | null;
    }
  | { kind: "json"; value: Value };

export interface RecordScope {
  readonly source: RecordSource;
  /** The FROM alias: `s` in `FROM S3Object s`, else `S3Object`. */
  readonly alias: { name: string; quoted: boolean };
  /** The clock of UTCNOW(). */
  readonly now: Date;
  /** Results of aggregate calls, set when projecting an aggregate query. */
  readonly aggregates?: ReadonlyMap<AggregateCall, Value>;
}

export interface ScopeOptions {
  alias?: string | { name: string; quoted: boolean };
  now?: Date;
  aggregates?: ReadonlyMap<AggregateCall, Value>;
}

export function createScope(source: RecordSource, options: ScopeOptions = {}): RecordScope {
  const alias = options.alias ?? "S3Object";
  return {
    source,
    alias: typeof alias === "string" ? { name: alias, quoted: false } : alias,
    now: options.now ?? new Date(),
    ...(options.aggregates === undefined ? {} : { aggregates: options.aggregates }),
  };
}

/** A CSV record scope. */
export function csvScope(fields: readonly string[], headers?: readonly string[] | null, options?: ScopeOptions) {
  return createScope({ kind: "csv", fields, headers: headers ?? null }, options);
}

/** A JSON record scope (the record already converted with fromJson). */
export function jsonScope(value: Value, options?: ScopeOptions) {
  return createScope({ kind: "json", value }, options);
}

/** The alias a FROM clause gives the record. */
export function aliasOf(from: FromClause): { name: string; quoted: boolean } {
  const id = from.alias ?? from.source;
  return { name: id.name, quoted: from.alias === null ? false : id.quoted };
}

function namesMatch(written: string, quoted: boolean, actual: string): boolean {
  return quoted ? written === actual : written.toLowerCase() === actual.toLowerCase();
}

function isAliasRoot(root: Identifier, scope: RecordScope): boolean {
  const alias = scope.alias;
  if (root.quoted || alias.quoted) return root.name === alias.name;
  return root.name.toLowerCase() === alias.name.toLowerCase();
}

function csvField(name: string, quoted: boolean, pos: SourcePosition, scope: RecordScope): Value {
  const source = scope.source;
  if (source.kind !== "csv") return MISSING;
  const headers = source.headers ?? null;
  if (headers !== null) {
    const matches: number[] = [];
    headers.forEach((header, i) => {
      if (namesMatch(name, quoted, header)) matches.push(i);
    });
    if (matches.length > 1) {
      throw sqlError("AmbiguousFieldName", pos, `field name ${name} is ambiguous`, name);
    }
    const index = matches[0];
    if (index !== undefined) return source.fields[index] ?? MISSING;
  }
  const positional = /^_([1-9]\d*)$/.exec(name);
  if (positional?.[1] !== undefined) return source.fields[Number(positional[1]) - 1] ?? MISSING;
  throw sqlError("EvaluatorBindingDoesNotExist", pos, `binding ${name} does not exist`, name);
}

function structField(value: ValueObject, name: string, quoted: boolean, pos: SourcePosition): Value {
  if (Object.hasOwn(value, name)) return value[name] as Value;
  if (quoted) return MISSING;
  const lower = name.toLowerCase();
  const keys = Object.keys(value).filter((key) => key.toLowerCase() === lower);
  if (keys.length > 1) throw sqlError("AmbiguousFieldName", pos, `field name ${name} is ambiguous`, name);
  const key = keys[0];
  return key === undefined ? MISSING : (value[key] as Value);
}

function fieldOf(value: Value, step: FieldStep): Value {
  return isObject(value) ? structField(value, step.name, step.quoted, step.pos) : MISSING;
}

/** One step applied to one value: the values it yields (several for a wildcard). */
function applyStep(value: Value, step: PathStep): Value[] {
  switch (step.kind) {
    case "FieldStep":
      return [fieldOf(value, step)];
    case "IndexStep":
      return [Array.isArray(value) && step.index < value.length ? (value[step.index] as Value) : MISSING];
    case "WildcardStep":
      if (step.syntax === "bracket") return Array.isArray(value) ? value : [];
      return isObject(value) ? Object.values(value) : [];
  }
}

/** The value a path root and its leading steps start from, and the steps left. */
function resolveRoot(path: PathExpression, scope: RecordScope): { value: Value; steps: PathStep[] } {
  const { root, steps } = path;
  const source = scope.source;
  if (isAliasRoot(root, scope)) {
    if (source.kind === "json") return { value: source.value, steps };
    const [first, ...rest] = steps;
    if (first === undefined) return { value: csvRecordObject(source.fields, source.headers ?? null), steps: [] };
    if (first.kind !== "FieldStep") return { value: MISSING, steps: [] };
    return { value: csvField(first.name, first.quoted, first.pos, scope), steps: rest };
  }
  if (source.kind === "csv") return { value: csvField(root.name, root.quoted, root.pos, scope), steps };
  const value = isObject(source.value) ? structField(source.value, root.name, root.quoted, root.pos) : MISSING;
  return { value, steps };
}

function csvRecordObject(fields: readonly string[], headers: readonly string[] | null): ValueObject {
  const out: ValueObject = {};
  fields.forEach((field, i) => {
    out[headers?.[i] ?? `_${i + 1}`] = field;
  });
  return out;
}

/** The single value of a path; a wildcard step is UnsupportedSqlOperation here. */
export function resolvePath(path: PathExpression, scope: RecordScope): Value {
  const wildcard = path.steps.find((step) => step.kind === "WildcardStep");
  if (wildcard !== undefined) {
    throw sqlError("UnsupportedSqlOperation", wildcard.pos, "a wildcard path is only allowed in IN and FROM");
  }
  const start = resolveRoot(path, scope);
  let value = start.value;
  for (const step of start.steps) {
    const [next] = applyStep(value, step);
    value = next === undefined ? MISSING : next;
  }
  return value;
}

/** Every value a path yields (wildcards fan out; MISSING results are dropped). */
export function resolvePathAll(path: PathExpression, scope: RecordScope): Value[] {
  const start = resolveRoot(path, scope);
  return navigateAll([start.value], start.steps);
}

/** Applies steps to each value, fanning out at wildcards; MISSING results are dropped. */
export function navigateAll(values: Value[], steps: readonly PathStep[]): Value[] {
  let current = values;
  for (const step of steps) current = current.flatMap((value) => applyStep(value, step));
  return current.filter((value) => value !== MISSING);
}

/** The records a JSON document gives after the FROM path (`FROM S3Object[*].items[*]`). */
export function fromRecords(from: FromClause, document: Value): Value[] {
  return navigateAll([document], from.path);
}
