import type { Namespace, Socket } from "socket.io";
import { AppError, isAppError } from "../errors/app-error.ts";
import { toInputError } from "../events/emit-input.ts";
import type { HeraldEvent } from "../events/s3-record.ts";
import type { Logger } from "../logging/logger.ts";
import type { LiveFeed } from "./live-feed.ts";
import { compileLiveFilter } from "./live-filter.ts";
import {
  subscribeRequestSchema,
  type ClientToServerEvents,
  type GapMessage,
  type LiveError,
  type ServerToClientEvents,
} from "./live-protocol.ts";

export type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;
type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface LiveStreamDeps {
  feed: LiveFeed;
  /** Most events held for one client between flushes; beyond it they are dropped and a gap is reported. */
  bufferLimit: number;
  /** How often buffered events are sent, in one `events` message per client (default 50). */
  flushIntervalMs?: number;
  logger: Logger;
  /**
   * Engine.IO packets queued for a client but not yet handed to its transport
   * beyond which the client counts as not draining (default 8): nothing more is
   * sent to it until it drains, so its buffer, not the process memory, absorbs it.
   */
  maxUnsentPackets?: number;
  /** Events read from history per catch-up step (default min(bufferLimit, 500)). */
  catchUpChunk?: number;
}

export interface LiveStreamStats {
  /** Connected sockets. */
  clients: number;
  /** Sockets with a subscription (catching up or live). */
  subscribed: number;
  /** Events dropped for slow consumers. */
  droppedEvents: number;
  /** Gap episodes (each reported to its client as one `gap` message). */
  gaps: number;
}

export interface LiveStreamHandle {
  stats(): LiveStreamStats;
  /** Stops feeding clients; the sockets themselves belong to the server. */
  close(): void;
}

interface Client {
  socket: LiveSocket;
  mode: "idle" | "catching-up" | "live";
  matches: (event: HeraldEvent) => boolean;
  /** Every event with seq ≤ cursor has been sent, filtered out or dropped: the de-duplication line. */
  cursor: number;
  pending: HeraldEvent[];
  /** Dropped events not yet reported. */
  gap: { fromSeq: number; toSeq: number } | undefined;
  paused: boolean;
  /** Bumped on every (re/un)subscribe so a catch-up still running for an old subscription stops. */
  generation: number;
}

const DEFAULT_FLUSH_INTERVAL_MS = 50;
const DEFAULT_MAX_UNSENT_PACKETS = 8;
const KNOWN_EVENTS = new Set(["subscribe", "unsubscribe", "pause", "resume"]);

/**
 * Serves the live event stream on an already-authorized namespace.
 *
 * One feed subscription serves every client: the feed's listener only filters
 * and appends to per-client buffers, and a single timer sends each client its
 * buffer as one message. The pipeline therefore never waits for a socket, and a
 * slow client only ever loses its own buffer, which it is told about by a `gap`.
 */
export function attachLiveStream(namespace: LiveNamespace, deps: LiveStreamDeps): LiveStreamHandle {
  const { feed, logger } = deps;
  const bufferLimit = deps.bufferLimit;
  const flushIntervalMs = deps.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
  const maxUnsentPackets = deps.maxUnsentPackets ?? DEFAULT_MAX_UNSENT_PACKETS;
  const catchUpChunk = Math.max(1, deps.catchUpChunk ?? Math.min(bufferLimit, 500));

  const clients = new Map<string, Client>();
  const live = new Set<Client>();
  /** Clients with something to send. */
  const dirty = new Set<Client>();
  const totals = { droppedEvents: 0, gaps: 0 };
  let observedSeq = 0;
  let closed = false;

  const latestSeq = (): number => feed.latestSeq?.() ?? observedSeq;

  const onEvent = (event: HeraldEvent): void => {
    if (event.seq > observedSeq) observedSeq = event.seq;
    for (const client of live) {
      if (event.seq <= client.cursor) continue;
      client.cursor = event.seq;
      if (!client.matches(event)) continue;
      client.pending.push(event);
      if (client.pending.length > bufferLimit) dropPending(client);
      dirty.add(client);
    }
  };

  const dropPending = (client: Client): void => {
    const first = client.pending[0];
    const last = client.pending[client.pending.length - 1];
    if (!first || !last) return;
    if (client.gap) {
      client.gap.toSeq = last.seq;
    } else {
      client.gap = { fromSeq: first.seq, toSeq: last.seq };
      totals.gaps += 1;
      logger.warn({ socketId: client.socket.id, bufferLimit }, "live client not keeping up; dropping its buffered events");
    }
    totals.droppedEvents += client.pending.length;
    client.pending = [];
  };

  const unsentPackets = (socket: LiveSocket): number => {
    // engine.io keeps packets its transport could not take yet in a private writeBuffer;
    // it is the only signal that a client's connection is backed up.
    const conn = socket.conn as unknown as { writeBuffer?: unknown[] };
    return conn.writeBuffer?.length ?? 0;
  };

  const draining = (client: Client): boolean => unsentPackets(client.socket) < maxUnsentPackets;

  const flush = (): void => {
    for (const client of dirty) {
      if (client.paused || !client.socket.connected) continue;
      if (!draining(client)) continue;
      if (client.gap) {
        sendGap(client, { ...client.gap, reason: "slow-consumer" });
        client.gap = undefined;
      }
      if (client.pending.length > 0) {
        const events = client.pending;
        client.pending = [];
        client.socket.emit("events", { events, lastSeq: client.cursor });
      }
      dirty.delete(client);
    }
  };

  const sendGap = (client: Client, gap: GapMessage): void => {
    client.socket.emit("gap", gap);
  };

  /**
   * Reads history in chunks, yielding between them, until it reaches the newest
   * event; then the client goes live in the same synchronous step, so no event
   * falls between history and live (the LiveFeed contract).
   */
  const catchUp = (client: Client, generation: number): void => {
    if (closed || client.generation !== generation || !client.socket.connected) return;
    if (client.paused || !draining(client)) {
      setTimeout(() => catchUp(client, generation), flushIntervalMs).unref();
      return;
    }
    const batch = feed.since(client.cursor, catchUpChunk);
    if (batch.gap) {
      const firstHeld = batch.events[0];
      const toSeq = firstHeld ? firstHeld.seq - 1 : batch.nextSeq;
      if (toSeq > client.cursor) sendGap(client, { fromSeq: client.cursor + 1, toSeq, reason: "history-evicted" });
    }
    const events = batch.events.filter((event) => event.seq > client.cursor && client.matches(event));
    client.cursor = Math.max(client.cursor, batch.nextSeq);
    if (events.length > 0) client.socket.emit("events", { events, lastSeq: client.cursor });
    if (batch.truncated) {
      setImmediate(() => catchUp(client, generation));
      return;
    }
    client.mode = "live";
    live.add(client);
  };

  const reset = (client: Client): void => {
    client.generation += 1;
    client.mode = "idle";
    client.pending = [];
    client.gap = undefined;
    live.delete(client);
    dirty.delete(client);
  };

  const handlers: Record<string, (client: Client, payload: unknown) => unknown> = {
    subscribe(client, payload) {
      const parsed = subscribeRequestSchema.safeParse(payload);
      if (!parsed.success) throw toInputError(parsed.error);
      const { filter, fromSeq } = parsed.data;
      reset(client);
      client.matches = compileLiveFilter(filter);
      const latest = latestSeq();
      client.cursor = fromSeq ?? latest;
      if (fromSeq === undefined) {
        client.mode = "live";
        live.add(client);
      } else {
        client.mode = "catching-up";
      }
      return { ok: true, latestSeq: latest };
    },
    unsubscribe(client) {
      reset(client);
      return { ok: true };
    },
    pause(client) {
      client.paused = true;
      return { ok: true };
    },
    resume(client) {
      client.paused = false;
      if (client.pending.length > 0 || client.gap) dirty.add(client);
      return { ok: true };
    },
  };

  const onConnection = (socket: LiveSocket): void => {
    if (closed || clients.has(socket.id)) return;
    const client: Client = {
      socket,
      mode: "idle",
      matches: () => false,
      cursor: 0,
      pending: [],
      gap: undefined,
      paused: false,
      generation: 0,
    };
    clients.set(socket.id, client);

    for (const name of KNOWN_EVENTS) {
      // Untyped on purpose: a client may send anything, with or without an ack.
      (socket as unknown as Socket).on(name, (...args: unknown[]) => {
        const ack = typeof args[args.length - 1] === "function" ? (args.pop() as (response: unknown) => void) : undefined;
        handle(client, name, args[0], ack);
      });
    }
    socket.onAny((name: string) => {
      if (KNOWN_EVENTS.has(name)) return;
      // socket.io dispatches named events a tick after onAny; deferring keeps replies in request order.
      process.nextTick(() =>
        reply(client, name, undefined, failure(new AppError("ValidationError", `unknown event ${JSON.stringify(name)}`))),
      );
    });
    socket.on("disconnect", () => {
      reset(client);
      clients.delete(socket.id);
    });
  };

  const handle = (client: Client, name: string, payload: unknown, ack: ((response: unknown) => void) | undefined): void => {
    if (closed) return;
    let response: unknown;
    try {
      response = handlers[name]?.(client, payload);
    } catch (error) {
      if (!isAppError(error)) logger.error({ err: error, event: name, socketId: client.socket.id }, "live request failed");
      reply(client, name, ack, failure(error));
      return;
    }
    reply(client, name, ack, response);
    // Catch-up starts after the ack so the client hears "ok" before the first events.
    if (name === "subscribe" && client.mode === "catching-up") catchUp(client, client.generation);
  };

  const reply = (client: Client, name: string, ack: ((response: unknown) => void) | undefined, response: unknown): void => {
    if (ack) {
      ack(response);
      return;
    }
    const outcome = response as { ok?: boolean; error?: LiveError };
    if (outcome.ok === false && outcome.error) client.socket.emit("error", { ...outcome.error, event: name });
  };

  const unsubscribeFeed = feed.subscribe(onEvent);
  const timer = setInterval(flush, flushIntervalMs);
  timer.unref();
  namespace.on("connection", onConnection);
  for (const socket of namespace.sockets.values()) onConnection(socket);

  return {
    stats: () => ({
      clients: clients.size,
      subscribed: [...clients.values()].filter((client) => client.mode !== "idle").length,
      droppedEvents: totals.droppedEvents,
      gaps: totals.gaps,
    }),
    close() {
      if (closed) return;
      closed = true;
      unsubscribeFeed();
      clearInterval(timer);
      namespace.off("connection", onConnection);
      for (const client of clients.values()) reset(client);
      clients.clear();
    },
  };
}

function failure(error: unknown): { ok: false; error: LiveError } {
  const appError = isAppError(error) ? error : new AppError("InternalError", "internal error");
  return {
    ok: false,
    error: {
      code: appError.code,
      message: appError.message,
      ...(appError.field === undefined ? {} : { field: appError.field }),
    },
  };
}
