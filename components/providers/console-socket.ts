"use client";

import { io, type Socket } from "socket.io-client";
import type { ConsoleClientToServerEvents, ConsoleServerToClientEvents } from "@/server/live/console-protocol.ts";

export type ConsoleSocket = Socket<ConsoleServerToClientEvents, ConsoleClientToServerEvents>;

let socket: ConsoleSocket | undefined;

/**
 * The page's one connection to the /console namespace (the session cookie
 * authenticates it). Shared by every component: live events, stats ticks and
 * replay progress all ride on it.
 */
export function consoleSocket(): ConsoleSocket {
  socket ??= io("/console", { transports: ["websocket"], withCredentials: true });
  return socket;
}
