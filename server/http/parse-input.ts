import type { z } from "zod";
import { fromZodError } from "../errors/error-mapping.ts";

/** Validates transport input with a zod schema; failures name the field at fault. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, fieldPrefix?: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fromZodError(parsed.error, fieldPrefix);
  return parsed.data;
}
