import { z } from "zod";
import { inputSerializationSchema } from "../s3/select/io/input-options.ts";

/**
 * The query console's inputs, shared by the server (tRPC, the socket, the
 * download route) and the browser's forms. Browser-safe: zod only.
 */

export const bucketNameSchema = z.string().min(1, "choose a bucket").max(63);
export const objectKeySchema = z.string().min(1, "choose an object").max(1024);
export const expressionSchema = z.string().trim().min(1, "write a query").max(256 * 1024);

export const queryTargetSchema = z.object({ bucket: bucketNameSchema, key: objectKeySchema });

export const runQueryInputSchema = z.object({
  bucket: bucketNameSchema,
  key: objectKeySchema,
  expression: expressionSchema,
  input: inputSerializationSchema,
});
export type RunQueryInput = z.infer<typeof runQueryInputSchema>;

export const downloadFormatSchema = z.enum(["csv", "json"]);
export type DownloadFormat = z.infer<typeof downloadFormatSchema>;

export const listObjectsInputSchema = z.object({
  bucket: bucketNameSchema,
  prefix: z.string().max(1024).optional(),
  cursor: z.string().optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type ListObjectsInput = z.infer<typeof listObjectsInputSchema>;

export const saveQueryInputSchema = z.object({
  name: z.string().trim().min(1, "name the query").max(120),
  expression: expressionSchema,
  input: inputSerializationSchema,
  bucket: bucketNameSchema.optional(),
  key: objectKeySchema.optional(),
});
export type SaveQueryInput = z.infer<typeof saveQueryInputSchema>;

/** The socket's query:run payload. */
export const queryRunPayloadSchema = runQueryInputSchema;
export const queryCancelPayloadSchema = z.object({ id: z.string().min(1).max(100) });
