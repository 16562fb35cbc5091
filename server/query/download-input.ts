import { z } from "zod";
import { downloadFormatSchema, runQueryInputSchema } from "./query-input.ts";

/** The download link's query string: the query's fields, the input options as JSON text, and the format. */
export const downloadParamsSchema = runQueryInputSchema.extend({
  input: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "input must be JSON" });
        return z.NEVER;
      }
    })
    .pipe(runQueryInputSchema.shape.input),
  format: downloadFormatSchema,
});

export const QUERY_DOWNLOAD_PATH = "/download/query";

/** The URL of a download (browser side builds it; the server route parses it with downloadParamsSchema). */
export function downloadUrl(params: { bucket: string; key: string; expression: string; input: unknown; format: "csv" | "json" }): string {
  const search = new URLSearchParams({
    bucket: params.bucket,
    key: params.key,
    expression: params.expression,
    input: JSON.stringify(params.input),
    format: params.format,
  });
  return `${QUERY_DOWNLOAD_PATH}?${search.toString()}`;
}
