import { z } from "zod";

/** The subset of JSON Schema (2020-12, as zod 4 emits it) the generated forms understand. */
export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: readonly unknown[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** How one schema node is edited; `json` is the fallback for anything without a dedicated control. */
export type FieldKind = "enum" | "string" | "integer" | "number" | "boolean" | "string-list" | "string-map" | "object" | "json";

const cache = new WeakMap<z.ZodType, JsonSchema>();

/**
 * The input side of a zod schema as JSON Schema: what the operator may send,
 * so fields with defaults are optional. Refinements cannot be expressed and are
 * left to the zod schema itself when the form is validated.
 */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  let json = cache.get(schema);
  if (!json) {
    json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    cache.set(schema, json);
  }
  return json;
}

/** `T | null` and single-branch unions edit as `T`; the outer node keeps its own description and default. */
export function unwrap(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return schema;
  const real = branches.filter((b) => b.type !== "null");
  if (real.length !== 1 || !real[0]) return schema;
  const { anyOf: _a, oneOf: _o, ...outer } = schema;
  return { ...unwrap(real[0]), ...outer };
}

function typesOf(schema: JsonSchema): string[] {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.filter((t) => t !== "null");
}

export function kindOf(raw: JsonSchema): FieldKind {
  const schema = unwrap(raw);
  if (schema.enum && schema.enum.length > 0 && schema.enum.every((v) => typeof v === "string")) return "enum";
  const [type, ...others] = typesOf(schema);
  if (others.length > 0) return "json";
  switch (type) {
    case "string":
      return "string";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return schema.items && kindOf(schema.items) === "string" ? "string-list" : "json";
    case "object": {
      if (schema.properties && Object.keys(schema.properties).length > 0) return "object";
      const values = schema.additionalProperties;
      if (typeof values === "object" && kindOf(values) === "string") return "string-map";
      return "json";
    }
    default:
      return "json";
  }
}

export function enumOptions(schema: JsonSchema): string[] {
  return (unwrap(schema).enum ?? []).filter((v): v is string => typeof v === "string");
}

const ACRONYMS = new Set(["id", "url", "uri", "tls", "ca", "db", "http", "https", "ttl", "arn", "ip", "dns", "sni", "sasl"]);

/** `authToken` → "Auth token", `caFile` → "CA file": the label a property gets unless its schema has a title. */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[\s_.-]+/)
    .filter(Boolean)
    .map((w) => (ACRONYMS.has(w.toLowerCase()) ? w.toUpperCase() : w.toLowerCase()));
  const [first, ...rest] = words;
  if (first === undefined) return name;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(" ");
}

export function labelOf(name: string, schema: JsonSchema): string {
  return unwrap(schema).title ?? humanize(name);
}

/** Paths (dot-joined, under `prefix`) where an error can be shown; `deep` ones also take errors about their children. */
export function errorTargets(schema: JsonSchema, prefix: string): { path: string; deep: boolean }[] {
  const node = unwrap(schema);
  const kind = kindOf(node);
  if (kind !== "object") return [{ path: prefix, deep: kind === "string-map" || kind === "string-list" || kind === "json" }];
  const own = { path: prefix, deep: false };
  return [own, ...Object.entries(node.properties ?? {}).flatMap(([key, child]) => errorTargets(child, `${prefix}.${key}`))];
}
