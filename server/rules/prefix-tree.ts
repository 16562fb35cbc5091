/**
 * Distinct suffixes up to this many at one prefix are compared in place; more
 * go through a map with one slice per distinct suffix length.
 */
const FEW_SUFFIXES = 8;
/** Children up to this many are scanned; more are indexed directly when their first characters are dense, else binary-searched. */
const FEW_CHILDREN = 8;
/** Counts and lengths are stored in one 16-bit unit; longer labels are split into a chain of nodes. */
const MAX_UNIT = 0xffff;

// A compiled node, at offset `o` of `PrefixTree.code` (16-bit units):
//   o+0 LABEL_LENGTH  characters on the edge from the parent, stored from o+HEADER
//   o+1 MASK_LO       union of the event masks of every item in the subtree
//   o+2 MASK_HI
//   o+3 ITEM_COUNT    items compared in place, stored after the label as
//                     (suffix length, mask lo, mask hi, id lo, id hi, suffix characters...)
//   o+4 FLAGS         HAS_SUFFIX_MAP: two units after the items index `suffixMaps`
//                     HAS_CHILDREN: a child table follows
//                     DENSE: the table is (first character, offsets by character - first)
//                     rather than (characters..., offsets...) sorted by character
//   o+5 CHILD_SPAN    children (or, when DENSE, characters covered) minus one
// Offsets take two units (low, high); 0 means no child, as the root is no one's child.
const LABEL_LENGTH = 0;
const MASK_LO = 1;
const MASK_HI = 2;
const ITEM_COUNT = 3;
const FLAGS = 4;
const CHILD_SPAN = 5;
const HEADER = 6;
const ITEM_HEADER = 5;

const HAS_SUFFIX_MAP = 1;
const HAS_CHILDREN = 2;
const DENSE = 4;

/** An item: its prefix and suffix, a numeric id, and the event classes (bits) it belongs to. */
export interface PrefixTreeEntry {
  readonly prefix: string;
  readonly suffix: string;
  /** A non-negative 31-bit integer. */
  readonly id: number;
  /** Bits of the event classes the item answers to; every class when omitted. */
  readonly mask?: number;
}

/**
 * Finds the items (numeric ids) whose prefix starts a key and whose suffix
 * ends it, with work that depends on the key and on how many prefixes share
 * its path, not on how many items the tree holds.
 *
 * A radix tree over the prefixes, compiled into one Uint16Array in depth-first
 * order, so that a node's label, its items' suffixes and its child table sit
 * side by side. At 100,000 rules lookups are bound by memory latency, and that
 * latency grows with the size of the whole structure (L2, then L3, then RAM),
 * not only with the cache lines one lookup touches: UTF-16 code units are 16
 * bits, so storing everything in 16-bit units halves the footprint of 32-bit
 * storage. Items are grouped by suffix at the node where their prefix ends, and
 * are ids rather than objects so that matching touches no item memory.
 *
 * Each item carries an event mask, and each node the union of its subtree's
 * masks, so that one tree can serve every event name of a bucket: a lookup
 * passes its event's bit, skips items of other events and stops at subtrees
 * without any. One shared tree is smaller than one tree per event, which would
 * copy each rule into every event it subscribes to.
 *
 * Immutable once built; RuleIndex replaces whole trees on change.
 */
export class PrefixTree {
  private readonly code: Uint16Array;
  private readonly suffixMaps: SuffixMap[] = [];

  constructor(entries: Iterable<PrefixTreeEntry>) {
    const root = new BuildNode("");
    for (const { prefix, suffix, id, mask = -1 } of entries) {
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) throw new RangeError(`PrefixTree item id ${id} is not a 31-bit integer`);
      root.descendant(prefix).add(suffix, id, mask | 0);
    }
    const code: number[] = [];
    this.emit(root, code);
    this.code = Uint16Array.from(code);
  }

  /** Size of the compiled tree in bytes, suffix maps aside: what a lookup's cache footprint scales with. */
  get byteLength(): number {
    return this.code.byteLength;
  }

  /**
   * Writes the id of every item matching `key` whose mask shares a bit with
   * `events` into `out` from index `count` on, and returns the new count (an id
   * added twice appears twice). The caller keeps the count rather than
   * truncating `out`, because setting an array's length to 0 makes V8 drop its
   * storage and reallocate on the next write.
   */
  collect(key: string, out: number[], count: number, events = -1): number {
    const code = this.code;
    const keyLength = key.length;
    let node = 0;
    let depth = 0;
    for (;;) {
      if (((code[node + MASK_LO]! | (code[node + MASK_HI]! << 16)) & events) === 0) return count;
      const labelLength = code[node + LABEL_LENGTH]!;
      if (depth + labelLength > keyLength) return count;
      let at = node + HEADER;
      for (let i = 0; i < labelLength; i++) if (key.charCodeAt(depth + i) !== code[at + i]) return count;
      depth += labelLength;
      at += labelLength;

      const itemCount = code[node + ITEM_COUNT]!;
      for (let s = 0; s < itemCount; s++) {
        const suffixLength = code[at]!;
        if (
          ((code[at + 1]! | (code[at + 2]! << 16)) & events) !== 0 &&
          suffixLength <= keyLength &&
          endsWith(key, code, at + ITEM_HEADER, suffixLength)
        ) {
          out[count++] = code[at + 3]! | (code[at + 4]! << 16);
        }
        at += ITEM_HEADER + suffixLength;
      }
      const flags = code[node + FLAGS]!;
      if ((flags & HAS_SUFFIX_MAP) !== 0) {
        count = this.suffixMaps[code[at]! | (code[at + 1]! << 16)]!.collect(key, out, count, events);
        at += 2;
      }

      if ((flags & HAS_CHILDREN) === 0 || depth >= keyLength) return count;
      const char = key.charCodeAt(depth);
      const span = code[node + CHILD_SPAN]! + 1;
      let slot: number;
      if ((flags & DENSE) !== 0) {
        const index = char - code[at]!;
        if (index < 0 || index >= span) return count;
        slot = at + 1 + 2 * index;
      } else {
        const index = findChar(code, at, span, char);
        if (index < 0) return count;
        slot = at + span + 2 * index;
      }
      node = code[slot]! | (code[slot + 1]! << 16);
      if (node === 0) return count;
    }
  }

  /** Appends `node` and its subtree to `code`; returns the node's offset. */
  private emit(node: BuildNode, code: number[]): number {
    const offset = code.length;
    const children = [...node.children.values()].sort((a, b) => a.label.charCodeAt(0) - b.label.charCodeAt(0));
    const bySuffix = [...node.itemsBySuffix];
    let inPlace = bySuffix.length <= FEW_SUFFIXES ? bySuffix : bySuffix.filter(([suffix]) => suffix === "");
    let mapped = bySuffix.length <= FEW_SUFFIXES ? [] : bySuffix.filter(([suffix]) => suffix !== "");
    if (inPlace.reduce((n, [, items]) => n + items.length, 0) > MAX_UNIT) {
      // Too many to count in one unit: the map takes any number of items, the empty suffix included.
      inPlace = [];
      mapped = bySuffix;
    }
    const firstChars = children.map((child) => child.label.charCodeAt(0));
    const span = children.length === 0 ? 0 : firstChars[firstChars.length - 1]! - firstChars[0]! + 1;
    // A direct table costs two units per character in the span, a sorted one three per child and a search.
    const dense = children.length > FEW_CHILDREN && span <= 3 * children.length;
    let mask = 0;
    for (const [, items] of bySuffix) for (const item of items) mask |= item.mask;
    code.push(
      node.label.length,
      0, // the subtree's mask, written once the children are
      0,
      inPlace.reduce((n, [, items]) => n + items.length, 0),
      (mapped.length > 0 ? HAS_SUFFIX_MAP : 0) | (children.length > 0 ? HAS_CHILDREN : 0) | (dense ? DENSE : 0),
      children.length === 0 ? 0 : (dense ? span : children.length) - 1,
    );
    for (let i = 0; i < node.label.length; i++) code.push(node.label.charCodeAt(i));
    for (const [suffix, items] of inPlace) {
      for (const { id, mask: itemMask } of items) {
        code.push(suffix.length, itemMask & 0xffff, itemMask >>> 16, id & 0xffff, id >>> 16);
        for (let i = 0; i < suffix.length; i++) code.push(suffix.charCodeAt(i));
      }
    }
    if (mapped.length > 0) {
      code.push(this.suffixMaps.length & 0xffff, this.suffixMaps.length >>> 16);
      this.suffixMaps.push(new SuffixMap(mapped));
    }
    if (dense) code.push(firstChars[0]!);
    else for (const char of firstChars) code.push(char);
    const slots = code.length;
    for (let i = 0, n = dense ? span : children.length; i < n; i++) code.push(0, 0);
    children.forEach((child, i) => {
      const slot = slots + 2 * (dense ? firstChars[i]! - firstChars[0]! : i);
      const at = this.emit(child, code);
      code[slot] = at & 0xffff;
      code[slot + 1] = at >>> 16;
      mask |= code[at + MASK_LO]! | (code[at + MASK_HI]! << 16);
    });
    code[offset + MASK_LO] = mask & 0xffff;
    code[offset + MASK_HI] = mask >>> 16;
    return offset;
  }
}

/** Whether `key` ends with the `length` characters stored in `code` from `from`. */
function endsWith(key: string, code: Uint16Array, from: number, length: number): boolean {
  const start = key.length - length;
  for (let i = 0; i < length; i++) if (key.charCodeAt(start + i) !== code[from + i]) return false;
  return true;
}

/** Index of `char` among `count` sorted characters stored from `from`, or -1. */
function findChar(code: Uint16Array, from: number, count: number, char: number): number {
  if (count <= FEW_CHILDREN) {
    for (let i = 0; i < count; i++) {
      const c = code[from + i]!;
      if (c === char) return i;
      if (c > char) return -1;
    }
    return -1;
  }
  let low = 0;
  let high = count - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const c = code[from + mid]!;
    if (c === char) return mid;
    if (c < char) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

interface Item {
  readonly id: number;
  readonly mask: number;
}

/** Many suffixes at one prefix: one slice and lookup per distinct suffix length, however many suffixes there are. */
class SuffixMap {
  /** Per suffix, (id, mask) pairs. */
  private readonly bySuffix: Map<string, number[]>;
  private readonly lengths: number[];

  constructor(entries: [string, Item[]][]) {
    this.bySuffix = new Map(entries.map(([suffix, items]) => [suffix, items.flatMap(({ id, mask }) => [id, mask])]));
    this.lengths = [...new Set(entries.map(([suffix]) => suffix.length))].sort((a, b) => a - b);
  }

  collect(key: string, out: number[], count: number, events: number): number {
    const lengths = this.lengths;
    for (let i = 0; i < lengths.length; i++) {
      const length = lengths[i]!;
      if (length > key.length) break;
      const items = this.bySuffix.get(key.slice(key.length - length));
      if (items !== undefined) for (let j = 0; j < items.length; j += 2) if ((items[j + 1]! & events) !== 0) out[count++] = items[j]!;
    }
    return count;
  }
}

class BuildNode {
  readonly children = new Map<number, BuildNode>();
  /** Items by suffix ("" for none), in insertion order. */
  readonly itemsBySuffix = new Map<string, Item[]>();

  constructor(
    /** The part of the prefix on the edge from the parent. */
    public label: string,
  ) {}

  add(suffix: string, id: number, mask: number): void {
    const items = this.itemsBySuffix.get(suffix);
    if (items) items.push({ id, mask });
    else this.itemsBySuffix.set(suffix, [{ id, mask }]);
  }

  /** The node where `prefix` ends, creating it (and splitting an edge) when needed. */
  descendant(prefix: string): BuildNode {
    let node: BuildNode = this;
    let at = 0;
    while (at < prefix.length) {
      const first = prefix.charCodeAt(at);
      const child = node.children.get(first);
      if (child === undefined) {
        const leaf = new BuildNode(prefix.slice(at, at + MAX_UNIT));
        node.children.set(first, leaf);
        node = leaf;
        at += leaf.label.length;
        continue;
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
