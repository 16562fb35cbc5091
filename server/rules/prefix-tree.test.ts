import { describe, expect, it } from "vitest";
import { PrefixTree } from "./prefix-tree.ts";

interface Entry {
  prefix: string;
  suffix: string;
  id: number;
}

function collect(tree: PrefixTree, key: string): number[] {
  const out: number[] = [];
  const count = tree.collect(key, out, 0);
  return out.slice(0, count).sort((a, b) => a - b);
}

function expected(entries: readonly Entry[], key: string): number[] {
  return entries
    .filter((e) => key.startsWith(e.prefix) && key.endsWith(e.suffix))
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
