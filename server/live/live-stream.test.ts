import { createServer } from "node:http";
import { Server } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { freePort } from "../../test/support/free-port.ts";
import { toNewEvent } from "../events/build-record.ts";
import type { EventName } from "../events/event-names.ts";
import type { HeraldEvent } from "../events/s3-record.ts";
import { silentLogger } from "../logging/logger.ts";
import { LocalLiveFeed } from "./live-feed.ts";
import type { ClientToServerEvents, ErrorMessage, GapMessage, ServerToClientEvents } from "./live-protocol.ts";
import { attachLiveStream, type LiveNamespace, type LiveStreamDeps, type LiveStreamHandle } from "./live-stream.ts";

type LiveClient = ClientSocket<ServerToClientEvents, ClientToServerEvents>;

interface Harness {
  url: string;
  feed: LocalLiveFeed;
  stream: LiveStreamHandle;
  publish(count: number, shape?: (seq: number) => Partial<Pick<HeraldEvent, "bucket" | "key" | "eventName">>): HeraldEvent[];
}

/** What one client heard, in arrival order. */
interface Heard {
  client: LiveClient;
  seqs: number[];
  gaps: GapMessage[];
  errors: ErrorMessage[];
  /** "e<seq>" and "gap" entries, to check ordering between both kinds of message. */
  timeline: string[];
}

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

let nextSeq = 1;

function heraldEvent(seq: number, bucket: string, key: string, eventName: EventName): HeraldEvent {
  const built = toNewEvent({ eventName, bucket, key, size: 1, eTag: "e" }, { region: "us-east-1", now: 1_700_000_000_000 + seq });
  return { ...built, id: `evt-${seq}`, seq, receivedAt: built.eventTime };
}

async function start(options: Partial<Omit<LiveStreamDeps, "feed" | "logger">> & { history?: number } = {}): Promise<Harness> {
  nextSeq = 1;
  const port = await freePort();
  const httpServer = createServer();
  // Long heartbeats: a deliberately paused test client must not be timed out mid-test.
  const io = new Server(httpServer, { pingInterval: 60_000, pingTimeout: 60_000 });
  const namespace: LiveNamespace = io.of("/live");
  const feed = new LocalLiveFeed({ capacity: options.history ?? 1024 });
  const stream = attachLiveStream(namespace, {
    feed,
    logger: silentLogger(),
    bufferLimit: options.bufferLimit ?? 1000,
    flushIntervalMs: options.flushIntervalMs ?? 20,
    ...(options.maxUnsentPackets === undefined ? {} : { maxUnsentPackets: options.maxUnsentPackets }),
    ...(options.catchUpChunk === undefined ? {} : { catchUpChunk: options.catchUpChunk }),
  });
  await new Promise<void>((resolve) => httpServer.listen(port, "127.0.0.1", resolve));
  cleanups.push(async () => {
    stream.close();
    await io.close();
  });
  return {
    url: `http://127.0.0.1:${port}/live`,
    feed,
    stream,
    publish(count, shape = () => ({})) {
      const published: HeraldEvent[] = [];
      for (let i = 0; i < count; i++) {
        const seq = nextSeq++;
        const s = shape(seq);
        const event = heraldEvent(seq, s.bucket ?? "photos", s.key ?? `k/${seq}`, s.eventName ?? "s3:ObjectCreated:Put");
        feed.publish(event);
        published.push(event);
      }
      return published;
    },
  };
}

async function listen(harness: Harness, transports: ("websocket" | "polling")[] = ["websocket"]): Promise<Heard> {
  const client: LiveClient = connect(harness.url, { transports, forceNew: true, reconnection: false });
  const heard: Heard = { client, seqs: [], gaps: [], errors: [], timeline: [] };
  client.on("events", ({ events, lastSeq }) => {
    for (const event of events) {
      heard.seqs.push(event.seq);
      heard.timeline.push(`e${event.seq}`);
    }
    expect(lastSeq).toBeGreaterThanOrEqual(events[events.length - 1]?.seq ?? 0);
  });
  client.on("gap", (gap) => {
    heard.gaps.push(gap);
    heard.timeline.push("gap");
  });
  client.on("error", (error) => heard.errors.push(error));
  cleanups.push(() => {
    client.disconnect();
  });
  await new Promise<void>((resolve, reject) => {
    client.once("connect", resolve);
    client.once("connect_error", reject);
  });
  return heard;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const eventually = (assertion: () => void) => vi.waitFor(assertion, { timeout: 10_000, interval: 10 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("live stream", () => {
  it("applies bucket, pattern and prefix filters on the server", async () => {
    const harness = await start();
    const byBucket = await listen(harness);
    const byPattern = await listen(harness);
    const byPrefix = await listen(harness);
    const nothing = await listen(harness);
    expect(await byBucket.client.emitWithAck("subscribe", { filter: { bucket: "logs" } })).toEqual({ ok: true, latestSeq: 0 });
    await byPattern.client.emitWithAck("subscribe", { filter: { eventPattern: "s3:ObjectRemoved:*" } });
    await byPrefix.client.emitWithAck("subscribe", { filter: { bucket: "photos", keyPrefix: "2024/" } });
    await nothing.client.emitWithAck("subscribe", { filter: { bucket: "no-such-bucket" } });

    const shapes: Partial<Pick<HeraldEvent, "bucket" | "key" | "eventName">>[] = [
      { bucket: "photos", key: "2024/a.jpg" },
      { bucket: "logs", key: "app.log" },
      { bucket: "photos", key: "2023/b.jpg", eventName: "s3:ObjectRemoved:Delete" },
      { bucket: "photos", key: "2024/c.jpg", eventName: "s3:ObjectRemoved:DeleteMarkerCreated" },
      { bucket: "logs", key: "2024/x", eventName: "s3:ObjectAccessed:Get" },
    ];
    harness.publish(shapes.length, (seq) => shapes[seq - 1] ?? {});

    await eventually(() => {
      expect(byBucket.seqs).toEqual([2, 5]);
      expect(byPattern.seqs).toEqual([3, 4]);
      expect(byPrefix.seqs).toEqual([1, 4]);
    });
    await sleep(100);
    expect(nothing.seqs).toEqual([]);
    expect([byBucket, byPattern, byPrefix, nothing].flatMap((h) => [...h.gaps, ...h.errors])).toEqual([]);
    expect(harness.stream.stats()).toMatchObject({ clients: 4, subscribed: 4, droppedEvents: 0, gaps: 0 });
  });

  it("batches live events into few messages", async () => {
    const harness = await start({ flushIntervalMs: 50 });
    const heard = await listen(harness);
    let messages = 0;
    heard.client.on("events", () => messages++);
    await heard.client.emitWithAck("subscribe", { filter: {} });
    harness.publish(500);
    await eventually(() => expect(heard.seqs).toEqual(range(1, 500)));
    expect(messages).toBeLessThanOrEqual(3);
  });

  it("catches up from a seq in chunks, then goes live, with no duplicates or losses", async () => {
    const harness = await start({ catchUpChunk: 4 });
    harness.publish(30);
    const heard = await listen(harness);
    const ack = await heard.client.emitWithAck("subscribe", { filter: {}, fromSeq: 10 });
    expect(ack).toEqual({ ok: true, latestSeq: 30 });
    // Published while the chunked catch-up is still running and after it ends.
    harness.publish(5);
    await sleep(5);
    harness.publish(5);
    await eventually(() => expect(heard.seqs).toEqual(range(11, 40)));
    harness.publish(2);
    await eventually(() => expect(heard.seqs).toEqual(range(11, 42)));
    expect(heard.gaps).toEqual([]);
  });

  it("applies the filter to catch-up too, and resubscribing replaces the subscription", async () => {
    const harness = await start();
    harness.publish(10, (seq) => ({ bucket: seq % 2 === 0 ? "even" : "odd" }));
    const heard = await listen(harness);
    await heard.client.emitWithAck("subscribe", { filter: { bucket: "even" }, fromSeq: 0 });
    await eventually(() => expect(heard.seqs).toEqual([2, 4, 6, 8, 10]));
    await heard.client.emitWithAck("subscribe", { filter: { bucket: "odd" } });
    harness.publish(4, (seq) => ({ bucket: seq % 2 === 0 ? "even" : "odd" }));
    await eventually(() => expect(heard.seqs).toEqual([2, 4, 6, 8, 10, 11, 13]));
    expect(await heard.client.emitWithAck("unsubscribe")).toEqual({ ok: true });
    harness.publish(4);
    await sleep(100);
    expect(heard.seqs).toEqual([2, 4, 6, 8, 10, 11, 13]);
  });

  it("marks a gap when history no longer holds the requested events", async () => {
    const harness = await start({ history: 16 });
    harness.publish(50);
    const heard = await listen(harness);
    await heard.client.emitWithAck("subscribe", { filter: {}, fromSeq: 5 });
    await eventually(() => expect(heard.seqs).toEqual(range(35, 50)));
    expect(heard.gaps).toEqual([{ fromSeq: 6, toSeq: 34, reason: "history-evicted" }]);
    expect(heard.timeline[0]).toBe("gap");
  });

  it("gives a slow client a gap marker while a fast client receives everything", async () => {
    const harness = await start({ bufferLimit: 300, flushIntervalMs: 20, maxUnsentPackets: 3 });
    const fast = await listen(harness, ["websocket"]);
    const slow = await listen(harness, ["polling"]);
    await fast.client.emitWithAck("subscribe", { filter: {} });
    await slow.client.emitWithAck("subscribe", { filter: {} });

    // Stop the slow client's long-polling: the server can no longer hand it anything.
    const transport = slow.client.io.engine.transport as unknown as {
      readyState: string;
      pause(onPause: () => void): void;
      _poll(): void;
    };
    transport.pause(() => {});

    const total = 1500;
    for (let published = 0; published < total; published += 10) {
      harness.publish(10);
      await sleep(5);
    }
    await eventually(() => expect(fast.seqs).toHaveLength(total));
    expect(fast.seqs).toEqual(range(1, total));
    expect(fast.gaps).toEqual([]);
    expect(harness.stream.stats().gaps).toBeGreaterThanOrEqual(1);
    expect(harness.stream.stats().droppedEvents).toBeGreaterThan(0);

    // Let it poll again: it hears about what it lost, then gets new events.
    transport.readyState = "open";
    transport._poll();
    harness.publish(5);
    await eventually(() => expect(slow.seqs.slice(-5)).toEqual(range(total + 1, total + 5)));
    expect(slow.gaps.length).toBeGreaterThanOrEqual(1);
    for (const gap of slow.gaps) expect(gap.reason).toBe("slow-consumer");
    // Every event is either received exactly once or inside a reported gap, in order.
    const covered = [...slow.seqs, ...slow.gaps.flatMap((gap) => range(gap.fromSeq, gap.toSeq))].sort((a, b) => a - b);
    expect(covered).toEqual(range(1, total + 5));
    expect(slow.seqs).toEqual([...slow.seqs].sort((a, b) => a - b));
    // Each gap comes after every event before it and before every event after it.
    let gapIndex = 0;
    let lastSeen = 0;
    for (const entry of slow.timeline) {
      if (entry === "gap") {
        const gap = slow.gaps[gapIndex++] as GapMessage;
        expect(gap.fromSeq).toBeGreaterThan(lastSeen);
        lastSeen = gap.toSeq;
      } else {
        expect(Number(entry.slice(1))).toBeGreaterThan(lastSeen);
        lastSeen = Number(entry.slice(1));
      }
    }
  });

  it("answers invalid requests with an error and keeps serving", async () => {
    const harness = await start();
    const heard = await listen(harness);
    const client = heard.client as unknown as ClientSocket;

    expect(await client.emitWithAck("subscribe", { filter: { eventPattern: "s3:Nope" } })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "InvalidEventName", field: "filter.eventPattern" }),
    });
    expect(await client.emitWithAck("subscribe", { filter: {}, fromSeq: 1.5 })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "ValidationError", field: "fromSeq" }),
    });
    expect(await client.emitWithAck("subscribe")).toMatchObject({ ok: false, error: { code: "ValidationError" } });
    client.emit("subscribe", "not an object");
    client.emit("no-such-event", 1);
    await eventually(() => expect(heard.errors).toHaveLength(2));
    expect(heard.errors[0]).toMatchObject({ event: "subscribe", code: "ValidationError" });
    expect(heard.errors[1]).toMatchObject({ event: "no-such-event", code: "ValidationError" });

    expect(await heard.client.emitWithAck("subscribe", { filter: { bucket: "photos" } })).toMatchObject({ ok: true });
    harness.publish(3);
    await eventually(() => expect(heard.seqs).toEqual([1, 2, 3]));
  });

  it("holds events while paused and delivers them on resume", async () => {
    const harness = await start();
    const heard = await listen(harness);
    await heard.client.emitWithAck("subscribe", { filter: {} });
    await heard.client.emitWithAck("pause");
    harness.publish(5);
    await sleep(80);
    expect(heard.seqs).toEqual([]);
    await heard.client.emitWithAck("resume");
    await eventually(() => expect(heard.seqs).toEqual(range(1, 5)));
  });
});
