import type { Namespace, Server } from "socket.io";
import type { ConsoleAuth } from "../auth/console-auth.ts";
import { isSameOrigin } from "../auth/console-auth.ts";
import { SESSION_COOKIE, parseCookies } from "../auth/cookies.ts";
import type { HeraldEngine } from "../engine/herald-engine.ts";
import type { Logger } from "../logging/logger.ts";
import type { QueryService } from "../query/query-service.ts";
import {
  CONSOLE_NAMESPACE,
  STATS_INTERVAL_MS,
  type ConsoleClientToServerEvents,
  type ConsoleServerToClientEvents,
  type StatsTick,
} from "./console-protocol.ts";
import { attachLiveStream, type LiveNamespace, type LiveStreamHandle } from "./live-stream.ts";
import { attachQuerySocket } from "./query-socket.ts";

const STATS_ROOM = "stats";

export interface ConsoleNamespaceDeps {
  engine: HeraldEngine;
  auth: ConsoleAuth;
  query: QueryService;
  bufferLimit: number;
  logger: Logger;
}

/**
 * The console's Socket.IO namespace: only a signed-in browser on the
 * console's own origin may connect (the one Socket.IO middleware that
 * enforces it); it then gets the live event stream, target stats ticks,
 * replay progress and the query console's streamed results.
 */
export function attachConsoleNamespace(io: Server, deps: ConsoleNamespaceDeps): { close(): void; live: LiveStreamHandle } {
  const ns: Namespace<ConsoleClientToServerEvents, ConsoleServerToClientEvents> = io.of(CONSOLE_NAMESPACE);
  ns.use((socket, next) => {
    const { headers } = socket.handshake;
    if (!isSameOrigin(headers.origin, headers.host)) return next(new Error("Forbidden: the console socket only accepts its own origin"));
    deps.auth.authenticate(parseCookies(headers.cookie).get(SESSION_COOKIE)).then(
      (session) => {
        if (!session) return next(new Error("Unauthorized: sign in to use the console"));
        // Whose queries this socket runs (history and saved queries are per user).
        (socket.data as { user?: string }).user = session.user;
        next();
      },
      (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
    );
  });
  ns.on("connection", (socket) => {
    attachQuerySocket(socket, (socket.data as { user: string }).user, { query: deps.query, logger: deps.logger });
    socket.on("watchStats", (on) => {
      if (on === true) void socket.join(STATS_ROOM);
      else void socket.leave(STATS_ROOM);
    });
  });

  const live = attachLiveStream(ns as unknown as LiveNamespace, { feed: deps.engine, bufferLimit: deps.bufferLimit, logger: deps.logger });
  const unsubscribeReplays = deps.engine.onReplayProgress((job) => ns.emit("replay", job));
  const ticker = setInterval(() => {
    if ((ns.adapter.rooms.get(STATS_ROOM)?.size ?? 0) === 0) return;
    deps.engine.statsTick().then(
      (tick: StatsTick) => ns.to(STATS_ROOM).emit("stats", tick),
      (error: unknown) => deps.logger.warn({ err: error }, "stats tick failed"),
    );
  }, STATS_INTERVAL_MS).unref();

  return {
    live,
    close() {
      clearInterval(ticker);
      unsubscribeReplays();
      live.close();
    },
  };
}
