import { describe, expect, it } from "vitest";
import { PrefixTree } from "./prefix-tree.ts";

interface Entry {
  prefix: string;
  suffix: string;
  id: number;
}

interface MaskedEntry extends Entry {
  mask: number;
}

function collect(tree: PrefixTree, key: string, events?: number): number[] {
  const out: number[] = [];
  const count = events === undefined ? tree.collect(key, out, 0) : tree.collect(key, out, 0, events);
  return out.slice(0, count).sort((a, b) => a - b);
}

function expected(entries: readonly (Entry & { mask?: number })[], key: string, events = 0xffff): number[] {
  return entries
    .filter((e) => key.startsWith(e.prefix) && key.endsWith(e.suffix) && ((e.mask ?? 0xffff) & events) !== 0)
    .map((e) => e.id)
    .sort((a, b) => a - b);
}

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

describe("PrefixTree", () => {
  it("finds items by prefix, by suffix and by both", () => {
    const entries = [
      { prefix: "logs/", suffix: "", id: 1 },
      { prefix: "logs/", suffix: ".gz", id: 2 },
      { prefix: "", suffix: ".csv", id: 3 },
      { prefix: "logs/app/", suffix: ".gz", id: 4 },
    ];
    const tree = new PrefixTree(entries);
    expect(collect(tree, "logs/app/x.gz")).toEqual([1, 2, 4]);
    expect(collect(tree, "logs/x.txt")).toEqual([1]);
    expect(collect(tree, "data/x.csv")).toEqual([3]);
    expect(collect(tree, "log")).toEqual([]);
  });

  it("matches an empty prefix and suffix to every key, the empty key included", () => {
    const tree = new PrefixTree([{ prefix: "", suffix: "", id: 7 }]);
    expect(collect(tree, "")).toEqual([7]);
    expect(collect(tree, "any/key")).toEqual([7]);
  });

  it("lets prefix and suffix overlap in a short key, as independent clauses", () => {
    const tree = new PrefixTree([{ prefix: "ab", suffix: "bc", id: 1 }]);
    expect(collect(tree, "abc")).toEqual([1]);
    expect(collect(tree, "ab")).toEqual([]);
  });

  it("splits edges where prefixes part, whatever the insertion order", () => {
    const entries = [
      { prefix: "photos/2024/", suffix: "", id: 1 },
      { prefix: "photos/", suffix: "", id: 2 },
      { prefix: "photos/2023/", suffix: "", id: 3 },
      { prefix: "pho", suffix: "", id: 4 },
    ];
    const tree = new PrefixTree(entries);
    expect(collect(tree, "photos/2024/a.jpg")).toEqual([1, 2, 4]);
    expect(collect(tree, "photos/2023/a.jpg")).toEqual([2, 3, 4]);
    expect(collect(tree, "photos/2022/a.jpg")).toEqual([2, 4]);
    expect(collect(tree, "phone")).toEqual([4]);
  });

  it("rejects a key that leaves an edge part-way, at any depth", () => {
    const tree = new PrefixTree([{ prefix: "reports/daily/", suffix: "", id: 1 }]);
    expect(collect(tree, "reports/dail")).toEqual([]);
    expect(collect(tree, "reports/dailx/a")).toEqual([]);
    expect(collect(tree, "xeports/daily/a")).toEqual([]);
  });

  it("returns an item once per entry, so an id added under two spellings appears twice", () => {
    const tree = new PrefixTree([
      { prefix: "a", suffix: "", id: 5 },
      { prefix: "", suffix: "z", id: 5 },
    ]);
    expect(collect(tree, "a-z")).toEqual([5, 5]);
  });

  it("appends after the count it is given, leaving earlier entries alone", () => {
    const tree = new PrefixTree([{ prefix: "k", suffix: "", id: 9 }]);
    const out = [1, 2, 3, 4];
    expect(tree.collect("key", out, 2)).toBe(3);
    expect(out.slice(0, 3)).toEqual([1, 2, 9]);
  });

  it("compares UTF-16 code units, so astral characters and their halves stay apart", () => {
    const entries = [
      { prefix: "фото/😀", suffix: "", id: 1 },
      { prefix: "фото/😁", suffix: "", id: 2 },
      { prefix: "", suffix: "日本.txt", id: 3 },
    ];
    const tree = new PrefixTree(entries);
    expect(collect(tree, "фото/😀/日本.txt")).toEqual([1, 3]);
    expect(collect(tree, "фото/😁/x")).toEqual([2]);
    // The same high surrogate as both emoji, with a different low one.
    expect(collect(tree, "фото/\uD83D\uDE02")).toEqual([]);
  });

  it("agrees with a brute-force scan on wide, deep and suffix-heavy trees", () => {
    const random = seededRandom(42);
    // Narrow alphabets make many shared prefixes (deep splits); a wide one makes nodes with many children.
    for (const alphabet of ["ab/", "abcdefghijklmnopqrstuvwxyz0123456789/", "aé日😀/"]) {
      const chars = [...alphabet];
      const word = (max: number) => Array.from({ length: Math.floor(random() * (max + 1)) }, () => chars[Math.floor(random() * chars.length)]).join("");
      const entries: Entry[] = [];
      for (let id = 0; id < 400; id++) {
        // Few distinct prefixes with many suffixes each exercise the suffix map as well as in-place suffixes.
        const prefix = id % 3 === 0 ? entries[Math.floor(random() * entries.length)]?.prefix ?? "" : word(6);
        entries.push({ prefix, suffix: random() < 0.3 ? "" : word(3), id });
      }
      const tree = new PrefixTree(entries);
      for (let i = 0; i < 2000; i++) {
        const key = word(12);
        expect(collect(tree, key), `key ${JSON.stringify(key)} over ${JSON.stringify(alphabet)}`).toEqual(expected(entries, key));
      }
      for (const { prefix, suffix } of entries.slice(0, 200)) {
        const key = `${prefix}${word(4)}${suffix}`;
        expect(collect(tree, key), `key ${JSON.stringify(key)}`).toEqual(expected(entries, key));
      }
    }
  });

  it("handles more suffixes at one prefix than are compared in place", () => {
    const entries = Array.from({ length: 30 }, (_, id) => ({ prefix: "p/", suffix: `.${"x".repeat(id % 5)}${id}`, id }));
    entries.push({ prefix: "p/", suffix: "", id: 100 });
    const tree = new PrefixTree(entries);
    expect(collect(tree, "p/file.xx12")).toEqual([12, 100]);
    expect(collect(tree, "p/file.x1")).toEqual([1, 100]);
    expect(collect(tree, "q/file.x1")).toEqual([]);
  });

  it("finds children of nodes with many, sparse and dense first characters", () => {
    // The root's children ("A".."h" and "~") are dense enough for a direct table; those under "~" are searched.
    const dense = Array.from({ length: 40 }, (_, id) => ({ prefix: `${String.fromCharCode(65 + id)}/`, suffix: "", id }));
    const sparse = Array.from({ length: 20 }, (_, id) => ({ prefix: `~${String.fromCharCode(0x100 + id * 97)}/`, suffix: "", id: 100 + id }));
    const tree = new PrefixTree([...dense, ...sparse]);
    for (const { prefix, id } of [...dense, ...sparse]) expect(collect(tree, `${prefix}k`)).toEqual([id]);
    for (const miss of ["@/k", "i/k", "\u00ff/k", `~${String.fromCharCode(0x101)}/k`, `~${String.fromCharCode(0x100 + 20 * 97)}/k`, "~"]) {
      expect(collect(tree, miss), miss).toEqual([]);
    }
  });
});

describe("PrefixTree encodings", () => {
  // Each test builds a tree that needs one of the compact encoding's escape hatches
  // or shortcuts, and checks every answer against a scan of the entries.
  const random = seededRandom(20240611);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const digits = (n: number, width: number) => String(n).padStart(width, "0");

  function agree(entries: readonly MaskedEntry[], keys: readonly string[], events: readonly number[] = [0xffff]): void {
    const tree = new PrefixTree(entries);
    for (const key of keys) {
      for (const bits of events) expect(collect(tree, key, bits), `key ${JSON.stringify(key)} events ${bits}`).toEqual(expected(entries, key, bits));
    }
  }

  /** Keys made from the entries: matching ones, ones cut short or changed at every position, and ones with other suffixes. */
  function keysFor(entries: readonly Entry[], count: number): string[] {
    const keys: string[] = ["", "x"];
    for (let i = 0; i < count; i++) {
      const { prefix, suffix } = pick(entries);
      const full = `${prefix}${digits(Math.floor(random() * 1000), 3)}${suffix}`;
      const cut = Math.floor(random() * (full.length + 1));
      keys.push(full, full.slice(0, cut), `${full.slice(0, cut)}~${full.slice(cut + 1)}`, `${prefix}${pick(entries).suffix}`);
    }
    return keys;
  }

  it("answers only for the event classes an item belongs to, pruning subtrees without them", () => {
    const entries: MaskedEntry[] = [];
    for (let id = 0; id < 600; id++) {
      const prefix = `${pick(["logs/", "img/", "logs/app-"])}${digits(Math.floor(random() * 50), 2)}/`;
      entries.push({ prefix, suffix: pick(["", ".gz", ".jpg"]), id, mask: 1 << Math.floor(random() * 16) | (random() < 0.2 ? 1 << 3 : 0) });
    }
    agree(entries, keysFor(entries, 300), [1, 1 << 3, 1 << 15, 0b1010, 0xffff, 0]);
  });

  it("matches numeric ids through tables over several characters, also for keys that end inside one", () => {
    // tenant-0000/ to tenant-0999/: the digit levels fold into one table; unpadded ids make levels of mixed shape.
    const entries: MaskedEntry[] = [];
    for (let id = 0; id < 1500; id++) {
      const n = Math.floor(random() * 1000);
      const prefix = id % 2 === 0 ? `tenants/tenant-${digits(n, 4)}/` : `tenant-${n}/${pick(["logs/", "metrics/", ""])}`;
      entries.push({ prefix, suffix: pick(["", ".log.gz", ".json"]), id, mask: 0xffff });
    }
    const keys = keysFor(entries, 400);
    for (const n of [0, 4, 42, 427, 999]) keys.push(`tenants/tenant-${digits(n, 4)}`.slice(0, 16 + (n % 4)), `tenant-${n}`, `tenant-${n}/logs/x.log.gz`);
    agree(entries, keys);
  });

  it("handles prefixes longer than a label can be, split into chains", () => {
    const long = "a/".repeat(50);
    const entries: MaskedEntry[] = [
      { prefix: long, suffix: "", id: 1, mask: 0xffff },
      { prefix: `${long}b/`, suffix: ".txt", id: 2, mask: 0xffff },
      { prefix: long.slice(0, 70), suffix: "", id: 3, mask: 0xffff },
      { prefix: `${"z".repeat(200)}`, suffix: "", id: 4, mask: 0xffff },
    ];
    agree(entries, [long, `${long}b/x.txt`, `${long}b/x.txt`.slice(0, 99), long.slice(0, 69), long.slice(0, 70), "z".repeat(199), "z".repeat(250)]);
  });

  it("keeps ids of 16 bits and more apart", () => {
    const entries: MaskedEntry[] = [0, 1, 0xffff, 0x10000, 0x12345, 0x7fffffff].map((id, i) => ({ prefix: `p${i % 3}/`, suffix: "", id, mask: 0xffff }));
    agree(entries, ["p0/x", "p1/x", "p2/x", "p3/x"]);
  });

  it("takes more items at one prefix and suffix than a node counts in place", () => {
    const entries: MaskedEntry[] = Array.from({ length: 200 }, (_, id) => ({ prefix: "same/", suffix: id % 2 === 0 ? "" : ".csv", id, mask: 1 << (id % 4) }));
    agree(entries, ["same/a.csv", "same/a.txt", "same", "other/a.csv"], [1, 2, 4, 8, 0xffff]);
  });

  it("stores suffixes beyond what 16-bit offsets reach in the items themselves", () => {
    // 2,500 distinct 30-character suffixes take 77,500 units, past the 65,535 a suffix offset can address.
    const entries: MaskedEntry[] = Array.from({ length: 2500 }, (_, id) => ({
      prefix: `d${digits(id, 4)}/`,
      suffix: `-${digits(id, 4)}${"s".repeat(25)}`,
      id,
      mask: 0xffff,
    }));
    const keys = entries.flatMap(({ prefix, suffix }) => [`${prefix}x${suffix}`, `${prefix}x${suffix.slice(1)}`]).filter((_, i) => i % 7 === 0);
    agree(entries, keys);
  });

  it("reaches children past 65,535 units with wide offsets", () => {
    // A first child whose subtree alone outgrows 16-bit offsets, and siblings after it.
    const entries: MaskedEntry[] = [];
    for (let id = 0; id < 4000; id++) entries.push({ prefix: `a/${digits(id * 7919, 8)}/${"q".repeat(20)}`, suffix: `.${id % 500}`, id, mask: 0xffff });
    for (let id = 4000; id < 4100; id++) entries.push({ prefix: `${String.fromCharCode(98 + (id % 20))}/${id}/`, suffix: "", id, mask: 0xffff });
    const tree = new PrefixTree(entries);
    expect(tree.byteLength).toBeGreaterThan(2 * 0x10000);
    agree(entries, keysFor(entries, 500));
  });

  it("agrees with a scan over many random prefixes, suffixes, ids and masks", () => {
    for (const alphabet of ["01/", "abc/-_", "0123456789/", "aé日😀/"]) {
      const chars = [...alphabet];
      const word = (max: number) => Array.from({ length: Math.floor(random() * (max + 1)) }, () => pick(chars)).join("");
      const entries: MaskedEntry[] = [];
      for (let id = 0; id < 1500; id++) {
        const prefix = id % 4 === 0 && entries.length > 0 ? pick(entries).prefix + word(3) : word(12);
        entries.push({ prefix, suffix: random() < 0.4 ? "" : word(3), id: id * 37, mask: Math.floor(random() * 0x10000) });
      }
      const keys = [...keysFor(entries, 300), ...Array.from({ length: 300 }, () => word(16))];
      agree(entries, keys, [1, 0x8000, 0x00ff, 0xffff]);
    }
  });

  it("refuses ids and masks it cannot store", () => {
    expect(() => new PrefixTree([{ prefix: "", suffix: "", id: -1 }])).toThrow(RangeError);
    expect(() => new PrefixTree([{ prefix: "", suffix: "", id: 2 ** 31 }])).toThrow(RangeError);
    expect(() => new PrefixTree([{ prefix: "", suffix: "", id: 1.5 }])).toThrow(RangeError);
    expect(() => new PrefixTree([{ prefix: "", suffix: "", id: 1, mask: 0x10000 }])).toThrow(RangeError);
  });

  it("finds nothing in an empty tree", () => {
    expect(collect(new PrefixTree([]), "")).toEqual([]);
    expect(collect(new PrefixTree([]), "a/b")).toEqual([]);
  });
});

describe("PrefixTree.pack", () => {
  const random = seededRandom(4242);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

  it("moves trees into one buffer without changing any answer or size", () => {
    const chars = [..."ab/-0123456789.é😀"];
    const word = (max: number) => Array.from({ length: Math.floor(random() * (max + 1)) }, () => pick(chars)).join("");
    // Trees of every size, an empty one and one with wide offsets among them, so that their starts fall anywhere.
    const sets: MaskedEntry[][] = [[]];
    for (let t = 0; t < 12; t++) {
      sets.push(Array.from({ length: Math.floor(random() * 400) + 1 }, (_, id) => ({ prefix: word(10), suffix: random() < 0.5 ? "" : word(3), id, mask: Math.floor(random() * 0x10000) })));
    }
    const wide: MaskedEntry[] = [];
    for (let id = 0; id < 4000; id++) wide.push({ prefix: `a/${String(id * 7919).padStart(8, "0")}/${"q".repeat(20)}`, suffix: `.${id % 500}`, id, mask: 0xffff });
    sets.push(wide);
    const trees = sets.map((entries) => new PrefixTree(entries));
    const keys = sets.map((entries) => [
      "",
      "a/",
      ...Array.from({ length: 200 }, () => word(14)),
      ...entries.slice(0, 200).map((e) => `${e.prefix}${word(4)}${e.suffix}`),
    ]);
    const before = trees.map((tree, t) => keys[t]!.map((key) => [collect(tree, key), collect(tree, key, 0x00f0)]));
    const sizes = trees.map((tree) => tree.byteLength);
    PrefixTree.pack(trees);
    trees.forEach((tree, t) => {
      expect(tree.byteLength).toBe(sizes[t]);
      keys[t]!.forEach((key, k) => expect([collect(tree, key), collect(tree, key, 0x00f0)], `tree ${t} key ${JSON.stringify(key)}`).toEqual(before[t]![k]));
      // And still what a scan of the entries says.
      for (const key of keys[t]!.slice(0, 50)) expect(collect(tree, key)).toEqual(expected(sets[t]!, key));
    });
  });

  it("accepts no trees and a single tree", () => {
    expect(() => PrefixTree.pack([])).not.toThrow();
    const tree = new PrefixTree([{ prefix: "logs/", suffix: ".gz", id: 3 }]);
    PrefixTree.pack([tree]);
    expect(collect(tree, "logs/a.gz")).toEqual([3]);
    expect(collect(tree, "logs/a.txt")).toEqual([]);
  });
});
