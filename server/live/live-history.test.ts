import { describe, expect, it } from "vitest";
import type { HeraldEvent } from "../events/s3-record.ts";
import { LocalLiveFeed } from "./live-feed.ts";
import { LiveHistory } from "./live-history.ts";

function event(seq: number): HeraldEvent {
  return { seq, id: `e${seq}` } as HeraldEvent;
}

function fill(history: LiveHistory, seqs: Iterable<number>): void {
  for (const seq of seqs) history.record(event(seq));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const seqsOf = (events: HeraldEvent[]) => events.map((e) => e.seq);

describe("LiveHistory", () => {
  it("returns events after a seq, up to a limit, and says when more remain", () => {
    const history = new LiveHistory(10);
    fill(history, range(1, 5));
    expect(history.since(2, 10)).toEqual({ events: [event(3), event(4), event(5)], nextSeq: 5, gap: false, truncated: false });
    const page = history.since(0, 2);
    expect(seqsOf(page.events)).toEqual([1, 2]);
    expect(page).toMatchObject({ nextSeq: 2, gap: false, truncated: true });
    expect(history.since(page.nextSeq, 2)).toMatchObject({ nextSeq: 4, truncated: true });
    expect(history.since(5, 10)).toEqual({ events: [], nextSeq: 5, gap: false, truncated: false });
    expect(history.since(99, 10)).toEqual({ events: [], nextSeq: 99, gap: false, truncated: false });
    expect(history.latestSeq).toBe(5);
  });

  it("evicts the oldest once full and reports a gap for readers behind it", () => {
    const history = new LiveHistory(4);
    fill(history, range(1, 10));
    expect(history.size).toBe(4);
    expect(history.oldestSeq).toBe(7);
    const behind = history.since(3, 10);
    expect(seqsOf(behind.events)).toEqual([7, 8, 9, 10]);
    expect(behind).toMatchObject({ gap: true, truncated: false, nextSeq: 10 });
    // Seq 6 was the last evicted: a reader at 6 has missed nothing.
    expect(history.since(6, 10).gap).toBe(false);
    expect(history.since(5, 10).gap).toBe(true);
    expect(history.since(5, 2)).toMatchObject({ gap: true, truncated: true, nextSeq: 8 });
  });

  it("handles seqs with holes and a start at any number", () => {
    const history = new LiveHistory(3);
    fill(history, [1000, 1002, 1007, 1008]);
    expect(seqsOf(history.since(1002, 10).events)).toEqual([1007, 1008]);
    expect(seqsOf(history.since(1003, 10).events)).toEqual([1007, 1008]);
    expect(history.since(1001, 10)).toMatchObject({ gap: false });
    expect(history.since(999, 10)).toMatchObject({ gap: true });
  });

  it("ignores events not newer than the latest, so a republished event is held once", () => {
    const history = new LiveHistory(4);
    expect(history.record(event(5))).toBe(true);
    expect(history.record(event(5))).toBe(false);
    expect(history.record(event(3))).toBe(false);
    expect(seqsOf(history.since(0, 10).events)).toEqual([5]);
  });

  it("reports a gap for readers older than the seq it started after", () => {
    const history = new LiveHistory(4, { startAfterSeq: 500 });
    expect(history.latestSeq).toBe(500);
    expect(history.since(490, 10)).toEqual({ events: [], nextSeq: 500, gap: true, truncated: false });
    expect(history.since(500, 10).gap).toBe(false);
    fill(history, [501, 502]);
    expect(history.since(499, 10)).toMatchObject({ gap: true, nextSeq: 502 });
  });

  it("wraps around many times and stays consistent", () => {
    const history = new LiveHistory(7);
    fill(history, range(1, 1000));
    for (const after of [990, 993, 994, 999]) {
      const batch = history.since(after, 3);
      expect(seqsOf(batch.events)).toEqual(range(Math.max(after, 993) + 1, 1000).slice(0, 3));
      expect(batch.gap).toBe(after < 993);
    }
    expect(history.since(0, 0)).toMatchObject({ events: [], truncated: true, gap: true });
  });

  it("refuses a capacity below one", () => {
    expect(() => new LiveHistory(0)).toThrow(RangeError);
  });
});

describe("LocalLiveFeed", () => {
  it("records before fanning out, and keeps a throwing listener from others", () => {
    const errors: unknown[] = [];
    const feed = new LocalLiveFeed({ capacity: 8, onListenerError: (error) => errors.push(error) });
    const seen: number[] = [];
    const inHistoryWhenHeard: boolean[] = [];
    feed.subscribe(() => {
      throw new Error("bad listener");
    });
    const stop = feed.subscribe((e) => {
      seen.push(e.seq);
      inHistoryWhenHeard.push(feed.since(e.seq - 1, 1).events[0]?.seq === e.seq);
    });
    feed.publish(event(1));
    feed.publish(event(1));
    feed.publish(event(2));
    stop();
    feed.publish(event(3));
    expect(seen).toEqual([1, 2]);
    expect(inHistoryWhenHeard).toEqual([true, true]);
    // The throwing listener stays subscribed: it fails for 1, 2 and 3.
    expect(errors).toHaveLength(3);
    expect(feed.latestSeq()).toBe(3);
  });
});
