/** A binary min-heap ordered by a numeric key; used for retry due times. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly keyOf: (item: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    const key = this.keyOf(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (this.keyOf(p) <= key) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    const key = this.keyOf(last);
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.keyOf(items[right] as T) < this.keyOf(items[left] as T) ? right : left;
      const c = items[child] as T;
      if (this.keyOf(c) >= key) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }

  clear(): T[] {
    return this.items.splice(0, this.items.length);
  }
}
