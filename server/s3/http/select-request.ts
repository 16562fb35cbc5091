import { z } from "zod";
import { AppError } from "../../errors/app-error.ts";
import {
  inputSerializationSchema,
  outputSerializationSchema,
  scanRangeSchema,
  serializationErrorCode,
} from "../select/io/input-options.ts";
import type { SelectRequest } from "../select/run-select.ts";
import { parseS3Xml } from "./s3-xml.ts";

const enabledSchema = z.preprocess((value) => (value === "" || value === null ? {} : value), z.object({ Enabled: z.string().optional() }));

const selectRequestSchema = z.object({
  Expression: z.string({ error: "Expression is required" }),
  ExpressionType: z.string({ error: "ExpressionType is required" }),
  InputSerialization: inputSerializationSchema,
  OutputSerialization: outputSerializationSchema,
  RequestProgress: enabledSchema.optional(),
  ScanRange: scanRangeSchema.optional(),
});

/**
 * The SelectObjectContentRequest XML as a SelectRequest. Element values keep
 * their whitespace (a RecordDelimiter is often "\n"); a missing or malformed
 * part is an error naming it, with AWS's codes (a bad serialization option: the
 * option's own code, see serializationErrorCode).
 */
export function parseSelectRequest(xml: string): SelectRequest {
  const doc = parseS3Xml(xml, "SelectObjectContentRequest");
  const parsed = selectRequestSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join(".") || "SelectObjectContentRequest";
    // A bad option value gets AWS's code for it (InvalidQuoteFields, InvalidJsonType...:
    // the table in input-options.ts); anything else is InvalidArgument.
    const code =
      issue === undefined
        ? "InvalidArgument"
        : field.startsWith("Expression") && issue.code === "invalid_type"
          ? "MissingRequiredParameter"
          : (serializationErrorCode(issue) ?? "InvalidArgument");
    throw new AppError(code, `${field}: ${issue?.message ?? "invalid"}`, { field });
  }
  const value = parsed.data;
  if (value.ExpressionType.trim().toUpperCase() !== "SQL") {
    throw new AppError("InvalidExpressionType", "The ExpressionType is invalid. Only SQL expressions are supported", { field: "ExpressionType" });
  }
  const range = value.ScanRange;
  return {
    expression: value.Expression,
    input: value.InputSerialization,
    output: value.OutputSerialization,
    requestProgress: value.RequestProgress?.Enabled?.trim().toUpperCase() === "TRUE",
    ...(range === undefined ? {} : { scanRange: { ...(range.Start === undefined ? {} : { start: range.Start }), ...(range.End === undefined ? {} : { end: range.End }) } }),
  };
}
