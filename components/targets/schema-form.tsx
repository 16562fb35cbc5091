"use client";

import type { ReactNode } from "react";
import { errorsUnder, type FieldErrors } from "./form-errors.ts";
import { enumOptions, kindOf, labelOf, unwrap, type JsonSchema } from "./json-schema.ts";
import { Message, RequiredMark } from "./field-parts.tsx";
import { KeyValueEditor } from "./key-value-editor.tsx";
import type { Draft, DraftObject, MapRow } from "./schema-draft.ts";
import { hasMask, SECRET_MASK } from "./secret-mask.ts";
import styles from "./targets.module.css";

/**
 * A form generated from a JSON Schema (zod's `toJSONSchema` of the very schema
 * the server validates with). It knows schemas, not target types: a new type
 * or option appears here by being added to its schema.
 */
export interface SchemaFormProps {
  schema: JsonSchema;
  value: Draft;
  onChange: (next: Draft) => void;
  /** Where this value sits in the submitted input ("config"), for error lookup. */
  path: string;
  idPrefix: string;
  errors: FieldErrors;
  /** Property paths relative to the root ("authToken", "auth.password") edited as passwords. */
  secretFields?: readonly string[];
  /** Label for a root that is not an object with properties. */
  label?: string;
}

export function SchemaForm({ schema, value, onChange, path, idPrefix, errors, secretFields = [], label = "Value" }: SchemaFormProps) {
  if (kindOf(schema) === "object") {
    return <PropertyFields schema={unwrap(schema)} value={asObject(value)} onChange={onChange} path={path} idPrefix={idPrefix} errors={errors} secretFields={secretFields} />;
  }
  return <SchemaControl name={label} schema={schema} value={value} onChange={onChange} path={path} id={idPrefix} errors={errors} required secretFields={[]} secret={false} />;
}

function asObject(draft: Draft): DraftObject {
  return typeof draft === "object" && draft !== null && !Array.isArray(draft) ? draft : {};
}

function safeId(part: string): string {
  return part.replace(/[^A-Za-z0-9_-]/g, "_");
}

function PropertyFields({
  schema,
  value,
  onChange,
  path,
  idPrefix,
  errors,
  secretFields,
}: {
  schema: JsonSchema;
  value: DraftObject;
  onChange: (next: DraftObject) => void;
  path: string;
  idPrefix: string;
  errors: FieldErrors;
  secretFields: readonly string[];
}) {
  const required = new Set(schema.required ?? []);
  return (
    <div className={styles.fields}>
      {Object.entries(schema.properties ?? {}).map(([key, child]) => (
        <SchemaControl
          key={key}
          name={key}
          schema={child}
          value={value[key]}
          onChange={(next) => onChange({ ...value, [key]: next })}
          path={`${path}.${key}`}
          id={`${idPrefix}-${safeId(key)}`}
          errors={errors}
          required={required.has(key)}
          secret={secretFields.includes(key)}
          secretFields={secretFields.filter((f) => f.startsWith(`${key}.`)).map((f) => f.slice(key.length + 1))}
        />
      ))}
    </div>
  );
}

interface ControlProps {
  name: string;
  schema: JsonSchema;
  value: Draft;
  onChange: (next: Draft) => void;
  path: string;
  id: string;
  errors: FieldErrors;
  required: boolean;
  secret: boolean;
  secretFields: readonly string[];
}

function SchemaControl(props: ControlProps) {
  const { name, value, onChange, path, id, errors, required } = props;
  const schema = unwrap(props.schema);
  const kind = kindOf(schema);
  const label = labelOf(name, schema);
  const error = errors[path];

  if (kind === "object") {
    return (
      <fieldset className={styles.wide}>
        <legend>
          {label}
          {required ? <RequiredMark /> : <span className="muted"> (optional)</span>}
        </legend>
        {schema.description ? <p className={styles.fieldsetHint}>{schema.description}</p> : null}
        {error ? (
          <p className={styles.groupError} role="alert">
            {error}
          </p>
        ) : null}
        <PropertyFields schema={schema} value={asObject(value)} onChange={onChange} path={path} idPrefix={id} errors={errors} secretFields={props.secretFields} />
      </fieldset>
    );
  }

  if (kind === "string-map") {
    return (
      <KeyValueEditor
        id={id}
        label={label}
        required={required}
        hint={schema.description}
        rows={Array.isArray(value) ? value : []}
        onChange={(rows: MapRow[]) => onChange(rows)}
        groupErrors={mapGroupErrors(errors, path, value)}
        rowError={(key) => errors[`${path}.${key}`]}
      />
    );
  }

  if (kind === "boolean") {
    const checked = typeof value === "boolean" ? value : schema.default === true;
    const message = error ?? schema.description;
    return (
      <div className={`field ${styles.checkField}`}>
        <label className="checkbox">
          <input
            type="checkbox"
            id={id}
            checked={checked}
            onChange={(e) => onChange(e.target.checked)}
            aria-invalid={error ? true : undefined}
            aria-describedby={message ? `${id}-${error ? "error" : "hint"}` : undefined}
          />
          {label}
        </label>
        <Message id={id} error={error} hint={schema.description} />
      </div>
    );
  }

  // Array items and JSON members are edited in one control, so their errors land on it.
  const deepError = kind === "string-list" || kind === "json" ? errorsUnder(errors, path)[0]?.[1] : undefined;
  const shownError = error ?? deepError;
  const text = typeof value === "string" ? value : "";
  const hint = hintFor(kind, schema, props.secret, text);
  const common = {
    id,
    "aria-invalid": shownError ? true : undefined,
    "aria-describedby": shownError ? `${id}-error` : hint ? `${id}-hint` : undefined,
    "aria-required": required || undefined,
  } as const;

  let control: ReactNode;
  if (kind === "enum") {
    const hasDefault = schema.default !== undefined;
    control = (
      <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
        {required && !hasDefault ? (
          <option value="" disabled>
            Choose…
          </option>
        ) : (
          <option value="">{hasDefault ? `Default (${String(schema.default)})` : "Not set"}</option>
        )}
        {enumOptions(schema).map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (kind === "integer" || kind === "number") {
    control = (
      <input
        {...common}
        type="number"
        inputMode={kind === "integer" ? "numeric" : "decimal"}
        step={kind === "integer" ? 1 : "any"}
        min={schema.minimum}
        max={schema.maximum}
        placeholder={placeholderOf(schema)}
        value={text}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else if (kind === "string-list" || kind === "json") {
    control = <textarea {...common} rows={4} spellCheck={false} placeholder={placeholderOf(schema)} value={text} onChange={(e) => onChange(e.target.value)} />;
  } else if (props.secret) {
    control = (
      <input
        {...common}
        type="password"
        autoComplete="new-password"
        value={text}
        // Typing into a kept secret replaces it rather than appending to the mask.
        onFocus={(e) => {
          if (e.target.value === SECRET_MASK) e.target.select();
        }}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else {
    control = <input {...common} type="text" spellCheck={false} autoComplete="off" placeholder={placeholderOf(schema)} value={text} onChange={(e) => onChange(e.target.value)} />;
  }

  return (
    <div className={kind === "string-list" || kind === "json" ? `field ${styles.wide}` : "field"}>
      <label htmlFor={id}>
        {label}
        {required ? <RequiredMark /> : null}
      </label>
      {control}
      <Message id={id} error={shownError} hint={hint} />
    </div>
  );
}

/** The map's own error, plus errors naming a key no row has any more (they would be lost otherwise). */
function mapGroupErrors(errors: FieldErrors, path: string, value: Draft): string[] {
  const keys = new Set(Array.isArray(value) ? value.map((row) => row.key.trim()) : []);
  const orphans = errorsUnder(errors, path)
    .filter(([key]) => !keys.has(key.slice(path.length + 1)))
    .map(([, message]) => message);
  const own = errors[path];
  return own ? [own, ...orphans] : orphans;
}

function placeholderOf(schema: JsonSchema): string | undefined {
  const value = schema.default;
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(String).join("\n");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function formatNumber(n: number): string {
  return n.toLocaleString("en-US");
}

function hintFor(kind: string, schema: JsonSchema, secret: boolean, text: string): string | undefined {
  const parts: string[] = [];
  if (schema.description) parts.push(schema.description);
  if (kind === "integer" || kind === "number") {
    const { minimum: min, maximum: max } = schema;
    if (min !== undefined && max !== undefined) parts.push(`${formatNumber(min)} to ${formatNumber(max)}.`);
    else if (min !== undefined) parts.push(`At least ${formatNumber(min)}.`);
    else if (max !== undefined) parts.push(`At most ${formatNumber(max)}.`);
  }
  if ((kind === "integer" || kind === "number" || kind === "string") && typeof schema.default !== "object" && schema.default !== undefined) {
    parts.push(`Empty means the default, ${typeof schema.default === "number" ? formatNumber(schema.default) : String(schema.default)}.`);
  }
  if (kind === "string-list") parts.push("One per line.");
  if (kind === "json") parts.push("JSON.");
  if (secret && text === SECRET_MASK) parts.push("A secret is stored and kept unless you type a new one; clear the field to remove it.");
  else if (secret) parts.push("Stored as a secret: it is never shown again.");
  else if (hasMask(text)) parts.push(`The part shown as ${SECRET_MASK} is kept as stored unless you replace it.`);
  return parts.length > 0 ? parts.join(" ") : undefined;
}
