/**
 * A fixed-capacity buffer that overwrites its oldest item: the live table keeps
 * the newest rows at a constant memory cost however fast events arrive.
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
  }

  clear(): void {
    this.items.fill(undefined);
    this.next = 0;
    this.count = 0;
  }

  /** Newest first, as the table shows them; a copy, so React state never aliases the ring. */
  toArrayNewestFirst(): T[] {
    const out = new Array<T>(this.count);
    for (let i = 0; i < this.count; i += 1) {
      out[i] = this.items[(this.next - 1 - i + this.capacity) % this.capacity] as T;
    }
    return out;
  }
}
