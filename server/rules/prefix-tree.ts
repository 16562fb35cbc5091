/**
 * Distinct suffixes up to this many at one prefix are compared in place; more
 * go through a map with one slice per distinct suffix length.
 */
const FEW_SUFFIXES = 8;
/** Children up to this many are scanned; more are indexed directly when their first characters are dense, else binary-searched. */
const FEW_CHILDREN = 8;

// A compiled node, at offset `o` of `PrefixTree.code`:
//   o+0 LABEL_LENGTH  characters on the edge from the parent, stored from o+HEADER
//   o+1 CHILD_SLOTS   size of the child table that follows the suffixes: with CHILD_BASE -1,
//                     (character, child offset) pairs sorted by character; else child offsets
//                     (-1 for none) for characters CHILD_BASE, CHILD_BASE+1, ...
//   o+2 CHILD_BASE
//   o+3 SUFFIX_COUNT  entries (suffix length, item id, suffix characters...) after the label
//   o+4 SUFFIX_MAP    index into `suffixMaps` when the node has many suffixes, else -1
const LABEL_LENGTH = 0;
const CHILD_SLOTS = 1;
const CHILD_BASE = 2;
const SUFFIX_COUNT = 3;
const SUFFIX_MAP = 4;
const HEADER = 5;

/**
 * Finds the items (numeric ids) whose prefix starts a key and whose suffix
 * ends it, with work that depends on the key and on how many prefixes share
 * its path, not on how many items the tree holds.
 *
 * A radix tree over the prefixes, compiled into one Int32Array in depth-first
 * order, so that a node's label, its items' suffixes and its child table sit
 * side by side. At 100,000 rules lookups are bound by memory latency: a tree
 * of objects, Maps and strings costs several cache misses per level, this
 * about one. Items are grouped by suffix at the node where their prefix ends,
 * and are ids rather than objects so that matching touches no item memory.
 *
 * Immutable once built; RuleIndex replaces whole trees on change.
 */
export class PrefixTree {
  private readonly code: Int32Array;
  private readonly suffixMaps: SuffixMap[] = [];

  constructor(entries: Iterable<{ prefix: string; suffix: string; id: number }>) {
    const root = new BuildNode("");
    for (const { prefix, suffix, id } of entries) root.descendant(prefix).add(suffix, id);
    const code: number[] = [];
    this.emit(root, code);
    this.code = Int32Array.from(code);
  }

  /**
   * Writes the id of every item matching `key` into `out` from index `count` on
   * and returns the new count (an id added twice appears twice). The caller keeps
   * the count rather than truncating `out`, because setting an array's length
   * to 0 makes V8 drop its storage and reallocate on the next write.
   */
  collect(key: string, out: number[], count: number): number {
    const code = this.code;
    const keyLength = key.length;
    let node = 0;
    let depth = 0;
    for (;;) {
      const labelLength = code[node + LABEL_LENGTH]!;
      if (depth + labelLength > keyLength) return count;
      let at = node + HEADER;
      for (let i = 0; i < labelLength; i++) if (key.charCodeAt(depth + i) !== code[at + i]) return count;
      depth += labelLength;
      at += labelLength;

      const suffixCount = code[node + SUFFIX_COUNT]!;
      for (let s = 0; s < suffixCount; s++) {
        const suffixLength = code[at]!;
        if (suffixLength <= keyLength && endsWith(key, code, at + 2, suffixLength)) out[count++] = code[at + 1]!;
        at += 2 + suffixLength;
      }
      const map = code[node + SUFFIX_MAP]!;
      if (map >= 0) count = this.suffixMaps[map]!.collect(key, out, count);

      const slots = code[node + CHILD_SLOTS]!;
      if (slots === 0 || depth >= keyLength) return count;
      const char = key.charCodeAt(depth);
      const base = code[node + CHILD_BASE]!;
      const child = base < 0 ? findChild(code, at, slots, char) : char >= base && char - base < slots ? code[at + char - base]! : -1;
      if (child < 0) return count;
      node = child;
    }
  }

  /** Appends `node` and its subtree to `code`; returns the node's offset. */
  private emit(node: BuildNode, code: number[]): number {
    const offset = code.length;
    const children = [...node.children.values()].sort((a, b) => a.label.charCodeAt(0) - b.label.charCodeAt(0));
    const bySuffix = [...node.itemsBySuffix];
    const inPlace = bySuffix.length <= FEW_SUFFIXES ? bySuffix : bySuffix.filter(([suffix]) => suffix === "");
    const mapped = bySuffix.length <= FEW_SUFFIXES ? [] : bySuffix.filter(([suffix]) => suffix !== "");
    const entries = inPlace.flatMap(([suffix, ids]) => ids.map((id) => ({ suffix, id })));
    const firstChars = children.map((child) => child.label.charCodeAt(0));
    const span = children.length === 0 ? 0 : firstChars[firstChars.length - 1]! - firstChars[0]! + 1;
    // A direct table costs one slot per character in the span, pairs two per child: allow a
    // little more than the pairs' size, so letters and digits together (a span of 75) qualify.
    const dense = children.length > FEW_CHILDREN && span <= 3 * children.length;
    code.push(
      node.label.length,
      dense ? span : children.length,
      dense ? firstChars[0]! : -1,
      entries.length,
      mapped.length > 0 ? this.suffixMaps.length : -1,
    );
    if (mapped.length > 0) this.suffixMaps.push(new SuffixMap(mapped));
    for (let i = 0; i < node.label.length; i++) code.push(node.label.charCodeAt(i));
    for (const { suffix, id } of entries) {
      code.push(suffix.length, id);
      for (let i = 0; i < suffix.length; i++) code.push(suffix.charCodeAt(i));
    }
    const table = code.length;
    if (dense) {
      for (let i = 0; i < span; i++) code.push(-1);
      children.forEach((child, i) => {
        code[table + firstChars[i]! - firstChars[0]!] = this.emit(child, code);
      });
    } else {
      for (const char of firstChars) code.push(char, -1);
      children.forEach((child, i) => {
        code[table + 2 * i + 1] = this.emit(child, code);
      });
    }
    return offset;
  }
}

/** Whether `key` ends with the `length` characters stored in `code` from `from`. */
function endsWith(key: string, code: Int32Array, from: number, length: number): boolean {
  const start = key.length - length;
  for (let i = 0; i < length; i++) if (key.charCodeAt(start + i) !== code[from + i]) return false;
  return true;
}

/** Offset of the child whose label starts with `char`, from a table of `count` sorted (character, offset) pairs, or -1. */
function findChild(code: Int32Array, table: number, count: number, char: number): number {
  if (count <= FEW_CHILDREN) {
    for (let i = 0; i < count; i++) {
      const c = code[table + 2 * i]!;
      if (c === char) return code[table + 2 * i + 1]!;
      if (c > char) return -1;
    }
    return -1;
  }
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const c = code[table + 2 * mid]!;
    if (c === char) return code[table + 2 * mid + 1]!;
    if (c < char) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/** Many suffixes at one prefix: one slice and lookup per distinct suffix length, however many suffixes there are. */
class SuffixMap {
  private readonly bySuffix: Map<string, number[]>;
  private readonly lengths: number[];

  constructor(entries: [string, number[]][]) {
    this.bySuffix = new Map(entries);
    this.lengths = [...new Set(entries.map(([suffix]) => suffix.length))].sort((a, b) => a - b);
  }

  collect(key: string, out: number[], count: number): number {
    const lengths = this.lengths;
    for (let i = 0; i < lengths.length; i++) {
      const length = lengths[i]!;
      if (length > key.length) break;
      const ids = this.bySuffix.get(key.slice(key.length - length));
      if (ids !== undefined) for (let j = 0; j < ids.length; j++) out[count++] = ids[j]!;
    }
    return count;
  }
}

class BuildNode {
  readonly children = new Map<number, BuildNode>();
  /** Item ids by suffix ("" for none), in insertion order. */
  readonly itemsBySuffix = new Map<string, number[]>();

  constructor(
    /** The part of the prefix on the edge from the parent. */
    public label: string,
  ) {}

  add(suffix: string, id: number): void {
    const ids = this.itemsBySuffix.get(suffix);
    if (ids) ids.push(id);
    else this.itemsBySuffix.set(suffix, [id]);
  }

  /** The node where `prefix` ends, creating it (and splitting an edge) when needed. */
  descendant(prefix: string): BuildNode {
    let node: BuildNode = this;
    let at = 0;
    while (at < prefix.length) {
      const first = prefix.charCodeAt(at);
      const child = node.children.get(first);
      if (child === undefined) {
        const leaf = new BuildNode(prefix.slice(at));
        node.children.set(first, leaf);
        return leaf;
      }
      const common = commonLength(child.label, prefix, at);
      if (common < child.label.length) {
        // The prefix leaves the edge part-way: split it so the branch point is a node.
        const branch = new BuildNode(child.label.slice(0, common));
        child.label = child.label.slice(common);
        branch.children.set(child.label.charCodeAt(0), child);
        node.children.set(first, branch);
        node = branch;
      } else {
        node = child;
      }
      at += common;
    }
    return node;
  }
}

/** Length of the common run of `label` and `text` from `from`. */
function commonLength(label: string, text: string, from: number): number {
  const max = Math.min(label.length, text.length - from);
  let n = 0;
  while (n < max && label.charCodeAt(n) === text.charCodeAt(from + n)) n++;
  return n;
}
