import type { TargetType } from "../target.ts";
import { WEBHOOK_SECRET_FIELDS, webhookConfigSchema } from "./webhook-config.ts";
import { WebhookTarget } from "./webhook-target.ts";

export const webhookTargetType: TargetType<typeof webhookConfigSchema> = {
  type: "webhook",
  label: "Webhook (HTTP POST)",
  configSchema: webhookConfigSchema,
  secretFields: WEBHOOK_SECRET_FIELDS,
  create: (config, context) => new WebhookTarget(config, context),
};
