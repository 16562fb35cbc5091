import { z } from "zod";
import { AppError } from "../errors/app-error.ts";
import type { ErrorCode } from "../errors/error-codes.ts";
import { expandEventPattern, isEventPattern, type EventPattern } from "../events/event-names.ts";
import { filterValueProblem } from "./filter-value.ts";
import type { BucketNotificationConfig, NotificationRule } from "./notification-config.ts";
import {
  notificationConfigInputSchema,
  notificationRuleInputSchema,
  type NotificationRuleInput,
} from "./notification-config-schema.ts";

/**
 * Validates a bucket's notification configuration as S3 and the reference
 * servers do, and returns it in canonical form (empty filter values dropped,
 * S3 filter rules folded into `prefix`/`suffix`). Throws the first problem as
 * an AppError whose `field` locates it, e.g. `rules[2].filterRules[0].value`.
 */
export function validateNotificationConfig(input: unknown, knownArns: ReadonlySet<string>): BucketNotificationConfig {
  const { config, errors } = checkNotificationConfig(input, knownArns);
  // There is a config exactly when there are no errors.
  if (config === undefined) throw errors[0];
  return config;
}

/** Every problem of the configuration, each on its own field (empty when valid), for forms that show them all. */
export function collectNotificationConfigErrors(input: unknown, knownArns: ReadonlySet<string>): AppError[] {
  return checkNotificationConfig(input, knownArns).errors;
}

// Rules are parsed one by one so that a shape error in one rule does not hide
// the problems of the others.
const configShellSchema = notificationConfigInputSchema.extend({ rules: z.array(z.unknown()) });

function checkNotificationConfig(
  input: unknown,
  knownArns: ReadonlySet<string>,
): { config: BucketNotificationConfig | undefined; errors: AppError[] } {
  const errors: AppError[] = [];
  const shell = configShellSchema.safeParse(input);
  if (!shell.success) {
    for (const issue of shell.error.issues) errors.push(...issueErrors(issue, [], "configuration"));
    return { config: undefined, errors };
  }
  const rules: NotificationRule[] = [];
  const firstIndexOfId = new Map<string, number>();
  shell.data.rules.forEach((raw, index) => {
    const rawId = isRecord(raw) && typeof raw.id === "string" && raw.id !== "" ? raw.id : undefined;
    const at = new RuleLocation(index, rawId);
    const parsed = notificationRuleInputSchema.safeParse(raw);
    if (parsed.success) {
      const rule = checkRule(parsed.data, at, knownArns, errors);
      if (rule) rules.push(rule);
    } else {
      for (const issue of parsed.error.issues) errors.push(...issueErrors(issue, ["rules", index], at.label));
    }
    if (rawId === undefined) return;
    const first = firstIndexOfId.get(rawId);
    if (first === undefined) firstIndexOfId.set(rawId, index);
    else errors.push(at.error("DuplicateRuleId", "id", `id ${JSON.stringify(rawId)} is already used by rules[${first}]`, { ruleId: rawId }));
  });
  return { config: errors.length === 0 ? { bucket: shell.data.bucket, rules } : undefined, errors };
}

/** Names a rule in messages by index and, when it has one, by id. */
class RuleLocation {
  readonly label: string;

  constructor(
    readonly index: number,
    id: string | undefined,
  ) {
    this.label = id === undefined ? `rules[${index}]` : `rule ${JSON.stringify(id)} (rules[${index}])`;
  }

  field(path: string): string {
    return `rules[${this.index}].${path}`;
  }

  error(code: ErrorCode, path: string, message: string, details?: Record<string, unknown>): AppError {
    return new AppError(code, `${this.label}: ${message}`, { field: this.field(path), ...(details ? { details } : {}) });
  }
}

function checkRule(
  input: NotificationRuleInput,
  at: RuleLocation,
  knownArns: ReadonlySet<string>,
  errors: AppError[],
): NotificationRule | undefined {
  const before = errors.length;
  checkEvents(input.events, at, errors);
  const filter = checkFilter(input, at, errors);
  checkTargetArns(input.targetArns, at, knownArns, errors);
  if (errors.length > before) return undefined;
  return {
    id: input.id,
    events: [...input.events] as EventPattern[],
    ...(filter.prefix ? { prefix: filter.prefix } : {}),
    ...(filter.suffix ? { suffix: filter.suffix } : {}),
    targetArns: [...input.targetArns],
  };
}

/**
 * Besides exact repeats, a name already covered by a compound name in the same
 * rule (`s3:ObjectCreated:Put` next to `s3:ObjectCreated:*`) is reported as
 * DuplicateEventName: it changes nothing the rule matches, so it can only be a
 * slip, and rejecting it keeps each rule's event list minimal for the console
 * and for export.
 */
function checkEvents(events: readonly string[], at: RuleLocation, errors: AppError[]): void {
  if (events.length === 0) {
    errors.push(at.error("ValidationError", "events", "events must list at least one event name"));
    return;
  }
  const firstIndex = new Map<string, number>();
  const distinct: { name: EventPattern; index: number; covers: ReadonlySet<string> }[] = [];
  events.forEach((name, index) => {
    const path = `events[${index}]`;
    if (!isEventPattern(name)) {
      errors.push(at.error("InvalidEventName", path, `unknown S3 event name ${JSON.stringify(name)} in ${path}`, { eventName: name }));
      return;
    }
    const first = firstIndex.get(name);
    if (first !== undefined) {
      errors.push(at.error("DuplicateEventName", path, `${path} ${JSON.stringify(name)} repeats events[${first}]`, { eventName: name }));
      return;
    }
    firstIndex.set(name, index);
    distinct.push({ name, index, covers: new Set(expandEventPattern(name)) });
  });
  // Only distinct known names reach here (fewer than the catalog), so the pairwise scan stays small.
  for (const entry of distinct) {
    const coveredBy = distinct.find(
      (other) =>
        other !== entry &&
        [...entry.covers].every((n) => other.covers.has(n)) &&
        (other.covers.size > entry.covers.size || other.index < entry.index),
    );
    if (!coveredBy) continue;
    const path = `events[${entry.index}]`;
    errors.push(
      at.error(
        "DuplicateEventName",
        path,
        `${path} ${JSON.stringify(entry.name)} is already covered by events[${coveredBy.index}] ${JSON.stringify(coveredBy.name)}`,
        { eventName: entry.name, coveredBy: coveredBy.name },
      ),
    );
  }
}

type FilterKind = "prefix" | "suffix";

interface FilterSource {
  /** Undefined when the S3 filter rule name is neither prefix nor suffix. */
  kind: FilterKind | undefined;
  /** As written, for messages. */
  name: string;
  value: string;
  namePath: string;
  valuePath: string;
}

function filterSources(input: NotificationRuleInput): FilterSource[] {
  const sources: FilterSource[] = [];
  if (input.prefix !== undefined) sources.push({ kind: "prefix", name: "prefix", value: input.prefix, namePath: "prefix", valuePath: "prefix" });
  if (input.suffix !== undefined) sources.push({ kind: "suffix", name: "suffix", value: input.suffix, namePath: "suffix", valuePath: "suffix" });
  (input.filterRules ?? []).forEach((rule, index) => {
    const lower = rule.name.toLowerCase();
    sources.push({
      kind: lower === "prefix" || lower === "suffix" ? lower : undefined,
      name: rule.name,
      value: rule.value,
      namePath: `filterRules[${index}].name`,
      valuePath: `filterRules[${index}].value`,
    });
  });
  return sources;
}

function checkFilter(input: NotificationRuleInput, at: RuleLocation, errors: AppError[]): Partial<Record<FilterKind, string>> {
  const filter: Partial<Record<FilterKind, string>> = {};
  const seenAt: Partial<Record<FilterKind, string>> = {};
  for (const source of filterSources(input)) {
    if (source.kind === undefined) {
      const { name, namePath } = source;
      errors.push(
        at.error("FilterNameInvalid", namePath, `filter rule name ${JSON.stringify(name)} in ${namePath} must be "prefix" or "suffix"`, { name }),
      );
      continue;
    }
    const earlier = seenAt[source.kind];
    if (earlier !== undefined) {
      errors.push(
        at.error(
          "FilterDuplicate",
          source.namePath,
          `${source.namePath} is a second ${source.kind} filter (the first is ${earlier}); at most one prefix and one suffix are allowed`,
          { name: source.kind },
        ),
      );
      continue;
    }
    seenAt[source.kind] = source.namePath;
    const problem = filterValueProblem(source.value);
    if (problem) {
      const shown = problem.code === "FilterValueTooLong" ? "" : ` ${JSON.stringify(source.value)}`;
      errors.push(at.error(problem.code, source.valuePath, `${source.kind} filter value${shown} in ${source.valuePath} ${problem.reason}`));
      continue;
    }
    filter[source.kind] = source.value;
  }
  return filter;
}

function checkTargetArns(arns: readonly string[], at: RuleLocation, knownArns: ReadonlySet<string>, errors: AppError[]): void {
  if (arns.length === 0) {
    errors.push(at.error("ValidationError", "targetArns", "targetArns must list at least one target ARN"));
    return;
  }
  const firstIndex = new Map<string, number>();
  arns.forEach((arn, index) => {
    const path = `targetArns[${index}]`;
    const first = firstIndex.get(arn);
    if (first !== undefined) {
      errors.push(at.error("ValidationError", path, `${path} ${JSON.stringify(arn)} repeats targetArns[${first}]`, { arn }));
      return;
    }
    firstIndex.set(arn, index);
    if (!knownArns.has(arn)) {
      errors.push(at.error("TargetArnNotFound", path, `target ${JSON.stringify(arn)} in ${path} is not a configured target`, { arn }));
    }
  });
}

/** Shape errors as ValidationErrors; an unknown key is reported on its own field so a form can point at it. */
function issueErrors(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[], label: string): AppError[] {
  const located =
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: `unknown field ${JSON.stringify(key)}` }))
      : [{ path: issue.path, message: issue.message }];
  return located.map(({ path, message }) => {
    const field = formatPath([...prefix, ...path]);
    const within = formatPath(path);
    return new AppError("ValidationError", `${label}: ${within ? `${within}: ` : ""}${message}`, {
      ...(field ? { field } : {}),
      details: { issue: issue.code },
    });
  });
}

/** `["rules", 2, "events", 0]` -> `rules[2].events[0]`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === "number") return `${out}[${part}]`;
    return out === "" ? String(part) : `${out}.${String(part)}`;
  }, "");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
