"use client";

import { Field } from "@/components/ui/field.tsx";
import type { InputDraft, InputField } from "./input-draft.ts";
import styles from "./query.module.css";

/** How to read the object: format, the CSV or JSON options, compression. Prefilled from the key; errors come from the server's schema. */
export function InputOptionsForm({
  draft,
  onChange,
  errors,
}: {
  draft: InputDraft;
  onChange: (draft: InputDraft) => void;
  errors: Partial<Record<InputField, string>>;
}) {
  const set = <K extends InputField>(field: K, value: InputDraft[K]) => onChange({ ...draft, [field]: value });
  const text = (field: InputField, label: string, hint?: string) => (
    <Field label={label} htmlFor={`input-${field}`} error={errors[field]} hint={hint}>
      <input
        id={`input-${field}`}
        type="text"
        className="mono"
        value={String(draft[field])}
        aria-invalid={errors[field] ? "true" : undefined}
        onChange={(event) => set(field, event.target.value as never)}
      />
    </Field>
  );
  return (
    <fieldset className={styles.inputForm}>
      <legend>Input</legend>
      <div className={styles.formGrid}>
        <Field label="Format" htmlFor="input-format" error={errors.format}>
          <select id="input-format" value={draft.format} aria-invalid={errors.format ? "true" : undefined} onChange={(event) => set("format", event.target.value as InputDraft["format"])}>
            <option value="CSV">CSV</option>
            <option value="JSON">JSON</option>
            <option value="Parquet">Parquet</option>
          </select>
        </Field>
        <Field label="Compression" htmlFor="input-compression" error={errors.compression}>
          <select id="input-compression" value={draft.compression} onChange={(event) => set("compression", event.target.value as InputDraft["compression"])}>
            <option value="NONE">None</option>
            <option value="GZIP">GZIP</option>
            <option value="BZIP2">BZIP2</option>
          </select>
        </Field>
        {draft.format === "JSON" ? (
          <Field label="JSON type" htmlFor="input-jsonType" error={errors.jsonType} hint="Lines: one value per line. Document: values may span lines.">
            <select id="input-jsonType" value={draft.jsonType} onChange={(event) => set("jsonType", event.target.value as InputDraft["jsonType"])}>
              <option value="LINES">Lines</option>
              <option value="DOCUMENT">Document</option>
            </select>
          </Field>
        ) : null}
        {draft.format === "CSV" ? (
          <>
            <Field label="Header row" htmlFor="input-fileHeaderInfo" error={errors.fileHeaderInfo} hint={draft.fileHeaderInfo === "USE" ? "Columns by name" : draft.fileHeaderInfo === "IGNORE" ? "Skipped; columns _1, _2…" : "Columns _1, _2…"}>
              <select id="input-fileHeaderInfo" value={draft.fileHeaderInfo} onChange={(event) => set("fileHeaderInfo", event.target.value as InputDraft["fileHeaderInfo"])}>
                <option value="USE">Use</option>
                <option value="IGNORE">Ignore</option>
                <option value="NONE">None</option>
              </select>
            </Field>
            {text("fieldDelimiter", "Field delimiter", "\\t for tab")}
            {text("recordDelimiter", "Record delimiter", "\\n or \\r\\n")}
            {text("quoteCharacter", "Quote character")}
            {text("quoteEscapeCharacter", "Quote escape")}
            {text("comments", "Comment prefix", "Lines starting with it are skipped")}
            <label className="checkbox small">
              <input type="checkbox" checked={draft.allowQuotedRecordDelimiter} onChange={(event) => set("allowQuotedRecordDelimiter", event.target.checked)} />
              Line breaks inside quotes
            </label>
          </>
        ) : null}
      </div>
    </fieldset>
  );
}
