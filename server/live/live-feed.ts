import type { HeraldEvent } from "../events/s3-record.ts";
import { LiveHistory, type LiveBatch, type LiveHistoryOptions } from "./live-history.ts";

export type { LiveBatch } from "./live-history.ts";

/**
 * Accepted events as the live stream sees them. Contract: an event is in
 * `since` results no later than it is passed to listeners, so a reader that
 * switches from history to live in one synchronous step misses nothing.
 */
export interface LiveFeed {
  /** Calls `listener` for every accepted event, in seq order; returns the unsubscribe function. */
  subscribe(listener: (event: HeraldEvent) => void): () => void;
  since(seq: number, limit: number): LiveBatch;
  /** The newest seq accepted; optional for feeds that cannot tell. */
  latestSeq?(): number;
}

/**
 * The in-process LiveFeed: the pipeline publishes each accepted event, which
 * is recorded in a LiveHistory and then fanned out to the listeners.
 */
export class LocalLiveFeed implements LiveFeed {
  readonly history: LiveHistory;
  readonly #listeners = new Set<(event: HeraldEvent) => void>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(options: LiveHistoryOptions & { capacity?: number; onListenerError?: (error: unknown) => void } = {}) {
    this.history = new LiveHistory(options.capacity, options);
    this.#onListenerError = options.onListenerError ?? (() => {});
  }

  /** Records and fans out; a listener that throws never reaches the publisher or the other listeners. */
  publish(event: HeraldEvent): void {
    if (!this.history.record(event)) return;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  subscribe(listener: (event: HeraldEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  since(seq: number, limit: number): LiveBatch {
    return this.history.since(seq, limit);
  }

  latestSeq(): number {
    return this.history.latestSeq;
  }
}
