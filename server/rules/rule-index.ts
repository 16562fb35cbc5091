import { EVENT_NAMES, expandEventPattern, parseEventName, type EventName, type EventPattern } from "../events/event-names.ts";
import { formDecode } from "./form-encoding.ts";
import type { BucketNotificationConfig } from "./notification-config.ts";
import { PREFIX_TREE_MASK_BITS, PrefixTree, type PrefixTreeEntry } from "./prefix-tree.ts";
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

/** A rule as the index holds it. */
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
  /** Distinct, in configuration order. */
  readonly targetArns: readonly string[];
}

interface BucketIndex {
  /** By `order`. */
  readonly rules: readonly IndexedRule[];
  /**
   * By `order`, one frozen match per distinct target of the rule, created
   * once, so matching allocates nothing for them.
   */
  readonly matches: readonly (readonly RuleMatch[])[];
  /**
   * By `order`, the rule's match when it has exactly one target (nearly every
   * rule), else null: a lookup that hits one rule copies one reference from
   * this flat array, where reaching the rule's own array would be one more
   * cache miss with many rules.
   */
  readonly single: readonly (RuleMatch | null)[];
  /**
   * By `order`, the number (in `targetNumbers`) of the rule's target when it
   * has exactly one, else -1: what `mergeHits` compares targets by, in a
   * compact array, rather than by reading each hit's match (a cache miss per
   * rule with many rules).
   */
  readonly singleTarget: Int32Array;
  /** A number per distinct target of the bucket, by ARN. */
  readonly targetNumbers: ReadonlyMap<string, number>;
  /** The trees hold rules by `order` (see `buildTrees`). */
  readonly trees: readonly PrefixTree[];
  /** `trees[0]`, the only one of a large index nearly always, so that a lookup follows one reference less. */
  readonly tree: PrefixTree | undefined;
  /** By event id: the tree (`slot >> MASK_SHIFT`) and the mask bit (`slot & MASK_BIT`) of the event's class, or -1 when no rule subscribes. */
  readonly slots: Int16Array;
}

const NO_MATCHES: readonly RuleMatch[] = Object.freeze([]);

/**
 * A small number per event name, so that a bucket's event table is an array
 * read rather than a Map of its own: this one Map is shared by every bucket
 * and so stays in cache however many buckets there are.
 */
const EVENT_IDS: ReadonlyMap<string, number> = new Map(EVENT_NAMES.map((name, id) => [name, id]));

const MASK_SHIFT = Math.log2(PREFIX_TREE_MASK_BITS);
const MASK_BIT = PREFIX_TREE_MASK_BITS - 1;

/**
 * Up to this many tree entries in all, every event class of every bucket has
 * a tree of its own; beyond, a bucket's classes share trees, PREFIX_TREE_MASK_BITS
 * to a tree. Trees of their own are a little faster, as a lookup skips no other
 * event's rules, and as small as the rules in a small index; shared trees
 * store each rule once rather than once per class it is in (a rule on
 * `s3:ObjectCreated:*` and `s3:ObjectRemoved:*` is in several), which at tens of
 * thousands of rules decides what stays in the CPU caches.
 */
const SEPARATE_TREES_UP_TO = 8192;

/**
 * Answers, for every incoming event, which targets get it. Built once from all
 * buckets' configurations and never changed: on a configuration change the
 * pipeline builds a new index and swaps it in with one assignment, so a lookup
 * always sees one consistent set of rules.
 *
 * Compound event names are expanded when the index is built. Event names
 * whose rule lists are identical (all names under a compound like
 * `s3:ObjectCreated:*`) form one event class. A bucket's rules are in
 * PrefixTrees, one per class in a small index and one per bucket in a large
 * one (see SEPARATE_TREES_UP_TO), where a class is a bit of the masks the tree
 * keeps per rule and per subtree. Either way the work of a lookup depends on
 * the key and on the rules along its path, not on the number of rules.
 */
export class RuleIndex {
  private readonly buckets = new Map<string, BucketIndex>();
  /** Reused by every `match` (lookups are synchronous) and never truncated, so matching allocates no working array. */
  private readonly hits: number[] = [];
  /** `match`'s working array, for the same reason. */
  private readonly scratch: RuleMatch[] = [];
  /**
   * `mergeHits`' working array: the target numbers of the matches written so
   * far. As long as the most targets any bucket has, which bounds the matches
   * of one lookup, so it never grows during a lookup.
   */
  private readonly seenTargets: Int32Array;

  constructor(configs: readonly BucketNotificationConfig[]) {
    const rulesByBucket = new Map<string, IndexedRule[]>();
    for (const config of configs) {
      // A bucket listed twice keeps both rule lists, in input order, rather than losing one.
      const rules = rulesByBucket.get(config.bucket) ?? [];
      for (const rule of config.rules) rules.push(indexRule(rule, rules.length));
      rulesByBucket.set(config.bucket, rules);
    }
    const classified = [...rulesByBucket].map(([bucket, rules]) => ({ bucket, rules, classes: classify(rules) }));
    const separateEntries = classified.reduce((sum, { classes }) => sum + classes.separateEntries, 0);
    const classesPerTree = separateEntries <= SEPARATE_TREES_UP_TO ? 1 : PREFIX_TREE_MASK_BITS;
    const built = classified.map(({ bucket, rules, classes }) => ({ bucket, rules, ...buildTrees(rules, classes, classesPerTree) }));
    PrefixTree.pack(built.flatMap(({ trees }) => trees));
    // Results are made last, all together, the matches first and then the arrays holding them, so that the arrays a
    // lookup returns sit side by side rather than among everything else built per rule: with many rules a lookup
    // finds its result in a cold cache line, and the fewer megabytes those lines span, the cheaper the miss.
    const matchesByBucket = built.map(({ rules }) => rules.map((rule) => rule.targetArns.map((targetArn) => Object.freeze({ ruleId: rule.id, targetArn }))));
    let mostTargets = 0;
    built.forEach(({ bucket, rules, ...index }, b) => {
      const matches = matchesByBucket[b]!.map((perRule) => Object.freeze(perRule.slice()));
      const single = matches.map((perRule) => (perRule.length === 1 ? perRule[0]! : null));
      const targetNumbers = new Map<string, number>();
      for (const perRule of matches) for (const { targetArn } of perRule) if (!targetNumbers.has(targetArn)) targetNumbers.set(targetArn, targetNumbers.size);
      const singleTarget = Int32Array.from(single, (only) => (only === null ? -1 : targetNumbers.get(only.targetArn)!));
      mostTargets = Math.max(mostTargets, targetNumbers.size);
      this.buckets.set(bucket, { rules, matches, single, singleTarget, targetNumbers, ...index });
    });
    this.seenTargets = new Int32Array(mostTargets);
  }

  /** Bytes of compiled trees that lookups walk, over all buckets: what decides whether the index stays in the CPU caches. */
  get byteLength(): number {
    let bytes = 0;
    for (const { trees } of this.buckets.values()) for (const tree of trees) bytes += tree.byteLength;
    return bytes;
  }

  /** O(1): whether any rule of the bucket subscribes to the event, so the pipeline can skip everything else. */
  hasSubscriber(bucket: string, eventName: EventName): boolean {
    const index = this.buckets.get(bucket);
    const id = EVENT_IDS.get(eventName);
    return index !== undefined && id !== undefined && index.slots[id]! >= 0;
  }

  /**
   * The deliveries for an event on a (decoded) key, one per target: when rules
   * share a target, the first in configuration order names the delivery.
   * Writes them into `out` from index 0 and returns how many (`out` keeps any
   * older entries past that), so a caller matching many events allocates
   * nothing per event. The matches themselves are frozen and shared.
   */
  matchInto(bucket: string, eventName: EventName, key: string, out: RuleMatch[]): number {
    const index = this.buckets.get(bucket);
    const id = EVENT_IDS.get(eventName);
    if (index === undefined || id === undefined) return 0;
    const slot = index.slots[id]!;
    if (slot < 0) return 0;
    const hits = this.hits;
    const tree = slot <= MASK_BIT ? index.tree! : index.trees[slot >> MASK_SHIFT]!;
    const count = tree.collect(key, hits, 0, 1 << (slot & MASK_BIT));
    if (count === 0) return 0;
    if (count === 1) {
      const only = index.single[hits[0]!]!;
      if (only !== null) {
        out[0] = only;
        return 1;
      }
    }
    return mergeHits(index, hits, count, out, this.seenTargets);
  }

  /** `matchInto` for a caller that wants an array of its own: a new frozen one per call. */
  match(bucket: string, eventName: EventName, key: string): readonly RuleMatch[] {
    const out = this.scratch;
    const count = this.matchInto(bucket, eventName, key, out);
    return count === 0 ? NO_MATCHES : Object.freeze(out.slice(0, count));
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
      const via = [...new Set(matches.filter((m) => rule.targetArns.includes(m.targetArn)).map((m) => m.ruleId))];
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
  return {
    order,
    id: rule.id,
    patterns: [...rule.events],
    events: new Set(rule.events.flatMap((pattern) => expandEventPattern(pattern))),
    filters: hasDecodedTwin ? [written, { prefix: decoded.prefix!, suffix: decoded.suffix! }] : [written],
    targetArns: [...new Set(rule.targetArns)],
  };
}


interface EventClasses {
  /** By event id: the event's class, or -1 when no rule subscribes. */
  readonly classOfEvent: readonly number[];
  readonly count: number;
  /** By rule order: the classes the rule is in. */
  readonly ofRule: readonly (readonly number[])[];
  /** Entries the bucket's trees would hold with a tree per class. */
  readonly separateEntries: number;
}

/** Groups the bucket's event names into classes: names with identical rule lists. */
function classify(rules: readonly IndexedRule[]): EventClasses {
  const classByRuleSet = new Map<string, number>();
  const ofRule = rules.map(() => [] as number[]);
  let separateEntries = 0;
  const classOfEvent = EVENT_NAMES.map((name) => {
    const subscribers = rules.filter((rule) => rule.events.has(name));
    if (subscribers.length === 0) return -1;
    const ruleSet = subscribers.map((rule) => rule.order).join(",");
    let eventClass = classByRuleSet.get(ruleSet);
    if (eventClass === undefined) {
      eventClass = classByRuleSet.size;
      classByRuleSet.set(ruleSet, eventClass);
      for (const rule of subscribers) {
        ofRule[rule.order]!.push(eventClass);
        separateEntries += rule.filters.length;
      }
    }
    return eventClass;
  });
  return { classOfEvent, count: classByRuleSet.size, ofRule, separateEntries };
}

/** Builds the bucket's trees, `classesPerTree` classes to a tree, each rule carrying the mask of its classes in each tree it is in. */
function buildTrees(rules: readonly IndexedRule[], classes: EventClasses, classesPerTree: number): Pick<BucketIndex, "trees" | "tree" | "slots"> {
  const trees: PrefixTree[] = [];
  for (let first = 0; first < classes.count; first += classesPerTree) {
    const entries: PrefixTreeEntry[] = [];
    for (const rule of rules) {
      let mask = 0;
      for (const eventClass of classes.ofRule[rule.order]!) {
        if (eventClass >= first && eventClass < first + classesPerTree) mask |= 1 << (eventClass - first);
      }
      if (mask !== 0) for (const filter of rule.filters) entries.push({ ...filter, id: rule.order, mask });
    }
    trees.push(new PrefixTree(entries));
  }
  const slots = Int16Array.from(classes.classOfEvent, (eventClass) =>
    eventClass < 0 ? -1 : (Math.floor(eventClass / classesPerTree) << MASK_SHIFT) | eventClass % classesPerTree,
  );
  return { trees, tree: trees[0], slots };
}

/**
 * Several rules matched, one rule has several targets (or none), or one rule
 * matched through both spellings of its filter: one match per target into
 * `out`, earliest rule first; returns the count. Sorts `hits[0..count)` in
 * place. A handful of hits at most, so an insertion sort and linear scans,
 * which allocate nothing, rather than a sort callback and a Set. Targets are
 * compared by number (`BucketIndex.singleTarget`), and a rule's own array of
 * matches is read only when it has other than one target: with many rules,
 * each array and match read is a cache miss of its own.
 */
function mergeHits(index: BucketIndex, hits: number[], count: number, out: RuleMatch[], seen: Int32Array): number {
  for (let i = 1; i < count; i++) {
    const order = hits[i]!;
    let j = i - 1;
    for (; j >= 0 && hits[j]! > order; j--) hits[j + 1] = hits[j]!;
    hits[j + 1] = order;
  }
  const single = index.single;
  const singleTarget = index.singleTarget;
  let merged = 0;
  for (let i = 0; i < count; i++) {
    const order = hits[i]!;
    if (i > 0 && order === hits[i - 1]) continue;
    const target = singleTarget[order]!;
    if (target >= 0) {
      merged = addMatch(single[order]!, target, out, merged, seen);
    } else {
      const matches = index.matches[order]!;
      for (let m = 0; m < matches.length; m++) merged = addMatch(matches[m]!, index.targetNumbers.get(matches[m]!.targetArn)!, out, merged, seen);
    }
  }
  return merged;
}

/** Writes `match` at `merged` unless a match for its target is already among the first `merged`; returns the new count. */
function addMatch(match: RuleMatch, target: number, out: RuleMatch[], merged: number, seen: Int32Array): number {
  for (let k = 0; k < merged; k++) if (seen[k] === target) return merged;
  seen[merged] = target;
  out[merged] = match;
  return merged + 1;
}
