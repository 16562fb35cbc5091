import type { z } from "zod";
import { REDIS_SECRET_FIELDS, redisConfigSchema } from "./redis/redis-config.ts";
import { WEBHOOK_SECRET_FIELDS, webhookConfigSchema } from "./webhook/webhook-config.ts";

/** How a stored secret is shown; sent back unchanged, it keeps the stored value. */
export const SECRET_MASK = "********";

export interface TargetConfigSchema {
  /** What the console calls the type. */
  label: string;
  schema: z.ZodType;
  /** Config fields the server masks and never sends back. */
  secretFields: readonly string[];
}

/**
 * Each target type's config schema and nothing else, so the browser can import
 * it: the console generates a type's form from its schema and validates the
 * form with the very schema the server parses the config with. A new target
 * type adds its entry here and gets a form without a new page.
 */
export const TARGET_CONFIG_SCHEMAS = {
  webhook: { label: "Webhook", schema: webhookConfigSchema, secretFields: WEBHOOK_SECRET_FIELDS },
  redis: { label: "Redis", schema: redisConfigSchema, secretFields: REDIS_SECRET_FIELDS },
} as const satisfies Record<string, TargetConfigSchema>;

export type ConfigurableTargetType = keyof typeof TARGET_CONFIG_SCHEMAS;
