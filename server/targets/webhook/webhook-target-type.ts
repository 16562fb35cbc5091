import { defineTargetType } from "../define-target-type.ts";
import { WEBHOOK_SECRET_FIELDS, webhookConfigSchema } from "./webhook-config.ts";
import { WebhookTarget } from "./webhook-target.ts";

export const webhookTargetType = defineTargetType("webhook", "Webhook (HTTP POST)", webhookConfigSchema, WEBHOOK_SECRET_FIELDS, WebhookTarget);
