import { z } from "zod";

/**
 * One S3 FilterRule as written in a request. Names stay free-form strings here
 * so that a wrong name reaches validation and is reported as FilterNameInvalid
 * on its own field rather than as a generic shape error.
 */
export const filterRuleInputSchema = z.strictObject({
  name: z.string(),
  value: z.string(),
});

/**
 * The shape of one rule as the console, the JSON API and the XML import send
 * it. It is a superset of NotificationRule, so a stored config is valid input.
 * `filterRules` is the S3 form (the XML import produces it); `prefix`/`suffix`
 * is the console form. Meaning (known events, filter values, known ARNs,
 * non-empty lists) is checked by validateNotificationConfig, which needs the
 * target list and reports every problem on its field.
 *
 * Strict objects: a misspelt `prefx` silently ignored would widen a rule to
 * every key in the bucket.
 */
export const notificationRuleInputSchema = z.strictObject({
  id: z
    .string()
    .min(1, "rule id is required")
    .max(255, "rule id must be at most 255 characters"),
  events: z.array(z.string()),
  prefix: z.string().optional(),
  suffix: z.string().optional(),
  filterRules: z.array(filterRuleInputSchema).optional(),
  targetArns: z.array(z.string()),
});

export const notificationConfigInputSchema = z.strictObject({
  bucket: z.string().min(1, "bucket is required"),
  rules: z.array(notificationRuleInputSchema),
});

export type FilterRuleInput = z.input<typeof filterRuleInputSchema>;
export type NotificationRuleInput = z.input<typeof notificationRuleInputSchema>;
export type NotificationConfigInput = z.input<typeof notificationConfigInputSchema>;
