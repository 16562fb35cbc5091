import type { z } from "zod";
import type { Target, TargetContext, TargetType } from "./target.ts";

/**
 * A target type whose targets are instances of `TargetClass`, built from the
 * parsed config. Every type is declared the same way; this keeps each
 * declaration to the facts that differ (name, label, schema, secrets, class).
 */
export function defineTargetType<Schema extends z.ZodType>(
  type: string,
  label: string,
  configSchema: Schema,
  secretFields: readonly string[],
  TargetClass: new (config: z.infer<Schema>, context: TargetContext) => Target,
): TargetType<Schema> {
  return { type, label, configSchema, secretFields, create: (config, context) => new TargetClass(config, context) };
}
