import type { BucketNotificationConfig, NotificationRule } from "@/server/rules/notification-config.ts";

export type RuleAspect = "events" | "prefix" | "suffix" | "targets";

export interface AspectChange {
  aspect: RuleAspect;
  before: readonly string[];
  after: readonly string[];
}

export interface RuleChange {
  id: string;
  changes: AspectChange[];
}

/** What replacing `current` by `next` does, rule by rule (rules are matched by id). */
export interface ConfigDiff {
  added: NotificationRule[];
  removed: NotificationRule[];
  changed: RuleChange[];
  unchanged: string[];
  /** Rule order decides which rule a target's delivery is credited to, so a reorder is a change too. */
  reordered: boolean;
}

function aspects(rule: NotificationRule): Record<RuleAspect, readonly string[]> {
  return {
    events: rule.events,
    prefix: rule.prefix ? [rule.prefix] : [],
    suffix: rule.suffix ? [rule.suffix] : [],
    targets: rule.targetArns,
  };
}

/** Lists compare as sets: neither the order of a rule's events nor of its targets changes what it delivers. */
function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((value) => right.has(value));
}

export function diffConfigs(current: BucketNotificationConfig, next: BucketNotificationConfig): ConfigDiff {
  const before = new Map(current.rules.map((rule) => [rule.id, rule]));
  const after = new Map(next.rules.map((rule) => [rule.id, rule]));
  const diff: ConfigDiff = { added: [], removed: [], changed: [], unchanged: [], reordered: false };
  for (const rule of next.rules) {
    const old = before.get(rule.id);
    if (!old) {
      diff.added.push(rule);
      continue;
    }
    const was = aspects(old);
    const now = aspects(rule);
    const changes = (Object.keys(now) as RuleAspect[])
      .filter((aspect) => !sameSet(was[aspect], now[aspect]))
      .map((aspect) => ({ aspect, before: was[aspect], after: now[aspect] }));
    if (changes.length > 0) diff.changed.push({ id: rule.id, changes });
    else diff.unchanged.push(rule.id);
  }
  diff.removed = current.rules.filter((rule) => !after.has(rule.id));
  const keptBefore = current.rules.filter((rule) => after.has(rule.id)).map((rule) => rule.id);
  const keptAfter = next.rules.filter((rule) => before.has(rule.id)).map((rule) => rule.id);
  diff.reordered = keptBefore.some((id, index) => keptAfter[index] !== id);
  return diff;
}

export function isNoop(diff: ConfigDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0 && !diff.reordered;
}
