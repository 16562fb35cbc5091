import { kindOf, unwrap, type JsonSchema } from "./json-schema.ts";
import { SECRET_MASK } from "./secret-mask.ts";

/**
 * What a generated form holds while it is edited: text as typed (numbers too,
 * so "" can mean "not set"), booleans only once touched, key/value rows with
 * stable ids. Converted to a config value only on submit.
 */
export type Draft = string | boolean | undefined | MapRow[] | DraftObject;
export interface DraftObject {
  [key: string]: Draft;
}
export interface MapRow {
  rowId: string;
  key: string;
  value: string;
  /** The server sent this value masked (a credential header): it stays a password input even once retyped. */
  secret: boolean;
}

/** A problem found while converting a draft, before the zod schema sees it. */
export interface DraftIssue {
  path: string[];
  message: string;
}

let rowCounter = 0;
export function newRow(key = "", value = ""): MapRow {
  rowCounter += 1;
  return { rowId: `row-${rowCounter}`, key, value, secret: value === SECRET_MASK };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A stored value (e.g. a target's config as the server returns it) as a draft for `schema`. */
export function toDraft(schema: JsonSchema, value: unknown): Draft {
  const node = unwrap(schema);
  switch (kindOf(node)) {
    case "enum":
    case "string":
      return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
    case "integer":
    case "number":
      return typeof value === "number" ? String(value) : "";
    case "boolean":
      return typeof value === "boolean" ? value : undefined;
    case "string-list":
      return Array.isArray(value) ? value.map(String).join("\n") : "";
    case "string-map":
      return isRecord(value) ? Object.entries(value).map(([k, v]) => newRow(k, typeof v === "string" ? v : JSON.stringify(v))) : [];
    case "object": {
      const source = isRecord(value) ? value : {};
      return Object.fromEntries(Object.entries(node.properties ?? {}).map(([key, child]) => [key, toDraft(child, source[key])]));
    }
    case "json":
      return value === undefined ? "" : JSON.stringify(value, null, 2);
  }
}

/**
 * The value a draft stands for. Empty means "not set": the key is left out so
 * the server applies the schema's default. Optional objects left entirely empty
 * are left out too, so an untouched `tls` section does not appear in the config.
 */
export function fromDraft(schema: JsonSchema, draft: Draft, path: string[], issues: DraftIssue[], required = true): unknown {
  const node = unwrap(schema);
  switch (kindOf(node)) {
    case "enum":
    case "string":
      return typeof draft === "string" && draft !== "" ? draft : undefined;
    case "integer":
    case "number": {
      if (typeof draft !== "string" || draft.trim() === "") return undefined;
      const n = Number(draft.trim());
      if (!Number.isFinite(n)) {
        issues.push({ path, message: "must be a number" });
        return undefined;
      }
      return n;
    }
    case "boolean":
      return typeof draft === "boolean" ? draft : undefined;
    case "string-list": {
      const items = typeof draft === "string" ? draft.split("\n").map((line) => line.trim()).filter(Boolean) : [];
      return items.length > 0 || required ? items : undefined;
    }
    case "string-map": {
      const rows = Array.isArray(draft) ? draft : [];
      const out: Record<string, string> = {};
      for (const row of rows) {
        const key = row.key.trim();
        if (key === "" && row.value === "") continue;
        if (key === "") issues.push({ path, message: "every entry needs a key" });
        else if (Object.hasOwn(out, key)) issues.push({ path: [...path, key], message: `${key} is listed twice` });
        else out[key] = row.value;
      }
      return Object.keys(out).length > 0 || required ? out : undefined;
    }
    case "object": {
      const source = typeof draft === "object" && draft !== null && !Array.isArray(draft) ? draft : {};
      const needed = new Set(node.required ?? []);
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        const value = fromDraft(child, source[key], [...path, key], issues, needed.has(key));
        if (value !== undefined) out[key] = value;
      }
      return Object.keys(out).length > 0 || required ? out : undefined;
    }
    case "json": {
      if (typeof draft !== "string" || draft.trim() === "") return undefined;
      try {
        return JSON.parse(draft) as unknown;
      } catch {
        issues.push({ path, message: "not valid JSON" });
        return undefined;
      }
    }
  }
}
