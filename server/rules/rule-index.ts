import { EVENT_NAMES, expandEventPattern, parseEventName, type EventName, type EventPattern } from "../events/event-names.ts";
import { formDecode } from "./form-encoding.ts";
import type { BucketNotificationConfig } from "./notification-config.ts";
import { PrefixTree, type PrefixTreeEntry } from "./prefix-tree.ts";
import { explainKeyMiss, type KeyFilter, type KeyMiss } from "./explain-key-miss.ts";

/** One delivery an event causes: the rule that matched (s3.configurationId) and its target. */
export interface RuleMatch {
  readonly ruleId: string;
  readonly targetArn: string;
}

export type DryRunReason = "event" | KeyMiss["reason"] | "target";

export interface DryRunResult {
  /** Exactly what `match` returns: the deliveries the event would cause. */
  matches: RuleMatch[];
  /** Every other rule of the bucket, in config order, with why it causes no delivery. */
  others: { ruleId: string; reason: DryRunReason; message: string }[];
}

/** A rule as the index holds it; shared by every event table the rule is in. */
interface IndexedRule {
  /** Position in the bucket's configuration: the earliest rule names the delivery to a shared target. */
  readonly order: number;
  readonly id: string;
  readonly patterns: readonly EventPattern[];
  readonly events: ReadonlySet<EventName>;
  /**
   * The filter as written and, when it is written form-URL-encoded (`my+photos/`),
   * also decoded (`my photos/`). Keys arrive decoded; the decoded filter matches
   * a key exactly when the written one matches the key's encoded spelling on
   * whole characters, so no key is ever encoded on the hot path (and a suffix
   * `A9` does not match the `%C3%A9` that spells `é`).
   */
  readonly filters: readonly KeyFilter[];
  /** One frozen match per distinct target, handed out as is, so matching allocates nothing for them. */
  readonly matches: readonly RuleMatch[];
}

interface BucketIndex {
  /** By `order`. */
  readonly rules: readonly IndexedRule[];
  /** `rules[order].matches` by `order`, so a single hit costs one array read. */
  readonly matches: readonly (readonly RuleMatch[])[];
  /** The trees hold rules by `order`; one tree serves up to 32 event classes (see `buildTrees`). */
  readonly trees: readonly PrefixTree[];
  /** By event id: the tree (`slot >>> 5`) and mask bit (`slot & 31`) of the event's class, or -1 when no rule subscribes. */
  readonly slots: Int32Array;
}

const NO_MATCHES: readonly RuleMatch[] = Object.freeze([]);

/**
 * A small number per event name, so that a bucket's event table is an array
 * read rather than a Map of its own: this one Map is shared by every bucket
 * and so stays in cache however many buckets there are.
 */
const EVENT_IDS: ReadonlyMap<string, number> = new Map(EVENT_NAMES.map((name, id) => [name, id]));

/**
 * Answers, for every incoming event, which targets get it. Built once from all
 * buckets' configurations and never changed: on a configuration change the
 * pipeline builds a new index and swaps it in with one assignment, so a lookup
 * always sees one consistent set of rules.
 *
 * Compound event names are expanded when the index is built. Each bucket has
 * one PrefixTree holding all its rules, so the work of a lookup depends on the
 * key, not on the number of rules. Event names whose rule lists are identical
 * (all names under a compound like `s3:ObjectCreated:*`) form one event class,
 * a bit in the masks the tree keeps per rule and per subtree.
 */
export class RuleIndex {
  private readonly buckets = new Map<string, BucketIndex>();
  /** Reused by every `match` (lookups are synchronous) and never truncated, so matching allocates no working array. */
  private readonly hits: number[] = [];

  constructor(configs: readonly BucketNotificationConfig[]) {
    const rulesByBucket = new Map<string, IndexedRule[]>();
    for (const config of configs) {
      // A bucket listed twice keeps both rule lists, in input order, rather than losing one.
      const rules = rulesByBucket.get(config.bucket) ?? [];
      for (const rule of config.rules) rules.push(indexRule(rule, rules.length));
      rulesByBucket.set(config.bucket, rules);
    }
    for (const [bucket, rules] of rulesByBucket) {
      this.buckets.set(bucket, { rules, matches: rules.map((rule) => rule.matches), ...buildTrees(rules) });
    }
  }

  /** O(1): whether any rule of the bucket subscribes to the event, so the pipeline can skip everything else. */
  hasSubscriber(bucket: string, eventName: EventName): boolean {
    const index = this.buckets.get(bucket);
    const id = EVENT_IDS.get(eventName);
    return index !== undefined && id !== undefined && index.slots[id]! >= 0;
  }

  /**
   * The deliveries for an event on a (decoded) key, one per target: when rules
   * share a target, the first in configuration order names the delivery. The
   * result is frozen and may be shared between calls.
   */
  match(bucket: string, eventName: EventName, key: string): readonly RuleMatch[] {
    const index = this.buckets.get(bucket);
    const id = EVENT_IDS.get(eventName);
    if (index === undefined || id === undefined) return NO_MATCHES;
    const slot = index.slots[id]!;
    if (slot < 0) return NO_MATCHES;
    const hits = this.hits;
    const count = index.trees[slot >>> 5]!.collect(key, hits, 0, 1 << (slot & 31));
    if (count === 0) return NO_MATCHES;
    return count === 1 ? index.matches[hits[0]!]! : mergeHits(index.matches, hits.slice(0, count));
  }

  /**
   * For the console: what `match` would deliver, and why each other rule of
   * the bucket would not. Throws InvalidEventName for a name events never carry.
   */
  dryRun(bucket: string, eventName: string, key: string): DryRunResult {
    const name = parseEventName(eventName, "eventName");
    const matches = this.match(bucket, name, key);
    const others: DryRunResult["others"] = [];
    for (const rule of this.buckets.get(bucket)?.rules ?? []) {
      if (!rule.events.has(name)) {
        others.push({ ruleId: rule.id, reason: "event", message: `the rule subscribes to ${rule.patterns.join(", ")}, not ${name}` });
        continue;
      }
      const miss = explainKeyMiss(rule.filters, key);
      if (miss) {
        others.push({ ruleId: rule.id, ...miss });
        continue;
      }
      if (matches.some((m) => m.ruleId === rule.id)) continue;
      const via = [...new Set(matches.filter((m) => rule.matches.some((own) => own.targetArn === m.targetArn)).map((m) => m.ruleId))];
      const message =
        via.length === 0
          ? "the rule matches, but has no targets"
          : `the rule matches, but its targets already get this event through ${via.map((id) => `rule ${JSON.stringify(id)}`).join(", ")}`;
      others.push({ ruleId: rule.id, reason: "target", message });
    }
    return { matches: [...matches], others };
  }
}

function indexRule(rule: BucketNotificationConfig["rules"][number], order: number): IndexedRule {
  const written = { prefix: rule.prefix ?? "", suffix: rule.suffix ?? "" };
  const decoded = { prefix: formDecode(written.prefix), suffix: formDecode(written.suffix) };
  const hasDecodedTwin =
    decoded.prefix !== undefined && decoded.suffix !== undefined && (decoded.prefix !== written.prefix || decoded.suffix !== written.suffix);
  const arns = [...new Set(rule.targetArns)];
  return {
    order,
    id: rule.id,
    patterns: [...rule.events],
    events: new Set(rule.events.flatMap((pattern) => expandEventPattern(pattern))),
    filters: hasDecodedTwin ? [written, { prefix: decoded.prefix!, suffix: decoded.suffix! }] : [written],
    matches: Object.freeze(arns.map((targetArn) => Object.freeze({ ruleId: rule.id, targetArn }))),
  };
}

/**
 * Groups the bucket's event names into classes with identical rule lists and
 * builds one tree per 32 classes (nearly always one), each rule carrying the
 * mask of its classes in that tree.
 */
function buildTrees(rules: readonly IndexedRule[]): Pick<BucketIndex, "trees" | "slots"> {
  const classByRuleSet = new Map<string, number>();
  const slots = new Int32Array(EVENT_NAMES.length).fill(-1);
  const classesOfRule = rules.map(() => [] as number[]);
  EVENT_NAMES.forEach((name, id) => {
    const subscribers = rules.filter((rule) => rule.events.has(name));
    if (subscribers.length === 0) return;
    const ruleSet = subscribers.map((rule) => rule.order).join(",");
    let eventClass = classByRuleSet.get(ruleSet);
    if (eventClass === undefined) {
      eventClass = classByRuleSet.size;
      classByRuleSet.set(ruleSet, eventClass);
      for (const rule of subscribers) classesOfRule[rule.order]!.push(eventClass);
    }
    slots[id] = eventClass;
  });
  const trees: PrefixTree[] = [];
  for (let first = 0; first < classByRuleSet.size; first += 32) {
    const entries: PrefixTreeEntry[] = [];
    for (const rule of rules) {
      let mask = 0;
      for (const eventClass of classesOfRule[rule.order]!) if (eventClass >= first && eventClass < first + 32) mask |= 1 << (eventClass - first);
      if (mask !== 0) for (const filter of rule.filters) entries.push({ ...filter, id: rule.order, mask });
    }
    trees.push(new PrefixTree(entries));
  }
  return { trees, slots };
}

/** Several rules matched (or one rule through both spellings of its filter): one match per target, earliest rule first. */
function mergeHits(matchesByOrder: readonly (readonly RuleMatch[])[], orders: number[]): readonly RuleMatch[] {
  orders.sort((a, b) => a - b);
  const merged: RuleMatch[] = [];
  const seen = new Set<string>();
  for (const order of orders) {
    for (const match of matchesByOrder[order]!) {
      if (seen.has(match.targetArn)) continue;
      seen.add(match.targetArn);
      merged.push(match);
    }
  }
  return Object.freeze(merged);
}
