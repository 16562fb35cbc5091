/**
 * Distinct suffixes up to this many at one prefix are compared in place; more
 * go through a map with one slice per distinct suffix length.
 */
const FEW_SUFFIXES = 8;
/** Children up to this many are scanned; more are indexed directly when their first characters are dense, else binary-searched. */
const FEW_CHILDREN = 8;
/** At most this many characters are indexed by one table, and a table has at most this many slots (see `BuildNode.chooseTable`). */
const MAX_STRIDE = 4;
const MAX_TABLE_SLOTS = 4096;

// The compiled tree is one Uint16Array, `PrefixTree.code`: first the suffix
// area, then the nodes in depth-first order from `PrefixTree.root`.
//
// The suffix area holds each distinct suffix of the in-place items once, as
// (length, characters...); offset 0 is the empty suffix (a lone 0).
//
// A node, at offset `o`:
//   o+0 HEAD  label length (bits 0-5), in-place item count (bits 6-11), flags (12-15)
//   o+1 MASK  union of the event masks of every item in the subtree
//   then the label: the characters on the edge from the parent, except the
//        ones the parent's table has matched to get here
//   then the in-place items: (suffix offset, mask, id low[, id high when the tree
//        has wide ids]), followed by (length, characters...) when the suffix offset
//        is INLINE_SUFFIX (a suffix area too big to address in 16 bits)
//   then, with HAS_SUFFIX_MAP, two units indexing `suffixMaps`
//   then, with HAS_CHILDREN, the child table, at `t`, which matches the next
//   character (or, DENSE, the next `stride` characters) of the key:
//     sorted: t+0 children minus one, then their first characters in order,
//             then their offsets in the same order
//     DENSE:  t+0 stride, then per character matched (first character covered,
//             characters covered minus one), then one offset per combination
//             (0: no child), the last character varying fastest
//     Offsets are relative to `t` and take one unit, or two (low, high) when WIDE.
const LABEL_BITS = 0x3f;
const ITEM_SHIFT = 6;
const ITEM_BITS = 0x3f;
const HAS_SUFFIX_MAP = 1 << 12;
const HAS_CHILDREN = 1 << 13;
const DENSE = 1 << 14;
const WIDE = 1 << 15;
const NODE_HEADER = 2;
/** Longer labels are split into a chain of nodes, and more in-place items go to a suffix map, so that both counts fit HEAD. */
const MAX_LABEL = LABEL_BITS;
const MAX_IN_PLACE = ITEM_BITS;
const INLINE_SUFFIX = 0xffff;
/** Event masks are 16 bits: one unit. */
export const PREFIX_TREE_MASK_BITS = 16;
const ALL_EVENTS = 0xffff;

/** An item: its prefix and suffix, a numeric id, and the event classes (bits) it belongs to. */
export interface PrefixTreeEntry {
  readonly prefix: string;
  readonly suffix: string;
  /** A non-negative 31-bit integer. */
  readonly id: number;
  /** Bits (of PREFIX_TREE_MASK_BITS) of the event classes the item answers to; every class when omitted. */
  readonly mask?: number;
}

/**
 * Finds the items (numeric ids) whose prefix starts a key and whose suffix
 * ends it, with work that depends on the key and on how many prefixes share
 * its path, not on how many items the tree holds.
 *
 * A radix tree over the prefixes, compiled into one Uint16Array in depth-first
 * order, so that a node's label, its items and its child table sit side by
 * side and a small subtree shares cache lines.
 *
 * With many rules a lookup costs more than with few for two reasons, and the
 * layout answers both. Memory: the tree no longer fits the CPU caches, and
 * the latency of a miss grows with the size of all the trees together (L2,
 * then L3, then RAM at a few megabytes on a shared server), so everything is
 * as small as it can be while a lookup stays a plain walk: 16-bit units (a
 * UTF-16 code unit is one), two-unit node headers, child offsets relative to
 * the table, each distinct suffix stored once rather than in every item (real
 * configurations repeat `.jpg` and `.gz` across thousands of rules), and the
 * character a table matched not stored again in the child's label. Steps: more
 * prefixes mean longer paths, and each node is a few unpredictable branches;
 * runs of one-character branch nodes, which numeric ids make
 * (`tenant-0427/`: a node per digit), are folded into one table that matches
 * several characters at once.
 *
 * Each item carries an event mask, and each node the union of its subtree's
 * masks, so that one tree can serve several event classes: a lookup passes
 * its event's bit, skips items of other events and stops at subtrees without
 * any. RuleIndex shares a tree among a bucket's classes when the index is
 * large, as one shared tree is smaller than one per class, which would copy
 * each rule into every class it is in.
 *
 * Immutable once built; RuleIndex replaces whole trees on change.
 */
export class PrefixTree {
  /** Replaced only by `pack`, with a copy of the same units. */
  private code: Uint16Array;
  private readonly root: number;
  /** Whether item ids take two units: some id is 0x10000 or more. */
  private readonly wideIds: boolean;
  private readonly suffixMaps: SuffixMap[] = [];

  constructor(entries: Iterable<PrefixTreeEntry>) {
    const root = new BuildNode("");
    let maxId = 0;
    for (const { prefix, suffix, id, mask = ALL_EVENTS } of entries) {
      if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) throw new RangeError(`PrefixTree item id ${id} is not a 31-bit integer`);
      if (!Number.isInteger(mask) || mask < 0 || mask > ALL_EVENTS) throw new RangeError(`PrefixTree item mask ${mask} is not ${PREFIX_TREE_MASK_BITS} bits`);
      root.descendant(prefix).add(suffix, id, mask);
      maxId = Math.max(maxId, id);
    }
    this.wideIds = maxId > 0xffff;
    // A root with nothing but one child (every prefix starts with the same character) is a step for nothing: start
    // at the child, storing its whole label.
    const top = root.itemsBySuffix.size === 0 && root.children.size === 1 ? root.children.values().next().value! : root;
    const code: number[] = [0];
    top.plan(0, this.wideIds, code, new Map([["", 0]]));
    this.root = code.length;
    this.emit(top, 0, code);
    this.code = Uint16Array.from(code);
  }

  /**
   * Moves the compiled trees into one buffer, each starting on a 64-byte
   * boundary of it (cache lines, as far as the buffer itself is aligned),
   * without changing what they match. Lookups spread over many trees then
   * touch one block of memory rather than as many heap allocations as there
   * are trees, scattered among everything allocated meanwhile: fewer pages
   * (TLB entries) for the same bytes. RuleIndex packs all its trees: about
   * 5% more lookups per second with 100 buckets of 1,000 rules.
   */
  static pack(trees: readonly PrefixTree[]): void {
    const align = 64 / Uint16Array.BYTES_PER_ELEMENT;
    const start = (length: number) => Math.ceil(length / align) * align;
    let total = 0;
    for (const tree of trees) total = start(total) + tree.code.length;
    const buffer = new Uint16Array(total);
    let at = 0;
    for (const tree of trees) {
      at = start(at);
      buffer.set(tree.code, at);
      tree.code = buffer.subarray(at, at + tree.code.length);
      at += tree.code.length;
    }
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
  collect(key: string, out: number[], count: number, events = ALL_EVENTS): number {
    const code = this.code;
    const wideIds = this.wideIds;
    const keyLength = key.length;
    let node = this.root;
    let depth = 0;
    for (;;) {
      if ((code[node + 1]! & events) === 0) return count;
      const head = code[node]!;
      const labelLength = head & LABEL_BITS;
      if (depth + labelLength > keyLength) return count;
      let at = node + NODE_HEADER;
      for (let i = 0; i < labelLength; i++) if (key.charCodeAt(depth + i) !== code[at + i]) return count;
      depth += labelLength;
      at += labelLength;

      for (let items = (head >>> ITEM_SHIFT) & ITEM_BITS; items > 0; items--) {
        let suffix = code[at]!;
        const wanted = (code[at + 1]! & events) !== 0;
        let id = code[at + 2]!;
        if (wideIds) {
          id |= code[at + 3]! << 16;
          at += 4;
        } else {
          at += 3;
        }
        if (suffix === INLINE_SUFFIX) {
          suffix = at;
          at += 1 + code[at]!;
        }
        if (wanted && endsWith(key, code, suffix)) out[count++] = id;
      }
      if ((head & HAS_SUFFIX_MAP) !== 0) {
        count = this.suffixMaps[code[at]! | (code[at + 1]! << 16)]!.collect(key, out, count, events);
        at += 2;
      }

      if ((head & HAS_CHILDREN) === 0 || depth >= keyLength) return count;
      const width = (head & WIDE) !== 0 ? 2 : 1;
      let slot: number;
      if ((head & DENSE) !== 0) {
        // The first character outside the loop: most tables match one.
        const stride = code[at]!;
        let digit = key.charCodeAt(depth) - code[at + 1]!;
        let span = code[at + 2]! + 1;
        if (digit < 0 || digit >= span) return count;
        let index = digit;
        slot = at + 3;
        if (stride > 1) {
          if (depth + stride > keyLength) return count;
          for (let s = 1; s < stride; s++, slot += 2) {
            span = code[slot + 1]! + 1;
            digit = key.charCodeAt(depth + s) - code[slot]!;
            if (digit < 0 || digit >= span) return count;
            index = index * span + digit;
          }
        }
        depth += stride;
        slot += index * width;
      } else {
        const children = code[at]! + 1;
        const index = findChar(code, at + 1, children, key.charCodeAt(depth));
        if (index < 0) return count;
        depth++;
        slot = at + 1 + children + index * width;
      }
      const offset = (head & WIDE) !== 0 ? code[slot]! | (code[slot + 1]! << 16) : code[slot]!;
      if (offset === 0) return count;
      node = at + offset;
    }
  }

  /**
   * Appends `node` and its subtree to `code`, as `BuildNode.plan` laid them
   * out. `matched` characters of its label are the parent table's: the first,
   * for every node but the root (a table matching several characters matched
   * the labels of the nodes it skips, one character each, then this one's first).
   */
  private emit(node: BuildNode, matched: number, code: number[]): void {
    const { table, wide } = node;
    const start = code.length;
    const label = node.label.slice(matched);
    code.push(
      label.length |
        (node.inPlace.length << ITEM_SHIFT) |
        (node.mapped.length > 0 ? HAS_SUFFIX_MAP : 0) |
        (table ? HAS_CHILDREN : 0) |
        (table?.levels ? DENSE : 0) |
        (wide ? WIDE : 0),
      node.mask,
    );
    for (let i = 0; i < label.length; i++) code.push(label.charCodeAt(i));
    for (const { id, mask, suffix, suffixOffset } of node.inPlace) {
      code.push(suffixOffset, mask, id & 0xffff);
      if (this.wideIds) code.push(id >>> 16);
      if (suffixOffset === INLINE_SUFFIX) pushSuffix(code, suffix);
    }
    if (node.mapped.length > 0) {
      code.push(this.suffixMaps.length & 0xffff, this.suffixMaps.length >>> 16);
      this.suffixMaps.push(new SuffixMap(node.mapped));
    }
    if (table) {
      const at = code.length;
      if (table.levels) {
        code.push(table.levels.length);
        for (const { first, span } of table.levels) code.push(first, span - 1);
      } else {
        code.push(table.targets.length - 1);
        for (const { node: child } of table.targets) code.push(child.label.charCodeAt(0));
      }
      const slots = code.length;
      for (let i = 0; i < table.slots * (wide ? 2 : 1); i++) code.push(0);
      for (const { index, node: child } of table.targets) {
        const offset = code.length - at;
        if (!wide && offset > 0xffff) throw new Error("PrefixTree: a narrow child table got a wide offset");
        code[slots + (wide ? 2 * index : index)] = offset & 0xffff;
        if (wide) code[slots + 2 * index + 1] = offset >>> 16;
        this.emit(child, 1, code);
      }
    }
    if (code.length - start !== node.size) throw new Error("PrefixTree: a node's size differs from its plan");
  }
}

/** Whether `key` ends with the suffix stored as (length, characters...) at `at`. */
function endsWith(key: string, code: Uint16Array, at: number): boolean {
  const length = code[at]!;
  const start = key.length - length;
  if (start < 0) return false;
  for (let i = 0; i < length; i++) if (key.charCodeAt(start + i) !== code[at + 1 + i]) return false;
  return true;
}

function pushSuffix(code: number[], suffix: string): void {
  code.push(suffix.length);
  for (let i = 0; i < suffix.length; i++) code.push(suffix.charCodeAt(i));
}

/** Index of `char` among `count` sorted characters stored from `from`, or -1. */
function findChar(code: Uint16Array, from: number, count: number, char: number): number {
  if (count <= FEW_CHILDREN) {
    let i = 0;
    while (i < count && code[from + i]! < char) i++;
    return i < count && code[from + i] === char ? i : -1;
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

/** How a node reaches the nodes below it: which characters its table matches, and where each leads. */
interface Table {
  /** Characters matched: 1 for a sorted table. */
  readonly stride: number;
  /** Per character matched, the range covered; undefined for a sorted table. */
  readonly levels: readonly { first: number; span: number }[] | undefined;
  readonly slots: number;
  /** The nodes reached, by slot index, ascending (depth-first order). */
  readonly targets: readonly { index: number; node: BuildNode }[];
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

  // Set by `plan`:
  inPlace: (Item & { suffix: string; suffixOffset: number })[] = [];
  mapped: [string, Item[]][] = [];
  table: Table | undefined;
  wide = false;
  mask = 0;
  /** Units of the node and of what its table leads to. */
  size = 0;

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
        const leaf = new BuildNode(prefix.slice(at, at + MAX_LABEL));
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

  /**
   * Decides the subtree's encoding bottom-up (which items go in place, tables
   * and offset widths, masks, sizes), adding in-place suffixes to the suffix
   * area at the end of `code`. `matched` characters of the label are the
   * parent table's and not stored (see `PrefixTree.emit`).
   */
  plan(matched: number, wideIds: boolean, code: number[], suffixes: Map<string, number>): void {
    const bySuffix = [...this.itemsBySuffix];
    let inPlace = bySuffix.length <= FEW_SUFFIXES ? bySuffix : bySuffix.filter(([suffix]) => suffix === "");
    this.mapped = bySuffix.length <= FEW_SUFFIXES ? [] : bySuffix.filter(([suffix]) => suffix !== "");
    if (inPlace.reduce((n, [, items]) => n + items.length, 0) > MAX_IN_PLACE) {
      // Too many to count in HEAD: the map takes any number of items, the empty suffix included.
      inPlace = [];
      this.mapped = bySuffix;
    }
    let size = NODE_HEADER + this.label.length - matched + (this.mapped.length > 0 ? 2 : 0);
    this.inPlace = [];
    for (const [suffix, items] of inPlace) {
      let suffixOffset = suffixes.get(suffix);
      if (suffixOffset === undefined) {
        suffixOffset = code.length < INLINE_SUFFIX ? code.length : INLINE_SUFFIX;
        if (suffixOffset !== INLINE_SUFFIX) pushSuffix(code, suffix);
        suffixes.set(suffix, suffixOffset);
      }
      for (const item of items) {
        this.inPlace.push({ ...item, suffix, suffixOffset });
        size += (wideIds ? 4 : 3) + (suffixOffset === INLINE_SUFFIX ? 1 + suffix.length : 0);
      }
    }
    this.mask = 0;
    for (const [, items] of bySuffix) for (const item of items) this.mask |= item.mask;

    const table = (this.table = this.chooseTable());
    if (table === undefined) {
      this.size = size;
      return;
    }
    let below = 0;
    for (const { node } of table.targets) {
      node.plan(1, wideIds, code, suffixes);
      this.mask |= node.mask;
      below += node.size;
    }
    const narrow = 1 + (table.levels ? 2 * table.stride : table.slots) + table.slots;
    // The last target is the farthest from the table: offsets fit one unit when it is near enough.
    this.wide = narrow + below - table.targets[table.targets.length - 1]!.node.size > 0xffff;
    this.size = size + narrow + (this.wide ? table.slots : 0) + below;
  }

  /**
   * The table matching the next character, or the next few when the nodes in
   * between only branch (one character, no items): a direct table over
   * several characters replaces a step per character, as long as it stays
   * small and at least half full.
   */
  private chooseTable(): Table | undefined {
    if (this.children.size === 0) return undefined;
    let level = [...this.children.values()].map((node) => ({ path: [node.label.charCodeAt(0)], node })).sort((a, b) => a.path[0]! - b.path[0]!);
    const first = level[0]!.path[0]!;
    const span = level[level.length - 1]!.path[0]! - first + 1;
    // A direct table costs a unit per character in the span, a sorted one two per child; past a few children a
    // direct table is worth a little more room than a binary search, whose every step is a branch mispredicted half
    // the time (letters and digits together, a span of 75 for 36 children, qualify).
    let table: Table =
      level.length > FEW_CHILDREN && span <= 3 * level.length
        ? denseTable(level)
        : { stride: 1, levels: undefined, slots: level.length, targets: level.map(({ node }, index) => ({ index, node })) };
    while (level[0]!.path.length < MAX_STRIDE && level.every(({ node }) => node.onlyBranches())) {
      level = level.flatMap(({ path, node }) =>
        [...node.children.values()].map((child) => ({ path: [...path, child.label.charCodeAt(0)], node: child })),
      );
      const deeper = denseTable(level);
      if (deeper.slots > MAX_TABLE_SLOTS || deeper.slots > 2 * level.length) break;
      table = deeper;
    }
    return table;
  }

  /** Whether the node is a branch point and nothing else, so that a table can match past it. */
  private onlyBranches(): boolean {
    return this.label.length === 1 && this.itemsBySuffix.size === 0 && this.children.size > 0;
  }
}

/** A direct table over the paths' characters. */
function denseTable(level: readonly { path: readonly number[]; node: BuildNode }[]): Table {
  const stride = level[0]!.path.length;
  const levels = Array.from({ length: stride }, (_, s) => {
    let low = Infinity;
    let high = -Infinity;
    for (const { path } of level) {
      low = Math.min(low, path[s]!);
      high = Math.max(high, path[s]!);
    }
    return { first: low, span: high - low + 1 };
  });
  const targets = level.map(({ path, node }) => ({ index: path.reduce((index, char, s) => index * levels[s]!.span + char - levels[s]!.first, 0), node }));
  targets.sort((a, b) => a.index - b.index);
  return { stride, levels, slots: levels.reduce((slots, { span }) => slots * span, 1), targets };
}

/** Length of the common run of `label` and `text` from `from`. */
function commonLength(label: string, text: string, from: number): number {
  const max = Math.min(label.length, text.length - from);
  let n = 0;
  while (n < max && label.charCodeAt(n) === text.charCodeAt(from + n)) n++;
  return n;
}
