import { describe, expect, it } from "vitest";
import { MinHeap } from "./min-heap.ts";

describe("MinHeap", () => {
  it("pops in key order whatever the push order", () => {
    const heap = new MinHeap<number>((n) => n);
    const values = [5, 1, 9, 3, 3, 7, 0, 12, -4, 8];
    for (const v of values) heap.push(v);
    const out: number[] = [];
    while (heap.size > 0) out.push(heap.pop() as number);
    expect(out).toEqual([...values].sort((a, b) => a - b));
  });

  it("peeks without removing and returns undefined when empty", () => {
    const heap = new MinHeap<{ at: number }>((x) => x.at);
    expect(heap.pop()).toBeUndefined();
    heap.push({ at: 2 });
    heap.push({ at: 1 });
    expect(heap.peek()).toEqual({ at: 1 });
    expect(heap.size).toBe(2);
  });
});
