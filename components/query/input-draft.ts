import { inputSerializationSchema, type InputSerialization } from "@/server/s3/select/io/input-options.ts";

/** The input options form's state: flat strings, with control characters written as escapes (`\t`) so they are visible. */
export interface InputDraft {
  format: "CSV" | "JSON" | "Parquet";
  fileHeaderInfo: "USE" | "NONE" | "IGNORE";
  fieldDelimiter: string;
  recordDelimiter: string;
  quoteCharacter: string;
  quoteEscapeCharacter: string;
  comments: string;
  allowQuotedRecordDelimiter: boolean;
  jsonType: "LINES" | "DOCUMENT";
  compression: "NONE" | "GZIP" | "BZIP2";
}

export type InputField = keyof InputDraft;

const ESCAPES: [string, string][] = [
  ["\\t", "\t"],
  ["\\n", "\n"],
  ["\\r", "\r"],
];
const unescape = (text: string): string => ESCAPES.reduce((s, [from, to]) => s.replaceAll(from, to), text);
const escape = (text: string): string => ESCAPES.reduce((s, [to, from]) => s.replaceAll(from, to), text);

export const DEFAULT_DRAFT: InputDraft = {
  format: "CSV",
  fileHeaderInfo: "USE",
  fieldDelimiter: ",",
  recordDelimiter: "\\n",
  quoteCharacter: '"',
  quoteEscapeCharacter: '"',
  comments: "",
  allowQuotedRecordDelimiter: false,
  jsonType: "LINES",
  compression: "NONE",
};

export function draftOf(input: InputSerialization): InputDraft {
  const csv = input.CSV ?? {};
  return {
    ...DEFAULT_DRAFT,
    format: input.Parquet !== undefined ? "Parquet" : input.JSON ? "JSON" : "CSV",
    fileHeaderInfo: csv.FileHeaderInfo ?? "NONE",
    fieldDelimiter: escape(csv.FieldDelimiter ?? ","),
    recordDelimiter: escape(csv.RecordDelimiter ?? "\n"),
    quoteCharacter: csv.QuoteCharacter ?? '"',
    quoteEscapeCharacter: csv.QuoteEscapeCharacter ?? '"',
    comments: csv.Comments ?? "",
    allowQuotedRecordDelimiter: csv.AllowQuotedRecordDelimiter ?? false,
    jsonType: input.JSON?.Type ?? "LINES",
    compression: input.CompressionType ?? "NONE",
  };
}

/** The draft as the server's InputSerialization, before validation. */
export function rawInputOf(draft: InputDraft): unknown {
  if (draft.format === "Parquet") return { Parquet: {}, CompressionType: draft.compression };
  if (draft.format === "JSON") return { JSON: { Type: draft.jsonType }, CompressionType: draft.compression };
  return {
    CSV: {
      FileHeaderInfo: draft.fileHeaderInfo,
      FieldDelimiter: unescape(draft.fieldDelimiter),
      RecordDelimiter: unescape(draft.recordDelimiter),
      QuoteCharacter: draft.quoteCharacter,
      QuoteEscapeCharacter: draft.quoteEscapeCharacter,
      ...(draft.comments === "" ? {} : { Comments: draft.comments }),
      ...(draft.allowQuotedRecordDelimiter ? { AllowQuotedRecordDelimiter: true } : {}),
    },
    CompressionType: draft.compression,
  };
}

const FIELD_OF: Record<string, InputField> = {
  FileHeaderInfo: "fileHeaderInfo",
  FieldDelimiter: "fieldDelimiter",
  RecordDelimiter: "recordDelimiter",
  QuoteCharacter: "quoteCharacter",
  QuoteEscapeCharacter: "quoteEscapeCharacter",
  Comments: "comments",
  Type: "jsonType",
  CompressionType: "compression",
  Parquet: "format",
};

/** Validates with the server's own schema; errors are keyed by the form's fields (`format` for what concerns the whole). */
export function validateDraft(draft: InputDraft): { ok: true; input: InputSerialization } | { ok: false; errors: Partial<Record<InputField, string>> } {
  const parsed = inputSerializationSchema.safeParse(rawInputOf(draft));
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors: Partial<Record<InputField, string>> = {};
  for (const issue of parsed.error.issues) {
    const field = FIELD_OF[String(issue.path.at(-1))] ?? "format";
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}
