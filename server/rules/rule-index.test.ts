import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.ts";
import { EVENT_NAMES, expandEventPattern, type EventName, type EventPattern } from "../events/event-names.ts";
import { formDecode } from "./form-encoding.ts";
import type { BucketNotificationConfig, NotificationRule } from "./notification-config.ts";
import { RuleIndex, type RuleMatch } from "./rule-index.ts";

const PUT = "s3:ObjectCreated:Put";
const COPY = "s3:ObjectCreated:Copy";
const DELETE = "s3:ObjectRemoved:Delete";

function indexOf(...rules: NotificationRule[]): RuleIndex {
  return new RuleIndex([{ bucket: "photos", rules }]);
}

function rule(id: string, fields: Partial<NotificationRule> = {}): NotificationRule {
  return { id, events: [PUT], targetArns: [`arn:${id}`], ...fields };
}

describe("RuleIndex.match", () => {
  it("expands compound event names when it is built", () => {
    const index = indexOf(rule("created", { events: ["s3:ObjectCreated:*"] }));
    for (const name of [PUT, COPY, "s3:ObjectCreated:CompleteMultipartUpload"] as const) {
      expect(index.match("photos", name, "k"), name).toEqual([{ ruleId: "created", targetArn: "arn:created" }]);
    }
    expect(index.match("photos", DELETE, "k")).toEqual([]);
  });

  it("subscribes `Everything` to every event name", () => {
    const index = indexOf(rule("all", { events: ["Everything"] }));
    for (const name of EVENT_NAMES) expect(index.match("photos", name, "k"), name).toHaveLength(1);
  });

  it("filters by prefix, by suffix and by both", () => {
    const index = indexOf(
      rule("uploads", { prefix: "uploads/" }),
      rule("csv", { suffix: ".csv" }),
      rule("upload-csv", { prefix: "uploads/", suffix: ".csv" }),
    );
    const ids = (key: string) => index.match("photos", PUT, key).map((m) => m.ruleId);
    expect(ids("uploads/a.csv")).toEqual(["uploads", "csv", "upload-csv"]);
    expect(ids("uploads/a.txt")).toEqual(["uploads"]);
    expect(ids("other/a.csv")).toEqual(["csv"]);
    expect(ids("other/a.txt")).toEqual([]);
    expect(ids("uploads")).toEqual([]);
  });

  it("matches a rule without filter, or with empty ones, to every key", () => {
    const index = indexOf(rule("bare"), rule("empty", { prefix: "", suffix: "" }));
    expect(index.match("photos", PUT, "").map((m) => m.ruleId)).toEqual(["bare", "empty"]);
    expect(index.match("photos", PUT, "deep/key/name.bin").map((m) => m.ruleId)).toEqual(["bare", "empty"]);
  });

  it("matches a filter written form-URL-encoded and one written decoded to the same decoded key", () => {
    const index = indexOf(
      rule("encoded", { prefix: "my+photos/" }),
      rule("decoded", { prefix: "my photos/" }),
      rule("encoded-suffix", { suffix: "caf%C3%A9.jpg" }),
    );
    const ids = (key: string) => index.match("photos", PUT, key).map((m) => m.ruleId);
    expect(ids("my photos/cat.jpg")).toEqual(["encoded", "decoded"]);
    expect(ids("my photos/café.jpg")).toEqual(["encoded", "decoded", "encoded-suffix"]);
    // A key really containing "+" still matches the filter as written.
    expect(ids("my+photos/cat.jpg")).toEqual(["encoded"]);
    expect(ids("myphotos/cat.jpg")).toEqual([]);
  });

  it("does not treat spellings the encoding never produces as encoded", () => {
    // Keys are encoded with spaces as "+", so a key never reads "my%20photos/".
    const index = indexOf(rule("percent-space", { prefix: "my%20photos/" }), rule("hex-tail", { prefix: "my+x/", suffix: "A9" }));
    expect(index.match("photos", PUT, "my photos/cat.jpg")).toEqual([]);
    expect(index.match("photos", PUT, "my%20photos/cat.jpg").map((m) => m.ruleId)).toEqual(["percent-space"]);
    // "é" is spelt "%C3%A9", but a suffix "A9" means the characters A and 9.
    expect(index.match("photos", PUT, "my x/café")).toEqual([]);
    expect(index.match("photos", PUT, "my x/A9").map((m) => m.ruleId)).toEqual(["hex-tail"]);
  });

  it("matches unicode keys and filters", () => {
    const index = indexOf(rule("jp", { prefix: "写真/", suffix: "😀.png" }), rule("ru", { prefix: "фото/" }));
    expect(index.match("photos", PUT, "写真/猫😀.png").map((m) => m.ruleId)).toEqual(["jp"]);
    expect(index.match("photos", PUT, "写真/猫.png")).toEqual([]);
    expect(index.match("photos", PUT, "фото/кот.jpg").map((m) => m.ruleId)).toEqual(["ru"]);
  });

  it("delivers once per target, named by the first matching rule in configuration order", () => {
    const index = indexOf(
      rule("broad", { targetArns: ["arn:shared", "arn:broad"] }),
      rule("narrow", { prefix: "deep/er/", targetArns: ["arn:shared", "arn:narrow"] }),
      rule("again", { suffix: ".txt", targetArns: ["arn:shared"] }),
    );
    expect(index.match("photos", PUT, "deep/er/a.txt")).toEqual([
      { ruleId: "broad", targetArn: "arn:shared" },
      { ruleId: "broad", targetArn: "arn:broad" },
      { ruleId: "narrow", targetArn: "arn:narrow" },
    ]);
  });

  it("delivers once when a key matches both spellings of one rule's filter", () => {
    // "%25" is how the encoding spells "%", so this filter stands for both "%25" and "%".
    const index = indexOf(rule("percent", { prefix: "%25", targetArns: ["arn:a", "arn:b"] }));
    expect(index.match("photos", PUT, "%25x")).toEqual([
      { ruleId: "percent", targetArn: "arn:a" },
      { ruleId: "percent", targetArn: "arn:b" },
    ]);
    expect(index.match("photos", PUT, "%x")).toHaveLength(2);
  });

  it("keeps buckets apart and answers nothing for unknown buckets", () => {
    const index = new RuleIndex([
      { bucket: "a", rules: [rule("in-a")] },
      { bucket: "b", rules: [rule("in-b", { events: [DELETE] })] },
    ]);
    expect(index.match("a", PUT, "k").map((m) => m.ruleId)).toEqual(["in-a"]);
    expect(index.match("b", PUT, "k")).toEqual([]);
    expect(index.match("c", PUT, "k")).toEqual([]);
  });

  it("keeps both rule lists of a bucket listed twice, in input order", () => {
    const index = new RuleIndex([
      { bucket: "a", rules: [rule("first", { targetArns: ["arn:t"] })] },
      { bucket: "a", rules: [rule("second", { targetArns: ["arn:t", "arn:u"] })] },
    ]);
    expect(index.match("a", PUT, "k")).toEqual([
      { ruleId: "first", targetArn: "arn:t" },
      { ruleId: "second", targetArn: "arn:u" },
    ]);
  });

  it("is unaffected by later changes to the configurations it was built from", () => {
    const config: BucketNotificationConfig = { bucket: "photos", rules: [rule("r", { prefix: "a/" })] };
    const index = new RuleIndex([config]);
    config.rules[0]!.prefix = "b/";
    config.rules[0]!.targetArns.push("arn:other");
    config.rules.push(rule("late"));
    expect(index.match("photos", PUT, "a/k")).toEqual([{ ruleId: "r", targetArn: "arn:r" }]);
    expect(index.match("photos", PUT, "b/k")).toEqual([]);
  });

  it("returns frozen results, so a caller cannot corrupt what later lookups return", () => {
    const index = indexOf(rule("r"), rule("s"));
    for (const result of [index.match("photos", PUT, "k"), indexOf(rule("r")).match("photos", PUT, "k"), index.match("photos", DELETE, "k")]) {
      expect(Object.isFrozen(result)).toBe(true);
      for (const m of result) expect(Object.isFrozen(m)).toBe(true);
    }
  });

  it("matchInto writes the same matches into a reused array and returns their count", () => {
    const index = indexOf(rule("r", { prefix: "a/" }), rule("s", { prefix: "a/", targetArns: ["arn:s", "arn:r"] }));
    const out = [] as RuleMatch[];
    expect(index.matchInto("photos", PUT, "a/k", out)).toBe(2);
    expect(out.slice(0, 2)).toEqual([...index.match("photos", PUT, "a/k")]);
    expect(index.matchInto("photos", PUT, "b/k", out)).toBe(0);
    expect(index.matchInto("photos", PUT, "a/x", out)).toBe(2);
    const kept = index.match("photos", PUT, "a/k");
    index.matchInto("photos", PUT, "b/k", out);
    expect(kept.map((m) => m.targetArn)).toEqual(["arn:r", "arn:s"]);
  });

  it("agrees with a scan of the rules for many random rules and keys", () => {
    let state = 7;
    const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
    const chars = ["a", "b", "/", ".", "é", "😀"];
    const word = (max: number) => Array.from({ length: Math.floor(random() * (max + 1)) }, () => chars[Math.floor(random() * chars.length)]).join("");
    const names: EventName[] = [PUT, COPY, DELETE];
    const rules = Array.from({ length: 300 }, (_, i) =>
      rule(`r${i}`, {
        events: [names[i % 3]!],
        ...(random() < 0.8 ? { prefix: word(4) } : {}),
        ...(random() < 0.5 ? { suffix: word(3) } : {}),
        targetArns: [`arn:${Math.floor(random() * 40)}`],
      }),
    );
    const index = indexOf(...rules);
    for (let i = 0; i < 3000; i++) {
      const key = word(8);
      const name = names[i % 3]!;
      const expected: { ruleId: string; targetArn: string }[] = [];
      for (const r of rules) {
        if (!r.events.includes(name) || !key.startsWith(r.prefix ?? "") || !key.endsWith(r.suffix ?? "")) continue;
        if (!expected.some((m) => m.targetArn === r.targetArns[0])) expected.push({ ruleId: r.id, targetArn: r.targetArns[0]! });
      }
      expect(index.match("photos", name, key), JSON.stringify(key)).toEqual(expected);
    }
  });
});

describe("RuleIndex at scale", () => {
  // Past a few thousand rules the index shares one tree among a bucket's event classes
  // (see SEPARATE_TREES_UP_TO); these compare it with a plain reading of the rules.

  /** What `match` must return, from the rules alone: each matching rule's targets, in order, each target once. */
  function reference(rules: readonly NotificationRule[], name: EventName, key: string): { ruleId: string; targetArn: string }[] {
    const out: { ruleId: string; targetArn: string }[] = [];
    for (const r of rules) {
      if (!r.events.some((pattern) => expandEventPattern(pattern).includes(name))) continue;
      const prefix = r.prefix ?? "";
      const suffix = r.suffix ?? "";
      const decodedPrefix = formDecode(prefix);
      const decodedSuffix = formDecode(suffix);
      const written = key.startsWith(prefix) && key.endsWith(suffix);
      const decoded = decodedPrefix !== undefined && decodedSuffix !== undefined && key.startsWith(decodedPrefix) && key.endsWith(decodedSuffix);
      if (!written && !decoded) continue;
      for (const targetArn of r.targetArns) if (!out.some((m) => m.targetArn === targetArn)) out.push({ ruleId: r.id, targetArn });
    }
    return out;
  }

  const PATTERNS: EventPattern[][] = [
    ["s3:ObjectCreated:*"],
    ["s3:ObjectCreated:Put"],
    ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
    ["s3:ObjectRemoved:Delete"],
    ["s3:ObjectAccessed:Get", "s3:ObjectCreated:Copy"],
    ["Everything"],
  ];

  it("agrees with the rules for many buckets of tenant rules, encoded filters and shared targets", () => {
    let state = 99;
    const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const tenant = () => `tenant-${Math.floor(random() * 300)}/`;
    const areas = ["logs/", "my+photos/", "caf%C3%A9/", "uploads/", ""];
    const configs: BucketNotificationConfig[] = Array.from({ length: 12 }, (_, b) => ({
      bucket: `bucket-${b}`,
      rules: Array.from({ length: 800 }, (_, i) =>
        rule(`r${i}`, {
          events: pick(PATTERNS),
          ...(random() < 0.95 ? { prefix: `${tenant()}${pick(areas)}` } : {}),
          ...(random() < 0.5 ? { suffix: pick([".gz", ".jpg", "+x.txt", "é.png"]) } : {}),
          targetArns: random() < 0.2 ? [`arn:${Math.floor(random() * 30)}`, `arn:${Math.floor(random() * 30)}`] : [`arn:${Math.floor(random() * 30)}`],
        }),
      ),
    }));
    const index = new RuleIndex(configs);
    const names: EventName[] = ["s3:ObjectCreated:Put", "s3:ObjectCreated:Copy", "s3:ObjectRemoved:Delete", "s3:ObjectAccessed:Get", "s3:ObjectTagging:Put"];
    for (let i = 0; i < 4000; i++) {
      const config = pick(configs);
      const spelled = `${pick(config.rules).prefix ?? tenant()}${pick(["a", "b/c", ""])}${pick([".gz", ".jpg", "+x.txt", "é.png", ".txt"])}`;
      // Keys arrive decoded: also ask for the decoded spelling of what a filter wrote encoded.
      const key = random() < 0.5 ? spelled : (formDecode(spelled) ?? spelled);
      const name = pick(names);
      expect(index.match(config.bucket, name, key), `${config.bucket} ${name} ${JSON.stringify(key)}`).toEqual(reference(config.rules, name, key));
      expect(index.hasSubscriber(config.bucket, name)).toBe(config.rules.some((r) => r.events.some((p) => expandEventPattern(p).includes(name))));
    }
  });

  it("merges many hits per key by target, as the rules say, with trees per class and shared ones", () => {
    // Keys that match several rules at once: rules without targets, with one, with several (repeated ones
    // included), sharing few targets, and filters written encoded, so that keys match both spellings.
    let state = 2024;
    const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const prefixes = ["", "a/", "a/b/", "a/b+c/", "a/b c/", "a/%25/", "a/%/", "d/"];
    const suffixes = ["", ".gz", "x.gz", "+y", " y"];
    const targets = (): string[] => {
      const n = pick([0, 1, 1, 1, 2, 3]);
      return Array.from({ length: n }, () => `arn:${Math.floor(random() * 4)}`);
    };
    const rules = Array.from({ length: 60 }, (_, i) =>
      rule(`m${i}`, { events: pick(PATTERNS), prefix: pick(prefixes), suffix: pick(suffixes), targetArns: targets() }),
    );
    const filler = Array.from({ length: 9000 }, (_, i) => rule(`filler-${i}`, { prefix: `f/${i}/`, events: ["s3:ObjectCreated:*"] }));
    const small = new RuleIndex([{ bucket: "photos", rules }]);
    const large = new RuleIndex([
      { bucket: "photos", rules },
      { bucket: "filler", rules: filler },
    ]);
    const names: EventName[] = ["s3:ObjectCreated:Put", "s3:ObjectCreated:Copy", "s3:ObjectRemoved:Delete", "s3:ObjectAccessed:Get"];
    const out: RuleMatch[] = [];
    for (let i = 0; i < 3000; i++) {
      const key = `${pick(prefixes)}${pick(["", "k", "b/", "b c/z"])}${pick(suffixes)}`;
      const name = pick(names);
      const want = reference(rules, name, key);
      for (const index of [small, large]) {
        expect(index.match("photos", name, key), `${name} ${JSON.stringify(key)}`).toEqual(want);
        const count = index.matchInto("photos", name, key, out);
        expect(out.slice(0, count)).toEqual(want);
      }
    }
  });

  it("keeps more event classes than one tree's mask holds apart", () => {
    // A rule per event name: as many classes as names, more than a shared tree's 16 mask bits.
    const perName = EVENT_NAMES.map((name, i) => rule(`only-${i}`, { events: [name], prefix: `p${i % 3}/`, targetArns: [`arn:${i}`] }));
    const filler = Array.from({ length: 9000 }, (_, i) => rule(`filler-${i}`, { prefix: `f/${i}/`, events: ["s3:ObjectCreated:*"] }));
    const index = new RuleIndex([
      { bucket: "photos", rules: perName },
      { bucket: "filler", rules: filler },
    ]);
    EVENT_NAMES.forEach((name, i) => {
      expect(index.match("photos", name, `p${i % 3}/k`), name).toEqual([{ ruleId: `only-${i}`, targetArn: `arn:${i}` }]);
      expect(index.match("photos", name, `p${(i + 1) % 3}/k`), name).toEqual([]);
    });
    expect(index.match("filler", PUT, "f/123/x").map((m) => m.ruleId)).toEqual(["filler-123"]);
  });
});

describe("RuleIndex.byteLength", () => {
  it("counts the compiled trees of every bucket, so it grows with the rules", () => {
    const configs = (rulesPerBucket: number) =>
      ["a", "b"].map((bucket) => ({
        bucket,
        rules: Array.from({ length: rulesPerBucket }, (_, i) => rule(`r${i}`, { prefix: `tenant-${i}/`, suffix: i % 2 ? ".jpg" : undefined })),
      }));
    const one = new RuleIndex(configs(10).slice(0, 1)).byteLength;
    const two = new RuleIndex(configs(10)).byteLength;
    const large = new RuleIndex(configs(1000)).byteLength;
    expect(one).toBeGreaterThan(0);
    expect(two).toBe(2 * one);
    expect(large).toBeGreaterThan(50 * one);
    expect(new RuleIndex([]).byteLength).toBe(0);
  });
});

describe("RuleIndex.hasSubscriber", () => {
  it("says whether any rule of the bucket wants the event, whatever the key", () => {
    const index = indexOf(rule("created", { events: ["s3:ObjectCreated:*"], prefix: "only/this/" }));
    expect(index.hasSubscriber("photos", PUT)).toBe(true);
    expect(index.hasSubscriber("photos", "s3:ObjectCreated:PutLegalHold")).toBe(true);
    expect(index.hasSubscriber("photos", DELETE)).toBe(false);
    expect(index.hasSubscriber("videos", PUT)).toBe(false);
    expect(new RuleIndex([]).hasSubscriber("photos", PUT)).toBe(false);
  });
});

describe("RuleIndex.dryRun", () => {
  const index = indexOf(
    rule("csv", { prefix: "a/", suffix: ".csv", targetArns: ["arn:shared"] }),
    rule("any-a", { prefix: "a/", targetArns: ["arn:shared"] }),
    rule("logs", { prefix: "logs/" }),
    rule("deletes", { events: ["s3:ObjectRemoved:*"] }),
    rule("spaced", { prefix: "my+photos/" }),
  );

  it("lists what would be delivered and why every other rule is left out", () => {
    expect(index.dryRun("photos", PUT, "a/b.txt")).toEqual({
      matches: [{ ruleId: "any-a", targetArn: "arn:shared" }],
      others: [
        { ruleId: "csv", reason: "suffix", message: 'key "a/b.txt" does not end with ".csv"' },
        { ruleId: "logs", reason: "prefix", message: 'key "a/b.txt" does not start with "logs/"' },
        { ruleId: "deletes", reason: "event", message: "the rule subscribes to s3:ObjectRemoved:*, not s3:ObjectCreated:Put" },
        {
          ruleId: "spaced",
          reason: "prefix",
          message: 'key "a/b.txt" does not start with "my+photos/" (and with the filter URL-decoded, does not start with "my photos/")',
        },
      ],
    });
  });

  it("explains a matching rule whose targets an earlier rule already serves", () => {
    const result = index.dryRun("photos", PUT, "a/b.csv");
    expect(result.matches).toEqual([{ ruleId: "csv", targetArn: "arn:shared" }]);
    expect(result.others).toContainEqual({
      ruleId: "any-a",
      reason: "target",
      message: 'the rule matches, but its targets already get this event through rule "csv"',
    });
  });

  it("reports a decoded key matching an encoded filter as a match", () => {
    const result = index.dryRun("photos", PUT, "my photos/x.jpg");
    expect(result.matches).toEqual([{ ruleId: "spaced", targetArn: "arn:spaced" }]);
    expect(result.others.map((o) => o.ruleId)).not.toContain("spaced");
  });

  it("matches what match returns and accounts for every rule exactly once", () => {
    for (const key of ["", "a/", "a/x.csv", "logs/a.csv", "my photos/", "my+photos/a.csv", "b"]) {
      for (const name of [PUT, DELETE] as const) {
        const result = index.dryRun("photos", name, key);
        expect(result.matches).toEqual([...index.match("photos", name, key)]);
        const accounted = [...new Set(result.matches.map((m) => m.ruleId)), ...result.others.map((o) => o.ruleId)];
        expect(accounted.sort(), `${name} ${key}`).toEqual(["any-a", "csv", "deletes", "logs", "spaced"]);
      }
    }
  });

  it("refuses event names that events never carry", () => {
    expect(() => index.dryRun("photos", "s3:ObjectCreated:*", "k")).toThrow(AppError);
    try {
      index.dryRun("photos", "s3:Nope", "k");
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "InvalidEventName", field: "eventName" });
    }
  });

  it("has nothing to say about a bucket without rules", () => {
    expect(index.dryRun("elsewhere", PUT, "k")).toEqual({ matches: [], others: [] });
  });
});
