import { pathToFileURL } from "node:url";
import type { EventName, EventPattern } from "../server/events/event-names.ts";
import type { BucketNotificationConfig, NotificationRule } from "../server/rules/notification-config.ts";
import { RuleIndex, type RuleMatch } from "../server/rules/rule-index.ts";

/**
 * Rule matching throughput of a deployment with 10 rules and of one with
 * 100,000 rules (1,000 in each of 100 buckets), given the same stream of
 * events and measured in one run with the rounds interleaved, since on a
 * shared machine only figures taken side by side compare.
 *
 * The stream looks like S3 traffic: keys such as
 * `tenants/tenant-0427/invoices/2026/11/23/invoice-8f3a2c.pdf` or
 * `users/u31337/My Photos/2026/11/23/IMG_1234-9f2e.jpg`, every one different; event
 * names in the proportions object stores emit them (mostly puts, then
 * deletes); buckets of several kinds. The large deployment's rules are what
 * a multi-tenant service writes, one or two per tenant, user or dataset
 * (`tenants/tenant-0427/` with `.pdf`), and cover about half of the stream; the
 * small one's rules are broad (`users/` with `.jpg`) and cover a similar share.
 * Both indexes see the same keys and event names; each is asked about its own
 * buckets (all of the small deployment's rules are in one bucket), because
 * asking an index about a bucket it has no rules for times a Map miss, not
 * matching.
 *
 * Buckets and tenants are drawn with a Zipf popularity of exponent `skew`
 * (default 0: uniformly, so every lookup lands anywhere in the 100,000-rule
 * index, the worst case for CPU caches; real traffic is skewed, which helps
 * the large index and not the small one, whose rules are always cached).
 */
export async function runMatcherBench(options: { skew?: number; groupByBucket?: boolean } = {}): Promise<MatcherBenchResult> {
  const random = seededRandom(20240611);
  const drawn = eventStream(random, options.skew ?? 0);
  const stream = options.groupByBucket ? groupedByBucket(drawn) : drawn;
  const small: Workload = { ...stream, index: new RuleIndex([SMALL_CONFIG]), buckets: fromJson(stream.keys.map(() => SMALL_CONFIG.bucket)) };
  const large: Workload = { ...stream, index: new RuleIndex(stream.configs) };
  const matched10 = runPass(small) / LOOKUPS;
  const matched100k = runPass(large) / LOOKUPS;
  // A stream that rarely matches (or always does) would time only one of the two paths a lookup takes.
  if (matched100k < 0.35 || matched100k > 0.65) throw new Error(`benchmark stream matches ${matched100k} of lookups in the 100,000-rule index`);
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
  return { rules10: median(smallRates), rules100k: median(largeRates), matched10, matched100k, indexBytes100k: large.index.byteLength };
}

export interface MatcherBenchResult {
  /** Lookups per second, median of the rounds. */
  rules10: number;
  rules100k: number;
  /** Share of the stream's lookups that match at least one rule. */
  matched10: number;
  matched100k: number;
  /** What the 100,000-rule index's lookups walk (RuleIndex.byteLength). */
  indexBytes100k: number;
}

/**
 * Nanoseconds per read when each read depends on the one before and lands on
 * a random 64-byte line of a `bytes`-sized array: what a lookup pays for a
 * line of the index that is not in cache. Printed next to the matcher rates
 * because much of the gap between them is this latency: the 100,000-rule
 * index's lookups walk a few such lines each, the 10-rule index's none.
 */
export function randomReadNanos(bytes: number): number {
  const stride = 64 / Int32Array.BYTES_PER_ELEMENT;
  const lines = Math.max(2, Math.floor(bytes / 64));
  const order = shuffled(seededRandom(bytes), Array.from({ length: lines }, (_, i) => i * stride));
  // One cycle through every line, in random order.
  const next = new Int32Array(lines * stride);
  for (let i = 0; i < lines; i++) next[order[i]!] = order[(i + 1) % lines]!;
  let at = 0;
  for (let i = 0; i < lines; i++) at = next[at]!;
  const reads = 4_000_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < reads; i++) at = next[at]!;
  const nanos = Number(process.hrtime.bigint() - start) / reads;
  if (at < 0) throw new Error("unreachable: keeps the reads from being optimised away");
  return nanos;
}

const LOOKUPS = 300_000;
const WARM_UP_PASSES = 3;
const ROUNDS = 7;
const BUCKETS = 100;
const RULES_PER_BUCKET = 1_000;
/** Tenants (users, datasets) per bucket; the rules name some of them, the stream all. */
const TENANTS_PER_BUCKET = 500;
const ARNS = Array.from({ length: 50 }, (_, i) => `arn:herald:sqs:us-east-1:bench:target-${i}`);

/** How often each event name occurs in the stream: object stores emit mostly puts, then deletes. */
const EVENT_MIX: [EventName, number][] = [
  ["s3:ObjectCreated:Put", 50],
  ["s3:ObjectCreated:CompleteMultipartUpload", 8],
  ["s3:ObjectCreated:Copy", 4],
  ["s3:ObjectCreated:Post", 1],
  ["s3:ObjectRemoved:Delete", 18],
  ["s3:ObjectRemoved:DeleteMarkerCreated", 5],
  ["s3:ObjectAccessed:Get", 7],
  ["s3:ObjectAccessed:Head", 2],
  ["s3:ObjectTagging:Put", 3],
  ["s3:ObjectRestore:Completed", 1],
  ["s3:LifecycleExpiration:Delete", 1],
];

/** What rules subscribe to, and how often. */
const RULE_EVENT_MIX: [EventPattern[], number][] = [
  [["s3:ObjectCreated:*"], 40],
  [["s3:ObjectCreated:Put"], 12],
  [["s3:ObjectCreated:*", "s3:ObjectRemoved:*"], 25],
  [["s3:ObjectRemoved:*"], 8],
  [["s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload"], 6],
  [["s3:ObjectAccessed:Get"], 3],
  [["s3:ObjectTagging:*"], 2],
  [["s3:ObjectRestore:*"], 2],
  [["Everything"], 2],
];

/**
 * A kind of bucket: where a tenant's objects live (`home`), the folders under
 * it and the file types in each, and how a key is laid out.
 */
interface BucketKind {
  name: string;
  home(tenant: number): string;
  /** Folder names as they appear in keys, with the extensions of the files in each. */
  areas: [string, string[]][];
  key(random: () => number, home: string, area: string, ext: string): string;
}

const KINDS: BucketKind[] = [
  {
    name: "uploads",
    home: (n) => `tenants/tenant-${pad(n, 4)}/`,
    areas: [
      ["uploads", [".jpg", ".png", ".pdf", ".docx"]],
      ["exports", [".csv", ".json.gz"]],
      ["invoices", [".pdf"]],
      ["reports", [".pdf", ".xlsx"]],
      ["attachments", [".pdf", ".png", ".zip"]],
    ],
    key: (random, home, area, ext) => `${home}${area}/${datePath(random)}/${pick(random, WORDS)}-${hex(random, 6)}${ext}`,
  },
  {
    name: "logs",
    home: (n) => `tenant-${n}/`,
    areas: [
      ["logs", [".log.gz"]],
      ["metrics", [".json.gz"]],
      ["audit", [".jsonl"]],
      ["traces", [".pb.gz"]],
    ],
    key: (random, home, area, ext) => {
      const service = pick(random, SERVICES);
      return `${home}${area}/${service}/${datePath(random)}/${pad(int(random, 24), 2)}/${service}-${hex(random, 8)}${ext}`;
    },
  },
  {
    name: "media",
    home: (n) => `users/u${10_000 + n * 7}/`,
    areas: [
      ["My Photos", [".jpg", ".heic", ".png"]],
      ["videos", [".mp4", ".mov"]],
      ["avatars", [".png", ".webp"]],
      ["documents", [".pdf", ".txt"]],
    ],
    key: (random, home, area, ext) => {
      const name = ext === ".mp4" || ext === ".mov" ? "VID" : ext === ".pdf" || ext === ".txt" ? "DOC" : "IMG";
      return `${home}${area}/${datePath(random)}/${name}_${pad(int(random, 10_000), 4)}-${hex(random, 4)}${ext}`;
    },
  },
  {
    name: "lake",
    home: (n) => `${DATASETS[n % DATASETS.length]}/${TABLES[Math.floor(n / DATASETS.length) % TABLES.length]}/tenant_id=${n}/`,
    areas: [
      ["data", [".snappy.parquet"]],
      ["_manifests", [".json"]],
    ],
    key: (random, home, area, ext) =>
      area === "data" ? `${home}dt=${datePath(random).replaceAll("/", "-")}/part-${pad(int(random, 100_000), 5)}-${hex(random, 8)}${ext}` : `${home}${area}/${hex(random, 12)}${ext}`,
  },
];

const WORDS = ["scan", "photo", "contract", "statement", "receipt", "export", "summary", "draft", "final", "backup"];
const SERVICES = ["api", "web", "worker", "billing", "auth", "search", "ingest", "mailer"];
const DATASETS = ["sales", "clickstream", "inventory", "payments", "shipments", "support", "marketing", "sensors"];
const TABLES = ["orders", "events", "sessions", "items", "refunds", "tickets", "readings", "campaigns"];

/**
 * A deployment with 10 rules: broad filters, as a small installation writes
 * them, over the same kinds of keys.
 */
const SMALL_CONFIG: BucketNotificationConfig = {
  bucket: "acme-prod-uploads",
  rules: [
    { id: "tenant-pdfs", events: ["s3:ObjectCreated:*"], prefix: "tenants/", suffix: ".pdf", targetArns: [ARNS[0]!] },
    { id: "tenant-exports", events: ["s3:ObjectCreated:*"], prefix: "tenants/", suffix: ".gz", targetArns: [ARNS[1]!] },
    { id: "tenant-deletes", events: ["s3:ObjectRemoved:*"], prefix: "tenants/", targetArns: [ARNS[2]!] },
    { id: "logs", events: ["s3:ObjectCreated:Put"], prefix: "tenant-", suffix: ".log.gz", targetArns: [ARNS[3]!] },
    { id: "photos", events: ["s3:ObjectCreated:*"], prefix: "users/", suffix: ".jpg", targetArns: [ARNS[4]!, ARNS[5]!] },
    { id: "videos", events: ["s3:ObjectCreated:*"], prefix: "users/", suffix: ".mp4", targetArns: [ARNS[4]!] },
    { id: "user-deletes", events: ["s3:ObjectRemoved:*"], prefix: "users/", targetArns: [ARNS[6]!] },
    { id: "parquet", events: ["s3:ObjectCreated:*"], suffix: ".parquet", targetArns: [ARNS[7]!] },
    { id: "restores", events: ["s3:ObjectRestore:*"], targetArns: [ARNS[8]!] },
    { id: "audit", events: ["Everything"], prefix: "tenant-1/", targetArns: [ARNS[9]!] },
  ],
};

interface Stream {
  /** The large deployment's configuration. */
  configs: BucketNotificationConfig[];
  /** Per lookup: a bucket of the large deployment, an event name and a key. */
  buckets: string[];
  events: EventName[];
  keys: string[];
}

interface Workload {
  index: RuleIndex;
  buckets: string[];
  events: EventName[];
  keys: string[];
}

function eventStream(random: () => number, skew: number): Stream {
  const bucketNames = distinctNames(random, BUCKETS);
  const configs: BucketNotificationConfig[] = [];
  for (let b = 0; b < BUCKETS; b++) {
    const kind = KINDS[b % KINDS.length]!;
    const seen = new Set<string>();
    const rules: NotificationRule[] = [];
    while (rules.length < RULES_PER_BUCKET) {
      const home = kind.home(int(random, TENANTS_PER_BUCKET));
      const [area, exts] = pick(random, kind.areas);
      // Filters are written as S3 spells keys in events, form-URL-encoded: "My Photos/" as "My+Photos/".
      const prefix = random() < 0.6 ? home : `${home}${area.replaceAll(" ", "+")}/`;
      const suffix = random() < 0.5 ? pick(random, exts) : undefined;
      if (seen.has(`${prefix}\0${suffix}`)) continue;
      seen.add(`${prefix}\0${suffix}`);
      rules.push({
        id: `${kind.name}-${rules.length}`,
        events: weighted(random, RULE_EVENT_MIX),
        prefix,
        ...(suffix ? { suffix } : {}),
        targetArns: [pick(random, ARNS)],
      });
    }
    configs.push({ bucket: bucketNames[b]!, rules });
  }

  const pickBucket = zipf(BUCKETS, skew);
  const pickTenant = zipf(TENANTS_PER_BUCKET, skew);
  // Popularity rank is not tenant number: the busiest tenants are spread over the key space.
  const tenantOfRank = shuffled(random, Array.from({ length: TENANTS_PER_BUCKET }, (_, i) => i));
  const buckets: string[] = [];
  const events: EventName[] = [];
  const keys: string[] = [];
  const seen = new Set<string>();
  while (keys.length < LOOKUPS) {
    const b = pickBucket(random);
    const kind = KINDS[b % KINDS.length]!;
    const [area, exts] = pick(random, kind.areas);
    const key = kind.key(random, kind.home(tenantOfRank[pickTenant(random)]!), area, pick(random, exts));
    if (seen.has(key)) continue;
    seen.add(key);
    buckets.push(bucketNames[b]!);
    events.push(weighted(random, EVENT_MIX));
    keys.push(key);
  }
  return { configs, buckets: fromJson(buckets), events: fromJson(events), keys: fromJson(keys) };
}

/**
 * The same lookups, each bucket's together (in their drawn order): a
 * diagnostic, not traffic. Each bucket's rules are then in cache for its run,
 * so the rate shows what the 100,000-rule index costs when memory latency is
 * taken out.
 */
function groupedByBucket(stream: Stream): Stream {
  const order = stream.keys.map((_, i) => i);
  order.sort((a, b) => (stream.buckets[a]! < stream.buckets[b]! ? -1 : stream.buckets[a]! > stream.buckets[b]! ? 1 : a - b));
  const take = <T extends string>(values: T[]) => fromJson(order.map((i) => values[i]!));
  return { configs: stream.configs, buckets: take(stream.buckets), events: take(stream.events), keys: take(stream.keys) };
}

/**
 * Bucket names, event names and keys reach the matcher parsed from JSON event
 * records: a fresh string per event (V8 internalizes only the shortest JSON
 * strings), flat, rather than the shared names and concatenations built here.
 * Shared names would make every Map lookup a pointer comparison.
 */
function fromJson<T extends string>(values: T[]): T[] {
  return JSON.parse(JSON.stringify(values)) as T[];
}

/** Matches as the pipeline does, into one reused array; counts lookups that matched. */
function runPass({ index, buckets, events, keys }: Workload): number {
  const out: RuleMatch[] = [];
  let matched = 0;
  for (let i = 0; i < keys.length; i++) if (index.matchInto(buckets[i]!, events[i]!, keys[i]!, out) > 0) matched++;
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

/** Draws 0..n-1 with probability proportional to 1/(rank+1)^exponent (uniformly for 0). */
function zipf(n: number, exponent: number): (random: () => number) => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 0; rank < n; rank++) cumulative.push((total += 1 / (rank + 1) ** exponent));
  return (random) => {
    const target = random() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid]! <= target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

/** Bucket names as organisations pick them: `acme-prod-uploads`, `globex-media-eu-west-1`. */
function distinctNames(random: () => number, count: number): string[] {
  const orgs = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "tyrell", "cyberdyne", "soylent", "vandelay"];
  const purposes = ["uploads", "logs", "media", "datalake", "backups", "assets", "exports", "archive"];
  const suffixes = ["prod", "staging", "dev", "prod-eu-west-1", "prod-us-east-1", "qa"];
  const names = new Set<string>();
  while (names.size < count) names.add(`${pick(random, orgs)}-${pick(random, purposes)}-${pick(random, suffixes)}`);
  return [...names];
}

function datePath(random: () => number): string {
  return `${2024 + int(random, 3)}/${pad(1 + int(random, 12), 2)}/${pad(1 + int(random, 28), 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function hex(random: () => number, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += "0123456789abcdef"[int(random, 16)];
  return out;
}

function int(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[int(random, items.length)]!;
}

function weighted<T>(random: () => number, items: readonly [T, number][]): T {
  let target = random() * items.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [item, weight] of items) if ((target -= weight) < 0) return item;
  return items[items.length - 1]![0];
}

function shuffled<T>(random: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = int(random, i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const format = (n: number) => `${Math.round(n).toLocaleString("en-US")} lookups/s`.padStart(22);
  const percent = (share: number) => `${(share * 100).toFixed(0)}% of lookups match`;
  const report = (title: string, { rules10, rules100k, matched10, matched100k }: MatcherBenchResult) => {
    console.log(title);
    console.log(`  10 rules:      ${format(rules10)}   (${percent(matched10)})`);
    console.log(`  100,000 rules: ${format(rules100k)}   (${percent(matched100k)})`);
    console.log(`  ratio 100k/10: ${(rules100k / rules10).toFixed(2)}`);
  };
  report(`${LOOKUPS.toLocaleString("en-US")} distinct lookups, buckets and tenants drawn uniformly:`, await runMatcherBench());
  report("the same with Zipf(1) popularity of buckets and tenants, as real traffic is skewed:", await runMatcherBench({ skew: 1 }));
  const grouped = await runMatcherBench({ groupByBucket: true });
  report("diagnostic: the uniform lookups grouped by bucket, so each bucket's rules stay in cache for its run:", grouped);
  const latency = (bytes: number) => `${randomReadNanos(bytes).toFixed(1)} ns`;
  const mib = grouped.indexBytes100k / 1024 ** 2;
  console.log(`memory: the 100,000-rule index walks ${mib.toFixed(1)} MiB of trees; a dependent read of a random line costs`);
  console.log(`  in 32 KiB: ${latency(32 * 1024)}, 256 KiB: ${latency(256 * 1024)}, ${mib.toFixed(1)} MiB: ${latency(grouped.indexBytes100k)}, 64 MiB: ${latency(64 * 1024 ** 2)}`);
}
