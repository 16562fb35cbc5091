import type { NotificationRule } from "@/server/rules/notification-config.ts";
import { notificationRuleInputSchema, type NotificationRuleInput } from "@/server/rules/notification-config-schema.ts";
import type { ServerError } from "./server-error.ts";

/** The rule form's state: every field as the user edits it. */
export interface RuleDraft {
  id: string;
  events: string[];
  prefix: string;
  suffix: string;
  targetArns: string[];
}

export type RuleField = "id" | "events" | "prefix" | "suffix" | "targetArns";

/** Errors by field; `eventName`/`targetArn` point at the one entry at fault when the server named it. */
export interface RuleErrors {
  id?: string;
  events?: string;
  prefix?: string;
  suffix?: string;
  targetArns?: string;
  form?: string;
  eventName?: string;
  targetArn?: string;
}

export const EMPTY_DRAFT: RuleDraft = { id: "", events: [], prefix: "", suffix: "", targetArns: [] };

export function draftOf(rule: NotificationRule): RuleDraft {
  return { id: rule.id, events: [...rule.events], prefix: rule.prefix ?? "", suffix: rule.suffix ?? "", targetArns: [...rule.targetArns] };
}

/** An empty filter means "every key", which the server stores as no filter at all. */
export function inputOf(draft: RuleDraft): NotificationRuleInput {
  return {
    id: draft.id,
    events: draft.events,
    ...(draft.prefix ? { prefix: draft.prefix } : {}),
    ...(draft.suffix ? { suffix: draft.suffix } : {}),
    targetArns: draft.targetArns,
  };
}

const FIELD = /^(?:rule\.)?(id|events|prefix|suffix|targetArns)(?:\[(\d+)\])?(?:\.|$)/;

/**
 * Validates with the server's own schema, plus what the server checks
 * against the bucket (non-empty lists, a unique id) so the common slips are
 * caught before a round trip.
 */
export function validateDraft(input: NotificationRuleInput, takenIds: readonly string[]): RuleErrors {
  const errors: RuleErrors = {};
  const parsed = notificationRuleInputSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const match = FIELD.exec(issue.path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(""));
      const field = match?.[1] as RuleField | undefined;
      if (field) errors[field] ??= issue.message;
      else errors.form ??= issue.message;
    }
  }
  if (!errors.id && takenIds.includes(input.id)) errors.id = `rule id ${JSON.stringify(input.id)} is already used in this bucket`;
  if (input.events.length === 0) errors.events ??= "choose at least one event";
  if (input.targetArns.length === 0) errors.targetArns ??= "choose at least one target";
  return errors;
}

export function hasErrors(errors: RuleErrors): boolean {
  return Object.values(errors).some((value) => value !== undefined);
}

/**
 * Puts a server error on the field it names. Fields come relative to the
 * rule ("events[2]") or, for input shape errors, under "rule."; anything
 * else (another rule's field, no field) is a form-level error.
 */
export function errorsFromServer(error: ServerError, submitted: NotificationRuleInput): RuleErrors {
  const match = error.field ? FIELD.exec(error.field) : null;
  const field = match?.[1] as RuleField | undefined;
  if (!field) return { form: error.message };
  const index = match?.[2] === undefined ? undefined : Number(match[2]);
  const errors: RuleErrors = { [field]: error.message };
  if (field === "events" && index !== undefined) errors.eventName = submitted.events[index];
  if (field === "targetArns" && index !== undefined) errors.targetArn = submitted.targetArns[index];
  return errors;
}
