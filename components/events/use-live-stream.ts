"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { Socket } from "socket.io-client";
import { consoleSocket } from "@/components/providers/console-socket.ts";
import type { LiveFilter } from "@/server/live/live-filter.ts";
import type { ErrorMessage, EventsMessage, GapMessage, LiveError, SubscribeRequest } from "@/server/live/live-protocol.ts";
import { RingBuffer } from "./ring-buffer.ts";
import type { LiveRow } from "./live-rows.ts";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "disconnected";
export interface ConnectionState {
  status: ConnectionStatus;
  message?: string;
}

/** Rows the table keeps; older ones are overwritten. */
export const LIVE_CAPACITY = 5000;
/** Seconds the rate is averaged over. */
const RATE_WINDOW_S = 5;

export interface LiveStream {
  /** Newest first; frozen while paused. */
  rows: LiveRow[];
  /** Events received in this page session (all filters, paused or not). */
  received: number;
  gaps: number;
  /** Events per second over the last few seconds. */
  rate: number;
  paused: boolean;
  newWhilePaused: number;
  pause(): void;
  resume(): void;
  clear(): void;
  connection: ConnectionState;
  reconnect(): void;
  /** Why the server refused the subscription (a bad filter names its field). */
  subscribeError: LiveError | null;
  /** The server acknowledged the subscription with the current filter: events from now on arrive. */
  subscribed: boolean;
  /** A subscription was acknowledged at least once in this page session. */
  started: boolean;
}

/**
 * Subscribes to the live stream with `filter` and keeps what arrives in a
 * ring buffer. Socket messages only touch refs; React hears about them at
 * most once per animation frame, so thousands of events a second cost one
 * render per frame, not one per event.
 */
export function useLiveStream(filter: LiveFilter): LiveStream {
  const [buffer] = useState(() => new RingBuffer<LiveRow>(LIVE_CAPACITY));
  const receivedRef = useRef(0);
  const gapsRef = useRef(0);
  const uidRef = useRef(0);
  const pausedRef = useRef(false);
  const frameRef = useRef(0);

  const [rows, setRows] = useState<LiveRow[]>([]);
  const [received, setReceived] = useState(0);
  const [gaps, setGaps] = useState(0);
  const [rate, setRate] = useState(0);
  const [pausedAt, setPausedAt] = useState<number | null>(null);
  const [connection, setConnection] = useState<ConnectionState>({ status: "connecting" });
  const [subscribeError, setSubscribeError] = useState<LiveError | null>(null);
  const [subscribed, setSubscribed] = useState(false);
  const [started, setStarted] = useState(false);

  const scheduleFrame = useCallback(() => {
    if (frameRef.current !== 0) return;
    frameRef.current = requestAnimationFrame(() => {
      frameRef.current = 0;
      setReceived(receivedRef.current);
      setGaps(gapsRef.current);
      // While paused the rows on screen stay put; the ring keeps filling behind them.
      if (!pausedRef.current) setRows(buffer.toArrayNewestFirst());
    });
  }, [buffer]);

  useEffect(
    () => () => {
      cancelAnimationFrame(frameRef.current);
      frameRef.current = 0;
    },
    [],
  );

  useEffect(() => {
    const samples: { at: number; total: number }[] = [{ at: performance.now(), total: receivedRef.current }];
    const timer = window.setInterval(() => {
      samples.push({ at: performance.now(), total: receivedRef.current });
      if (samples.length > RATE_WINDOW_S + 1) samples.shift();
      const first = samples[0];
      const last = samples[samples.length - 1];
      if (first && last && last.at > first.at) setRate(((last.total - first.total) * 1000) / (last.at - first.at));
    }, 1000);
    return () => window.clearInterval(timer);
  }, []);

  useEffect(() => {
    const socket = consoleSocket();
    let disposed = false;
    /** Bumped per subscribe request, so only the latest ack counts. */
    let request = 0;
    /**
     * Messages before the ack of our latest subscribe belong to an earlier
     * subscription (the server acks before sending anything for a new one).
     */
    let acked = false;
    /** The resume point: every event up to it was shown, filtered out or reported as a gap. */
    let lastSeq: number | undefined;
    let newestSeq = 0;
    buffer.clear();
    scheduleFrame();

    const subscribe = () => {
      // socket.io would buffer an emit made while offline and replay it on
      // reconnect, on top of the subscribe the connect handler sends.
      if (!socket.connected) return;
      const id = ++request;
      acked = false;
      setSubscribed(false);
      const body: SubscribeRequest = lastSeq === undefined ? { filter } : { filter, fromSeq: lastSeq };
      socket.emit("subscribe", body, (ack) => {
        if (disposed || id !== request) return;
        // "Connected" waits for the ack: only then do events actually flow.
        setConnection({ status: "connected" });
        if (!ack.ok) {
          setSubscribeError(ack.error);
          return;
        }
        acked = true;
        lastSeq ??= ack.latestSeq;
        setSubscribeError(null);
        setSubscribed(true);
        setStarted(true);
      });
    };

    const onEvents = (message: EventsMessage) => {
      if (!acked) return;
      let added = 0;
      for (const event of message.events) {
        // Belt and braces: a catch-up never repeats an event, but a duplicate row would be worse than a skipped check.
        if (event.seq <= newestSeq) continue;
        newestSeq = event.seq;
        buffer.push({ uid: ++uidRef.current, kind: "event", event });
        added += 1;
      }
      lastSeq = Math.max(lastSeq ?? 0, message.lastSeq);
      if (added === 0) return;
      receivedRef.current += added;
      scheduleFrame();
    };

    const onGap = (gap: GapMessage) => {
      if (!acked) return;
      buffer.push({ uid: ++uidRef.current, kind: "gap", fromSeq: gap.fromSeq, toSeq: gap.toSeq, reason: gap.reason });
      gapsRef.current += 1;
      lastSeq = Math.max(lastSeq ?? 0, gap.toSeq);
      scheduleFrame();
    };

    const onServerError = (error: ErrorMessage) => setSubscribeError(error);

    const onConnect = () => {
      // After a reconnect this resumes from lastSeq: the server replays what we missed or reports a gap.
      subscribe();
    };

    const onDisconnect = (reason: Socket.DisconnectReason) => {
      acked = false;
      setSubscribed(false);
      // Only these two end the connection for good; socket.io retries every other cause by itself.
      if (reason === "io server disconnect") setConnection({ status: "disconnected", message: "the server closed the connection" });
      else if (reason === "io client disconnect") setConnection({ status: "disconnected" });
      else setConnection({ status: "reconnecting" });
    };

    const onConnectError = (error: Error) => {
      // An inactive socket was refused by the server (e.g. the session ended) and will not retry.
      setConnection({ status: socket.active ? "reconnecting" : "disconnected", message: error.message });
    };

    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.on("connect_error", onConnectError);
    socket.on("events", onEvents);
    socket.on("gap", onGap);
    socket.on("error", onServerError);
    if (socket.connected) onConnect();
    else setConnection({ status: socket.active ? "connecting" : "disconnected" });

    return () => {
      disposed = true;
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("connect_error", onConnectError);
      socket.off("events", onEvents);
      socket.off("gap", onGap);
      socket.off("error", onServerError);
      // The socket is shared with other pages, so it stays open; only our subscription ends.
      if (socket.connected) socket.emit("unsubscribe", () => undefined);
    };
  }, [filter, buffer, scheduleFrame]);

  const pause = useCallback(() => {
    pausedRef.current = true;
    setPausedAt(receivedRef.current);
  }, []);

  const resume = useCallback(() => {
    pausedRef.current = false;
    setPausedAt(null);
    setRows(buffer.toArrayNewestFirst());
    setReceived(receivedRef.current);
  }, [buffer]);

  const clear = useCallback(() => {
    buffer.clear();
    setRows([]);
  }, [buffer]);

  const reconnect = useCallback(() => {
    const socket = consoleSocket();
    setConnection({ status: "connecting" });
    socket.connect();
  }, []);

  return {
    rows,
    received,
    gaps,
    rate,
    paused: pausedAt !== null,
    newWhilePaused: pausedAt === null ? 0 : received - pausedAt,
    pause,
    resume,
    clear,
    connection,
    reconnect,
    subscribeError,
    subscribed,
    started,
  };
}
