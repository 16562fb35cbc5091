import { z } from "zod";
import { AppError } from "../../../errors/app-error.ts";
import type { ErrorCode } from "../../../errors/error-codes.ts";

/**
 * Schemas for S3 Select's InputSerialization / OutputSerialization as they come
 * out of the XML parser. XML gives strings for everything, so booleans ("TRUE")
 * and numbers ("100") are accepted as strings too, and an empty element
 * (`<CSV/>`, parsed as "") counts as an empty object.
 */

const emptyAsObject = (value: unknown): unknown => (value === "" || value === null ? {} : value);

const xmlBoolean = z.preprocess((value) => {
  if (typeof value === "string") {
    const upper = value.trim().toUpperCase();
    if (upper === "TRUE") return true;
    if (upper === "FALSE") return false;
  }
  return value;
}, z.boolean());

const xmlNumber = z.preprocess(
  (value) => (typeof value === "string" && value.trim() !== "" ? Number(value) : value),
  z.number().int().nonnegative(),
);

const singleChar = z.string().length(1);
/** AWS allows one or two characters for a record delimiter (e.g. "\r\n"). */
const recordDelimiter = z.string().min(1).max(2);

export const csvInputSchema = z.preprocess(
  emptyAsObject,
  z.object({
    FileHeaderInfo: z.enum(["NONE", "USE", "IGNORE"]).optional(),
    Comments: singleChar.optional(),
    QuoteEscapeCharacter: singleChar.optional(),
    RecordDelimiter: recordDelimiter.optional(),
    FieldDelimiter: singleChar.optional(),
    QuoteCharacter: singleChar.optional(),
    AllowQuotedRecordDelimiter: xmlBoolean.optional(),
  }),
);
export type CsvInput = z.infer<typeof csvInputSchema>;

/** AWS makes Type optional; without it the object is a JSON document (or several). */
export const jsonInputSchema = z.preprocess(emptyAsObject, z.object({ Type: z.enum(["DOCUMENT", "LINES"]).optional() }));
export type JsonInput = z.infer<typeof jsonInputSchema>;

/** AWS's ParquetInput has no members: `<Parquet/>`. */
export const parquetInputSchema = z.preprocess(emptyAsObject, z.object({}));
export type ParquetInput = z.infer<typeof parquetInputSchema>;

export const compressionTypeSchema = z.enum(["NONE", "GZIP", "BZIP2"]);
export type CompressionType = z.infer<typeof compressionTypeSchema>;

export const scanRangeSchema = z.preprocess(
  emptyAsObject,
  z.object({ Start: xmlNumber.optional(), End: xmlNumber.optional() }),
);
export type ScanRangeInput = z.infer<typeof scanRangeSchema>;

export const inputSerializationSchema = z
  .object({
    CSV: csvInputSchema.optional(),
    JSON: jsonInputSchema.optional(),
    Parquet: parquetInputSchema.optional(),
    CompressionType: compressionTypeSchema.optional(),
  })
  .superRefine((value, ctx) => {
    const count = [value.CSV, value.JSON, value.Parquet].filter((format) => format !== undefined).length;
    if (count !== 1) {
      ctx.addIssue({ code: "custom", message: "InputSerialization needs exactly one of CSV, JSON or Parquet" });
    }
    // Parquet compresses its pages itself; AWS does not take whole-object compression for it.
    if (value.Parquet !== undefined && (value.CompressionType ?? "NONE") !== "NONE") {
      ctx.addIssue({
        code: "custom",
        message: "CompressionType must be NONE for Parquet input (Parquet pages carry their own compression)",
        path: ["CompressionType"],
      });
    }
  });
export type InputSerialization = z.infer<typeof inputSerializationSchema>;

export const csvOutputSchema = z.preprocess(
  emptyAsObject,
  z.object({
    QuoteFields: z.enum(["ALWAYS", "ASNEEDED"]).optional(),
    QuoteEscapeCharacter: singleChar.optional(),
    RecordDelimiter: recordDelimiter.optional(),
    FieldDelimiter: singleChar.optional(),
    QuoteCharacter: singleChar.optional(),
  }),
);
export type CsvOutput = z.infer<typeof csvOutputSchema>;

export const jsonOutputSchema = z.preprocess(
  emptyAsObject,
  z.object({ RecordDelimiter: recordDelimiter.optional() }),
);
export type JsonOutput = z.infer<typeof jsonOutputSchema>;

export const outputSerializationSchema = z
  .object({ CSV: csvOutputSchema.optional(), JSON: jsonOutputSchema.optional() })
  .refine((value) => (value.CSV === undefined) !== (value.JSON === undefined), {
    message: "OutputSerialization needs exactly one of CSV or JSON",
  });
export type OutputSerialization = z.infer<typeof outputSerializationSchema>;

/**
 * AWS's error code for a bad value of a serialization option, by the option's element
 * name (the last step of the zod issue's path). AWS has dedicated codes for
 * QuoteFields, FileHeaderInfo, the JSON Type and CompressionType; it has none for the
 * delimiters and quote characters, which fall under its generic InvalidRequestParameter
 * ("The value of a parameter in the SelectRequest element is not valid").
 */
const OPTION_ERROR_CODES: Readonly<Record<string, ErrorCode>> = {
  QuoteFields: "InvalidQuoteFields",
  FileHeaderInfo: "InvalidFileHeaderInfo",
  Type: "InvalidJsonType",
  CompressionType: "InvalidCompressionFormat",
  RecordDelimiter: "InvalidRequestParameter",
  FieldDelimiter: "InvalidRequestParameter",
  QuoteCharacter: "InvalidRequestParameter",
  QuoteEscapeCharacter: "InvalidRequestParameter",
};

/**
 * The AWS code of a zod issue of the serialization schemas, or undefined when AWS has
 * no specific one (the caller's generic code applies). Only a bad value of an option
 * counts: checks across options (`code: "custom"`, e.g. Parquet with GZIP) do not.
 */
export function serializationErrorCode(issue: { path: readonly PropertyKey[]; code: string }): ErrorCode | undefined {
  if (issue.code === "custom") return undefined;
  const last = issue.path.at(-1);
  if (typeof last !== "string" || !Object.hasOwn(OPTION_ERROR_CODES, last)) return undefined;
  // `Type` is the JSON input's; nothing else is named so, but be exact.
  if (last === "Type" && issue.path.at(-2) !== "JSON") return undefined;
  return OPTION_ERROR_CODES[last];
}

/**
 * Validates a request's InputSerialization and OutputSerialization (as runSelect gets
 * them, possibly unvalidated) with the schemas above; throws an AppError with AWS's
 * code for the first problem (see serializationErrorCode), else InvalidArgument.
 */
export function checkSerialization(input: unknown, output: unknown): void {
  for (const [name, schema, value] of [
    ["InputSerialization", inputSerializationSchema, input],
    ["OutputSerialization", outputSerializationSchema, output],
  ] as const) {
    const parsed = schema.safeParse(value);
    const issue = parsed.success ? undefined : parsed.error.issues[0];
    if (issue === undefined) continue;
    const field = [name, ...issue.path.map(String)].join(".");
    throw new AppError(serializationErrorCode(issue) ?? "InvalidArgument", `${field}: ${issue.message}`, { field });
  }
}

/** AWS defaults for the CSV options. */
export const CSV_DEFAULTS = {
  FieldDelimiter: ",",
  RecordDelimiter: "\n",
  QuoteCharacter: '"',
  QuoteEscapeCharacter: '"',
  FileHeaderInfo: "NONE",
} as const;

/** AWS's cap on one record (input or output): 1 MiB. */
export const MAX_RECORD_BYTES = 1024 * 1024;
