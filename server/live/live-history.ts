import type { HeraldEvent } from "../events/s3-record.ts";

/** A page of history: what `LiveHistory.since` and `LiveFeed.since` return. */
export interface LiveBatch {
  /** Events with seq > the requested one, oldest first. */
  events: HeraldEvent[];
  /** Pass as `afterSeq` to continue: the last returned seq, else where reading stands. */
  nextSeq: number;
  /** Events after the requested seq are no longer held; `events` start at the oldest still held. */
  gap: boolean;
  /** More events than `limit` remain after these. */
  truncated: boolean;
}

export interface LiveHistoryOptions {
  /**
   * The last seq the pipeline had already committed when this history was
   * created (events from before a restart). A reader asking for events after an
   * older seq is told there is a gap instead of silently missing them.
   */
  startAfterSeq?: number;
}

/**
 * The most recent events, for catch-up after a (re)connect: a ring buffer of
 * fixed capacity. Each slot keeps its event's seq, because seqs are monotonic
 * but not guaranteed consecutive, so lookups binary-search rather than compute
 * an offset. record is O(1), since is O(log n + returned).
 */
export class LiveHistory {
  readonly capacity: number;
  readonly #events: (HeraldEvent | undefined)[];
  readonly #seqs: Float64Array;
  /** Physical index of the oldest held event. */
  #head = 0;
  #size = 0;
  /** Events with seq ≤ this are not held (evicted, or before startAfterSeq). */
  #lowWater: number;
  readonly #startAfterSeq: number | undefined;

  constructor(capacity = 1024, options: LiveHistoryOptions = {}) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#events = new Array<HeraldEvent | undefined>(capacity);
    this.#seqs = new Float64Array(capacity);
    this.#startAfterSeq = options.startAfterSeq;
    this.#lowWater = options.startAfterSeq ?? Number.NEGATIVE_INFINITY;
  }

  get size(): number {
    return this.#size;
  }

  /** The newest recorded seq; with nothing recorded, startAfterSeq, else 0 (seqs start at 1). */
  get latestSeq(): number {
    if (this.#size === 0) return this.#startAfterSeq ?? 0;
    return this.#seqAt(this.#size - 1);
  }

  /** The oldest seq still held, if any. */
  get oldestSeq(): number | undefined {
    return this.#size === 0 ? undefined : this.#seqAt(0);
  }

  /**
   * Records an event. Returns false, recording nothing, for a seq not newer
   * than the latest: a republished event must not appear twice.
   */
  record(event: HeraldEvent): boolean {
    if (this.#size > 0 ? event.seq <= this.latestSeq : event.seq <= this.#lowWater) return false;
    if (this.#size === this.capacity) {
      this.#lowWater = this.#seqs[this.#head] ?? this.#lowWater;
      this.#events[this.#head] = event;
      this.#seqs[this.#head] = event.seq;
      this.#head = (this.#head + 1) % this.capacity;
      return true;
    }
    const slot = (this.#head + this.#size) % this.capacity;
    this.#events[slot] = event;
    this.#seqs[slot] = event.seq;
    this.#size += 1;
    return true;
  }

  /** Up to `limit` events with seq > afterSeq, oldest first. */
  since(afterSeq: number, limit: number): LiveBatch {
    const first = this.#firstAfter(afterSeq);
    const available = this.#size - first;
    const count = Math.max(0, Math.min(Math.floor(limit), available));
    const events: HeraldEvent[] = new Array<HeraldEvent>(count);
    for (let i = 0; i < count; i++) events[i] = this.#eventAt(first + i);
    const gap = afterSeq < this.#lowWater;
    const last = events[count - 1];
    return {
      events,
      nextSeq: last ? last.seq : gap ? this.#lowWater : afterSeq,
      gap,
      truncated: available > count,
    };
  }

  /** Logical index of the first held event with seq > afterSeq (size when none). */
  #firstAfter(afterSeq: number): number {
    let low = 0;
    let high = this.#size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#seqAt(mid) > afterSeq) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  #seqAt(logical: number): number {
    return this.#seqs[(this.#head + logical) % this.capacity] as number;
  }

  #eventAt(logical: number): HeraldEvent {
    return this.#events[(this.#head + logical) % this.capacity] as HeraldEvent;
  }
}
