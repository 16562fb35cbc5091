"use client";

import { useEffect, useEffectEvent, useState } from "react";
import { consoleSocket } from "@/components/providers/console-socket.ts";
import type { StatsTick } from "@/server/live/console-protocol.ts";

export type LiveStatus = "connecting" | "live" | "offline";

/**
 * Components on the page that want stats ticks. The server's stats room is
 * left only when the last one unmounts, so one panel going away does not
 * silence another.
 */
let watchers = 0;

/**
 * Calls `onTick` with every `stats` tick (one a second) while mounted. The
 * server forgets the subscription when the socket drops, so it is renewed on
 * every (re)connect.
 */
export function useStatsTicks(onTick: (tick: StatsTick) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const handleTick = useEffectEvent(onTick);

  useEffect(() => {
    const socket = consoleSocket();
    const tick = (t: StatsTick) => handleTick(t);
    const connected = () => {
      setStatus("live");
      socket.emit("watchStats", true);
    };
    const lost = () => setStatus("offline");
    socket.on("stats", tick);
    socket.on("connect", connected);
    socket.on("disconnect", lost);
    socket.on("connect_error", lost);
    watchers += 1;
    if (socket.connected) connected();
    return () => {
      socket.off("stats", tick);
      socket.off("connect", connected);
      socket.off("disconnect", lost);
      socket.off("connect_error", lost);
      watchers -= 1;
      if (watchers === 0 && socket.connected) socket.emit("watchStats", false);
    };
  }, []);

  return status;
}
