import { pathToFileURL } from "node:url";
import { expandEventPattern, type EventName, type EventPattern } from "../server/events/event-names.ts";
import type { BucketNotificationConfig, NotificationRule } from "../server/rules/notification-config.ts";
import { RuleIndex } from "../server/rules/rule-index.ts";

/**
 * Rule matching throughput with 10 rules and with 100,000 rules (1,000 in each
 * of 100 buckets), measured in one run with the rounds interleaved, since on a
 * shared machine only figures taken side by side compare. Each figure is
 * lookups per second over 300,000 lookups, half for keys made to match a
 * random rule and half for random keys.
 *
 * By default every lookup is a different (bucket, key), spread evenly over all
 * rules: the worst case for memory, where the 100,000-rule index no longer fits
 * the CPU caches and the 10-rule index always does. `distinctLookups` cycles a
 * smaller set instead, like an event stream that keeps touching the same prefixes.
 */
export async function runMatcherBench(options: { distinctLookups?: number } = {}): Promise<{ rules10: number; rules100k: number }> {
  const distinctLookups = Math.min(options.distinctLookups ?? LOOKUPS, LOOKUPS);
  const random = seededRandom(20240611);
  const small = workload(random, 1, 10, distinctLookups);
  const large = workload(random, 100, 1_000, distinctLookups);
  for (let i = 0; i < WARM_UP_PASSES; i++) {
    runPass(small);
    runPass(large);
  }
  const smallRates: number[] = [];
  const largeRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    smallRates.push(measure(small));
    largeRates.push(measure(large));
    // Let the event loop breathe between rounds (timers, GC finalisers) without timing it.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { rules10: median(smallRates), rules100k: median(largeRates) };
}

const LOOKUPS = 300_000;
const WARM_UP_PASSES = 3;
const ROUNDS = 5;
const ARNS = Array.from({ length: 50 }, (_, i) => `arn:herald:sqs::bench:target-${i}`);
const RULE_EVENTS: EventPattern[][] = [
  ["s3:ObjectCreated:Put"],
  ["s3:ObjectCreated:*"],
  ["s3:ObjectRemoved:Delete"],
  ["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"],
  ["s3:ObjectAccessed:Get"],
];
const LOOKUP_EVENTS: EventName[] = ["s3:ObjectCreated:Put", "s3:ObjectCreated:Copy", "s3:ObjectRemoved:Delete", "s3:ObjectAccessed:Get"];

interface Workload {
  index: RuleIndex;
  buckets: string[];
  events: EventName[];
  keys: string[];
}

function workload(random: () => number, bucketCount: number, rulesPerBucket: number, distinctLookups: number): Workload {
  const configs: BucketNotificationConfig[] = [];
  const prefixes = new Set<string>();
  const suffixes = new Set<string>();
  for (let b = 0; b < bucketCount; b++) {
    const rules: NotificationRule[] = [];
    for (let r = 0; r < rulesPerBucket; r++) {
      const prefix = distinct(prefixes, () => `${word(random, 2, 8)}/${word(random, 2, 10)}/`);
      // Every bucket has rules written form-encoded (`ab+x/`), so both indexes hold decoded twins of filters.
      const written = r % 20 === 0 ? prefix.replace("/", "+x/") : prefix;
      const suffix = random() < 0.7 ? distinct(suffixes, () => `-${word(random, 1, 5)}.${word(random, 2, 4)}`) : undefined;
      rules.push({
        id: `rule-${b}-${r}`,
        events: pick(random, RULE_EVENTS),
        prefix: written,
        ...(suffix ? { suffix } : {}),
        targetArns: [pick(random, ARNS)],
      });
    }
    configs.push({ bucket: `bucket-${b}`, rules });
  }

  const buckets: string[] = [];
  const events: EventName[] = [];
  const keys: string[] = [];
  for (let i = 0; i < distinctLookups; i++) {
    const config = pick(random, configs);
    buckets.push(config.bucket);
    if (random() < 0.5) {
      const rule = pick(random, config.rules);
      events.push(pick(random, rule.events.flatMap((p) => [...expandEventPattern(p)])));
      keys.push(`${rule.prefix!.replace("+", " ")}${word(random, 3, 20)}${rule.suffix ?? ".dat"}`);
    } else {
      events.push(pick(random, LOOKUP_EVENTS));
      const spaced = random() < 0.1 ? " " : "";
      keys.push(`${word(random, 2, 8)}${spaced}/${word(random, 2, 10)}/${word(random, 3, 20)}.${word(random, 2, 4)}`);
    }
  }
  for (let i = distinctLookups; i < LOOKUPS; i++) {
    buckets.push(buckets[i % distinctLookups]!);
    events.push(events[i % distinctLookups]!);
    keys.push(keys[i % distinctLookups]!);
  }
  // Keys reach the matcher parsed from JSON event records: flat strings, one per event, rather than the concatenations built here.
  return { index: new RuleIndex(configs), buckets, events, keys: JSON.parse(JSON.stringify(keys)) as string[] };
}

function runPass({ index, buckets, events, keys }: Workload): number {
  let matched = 0;
  for (let i = 0; i < keys.length; i++) matched += index.match(buckets[i]!, events[i]!, keys[i]!).length;
  return matched;
}

function measure(work: Workload): number {
  const start = process.hrtime.bigint();
  const matched = runPass(work);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  // A pass that matched nothing would mean the workload is broken, not fast.
  if (matched === 0) throw new Error("benchmark workload matched no rule");
  return work.keys.length / seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** mulberry32: the same workload on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

function word(random: () => number, min: number, max: number): string {
  const length = min + Math.floor(random() * (max - min + 1));
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return out;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function distinct(seen: Set<string>, make: () => string): string {
  for (;;) {
    const value = make();
    if (!seen.has(value)) {
      seen.add(value);
      return value;
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const format = (n: number) => `${Math.round(n).toLocaleString("en-US")} lookups/s`.padStart(22);
  const report = (title: string, { rules10, rules100k }: { rules10: number; rules100k: number }) => {
    console.log(title);
    console.log(`  10 rules:      ${format(rules10)}`);
    console.log(`  100,000 rules: ${format(rules100k)}`);
    console.log(`  ratio 100k/10: ${(rules100k / rules10).toFixed(2)}`);
  };
  report(`${LOOKUPS.toLocaleString("en-US")} distinct lookups (every key new):`, await runMatcherBench());
  report("a working set of 1,000 distinct lookups, cycled:", await runMatcherBench({ distinctLookups: 1_000 }));
}
