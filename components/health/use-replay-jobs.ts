"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { consoleSocket } from "@/components/providers/console-socket.ts";
import { useTRPC } from "@/components/providers/trpc.tsx";
import type { ReplayJobView } from "./types.ts";

/** Of two reports of one job, the later one: finished beats running, then more queued. */
function later(a: ReplayJobView, b: ReplayJobView): ReplayJobView {
  if (a.state !== "running") return a;
  if (b.state !== "running") return b;
  return b.queued >= a.queued ? b : a;
}

/**
 * The target's replays: the list the server remembers, kept current by the
 * socket's `replay` progress events (which also announce jobs started
 * elsewhere). Events missed while disconnected are made up by re-reading the
 * list on reconnect.
 */
export function useReplayJobs(arn: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.targets.replays.queryOptions({ arn }));
  const [live, setLive] = useState<ReadonlyMap<string, ReplayJobView>>(() => new Map());

  const record = useCallback((job: ReplayJobView) => {
    setLive((current) => {
      const known = current.get(job.id);
      const next = new Map(current);
      next.set(job.id, known ? later(known, job) : job);
      return next;
    });
  }, []);

  useEffect(() => {
    const socket = consoleSocket();
    const onReplay = (job: ReplayJobView) => {
      if (job.targetArn === arn) record(job);
    };
    const onConnect = () => void queryClient.invalidateQueries({ queryKey: trpc.targets.replays.queryKey({ arn }) });
    socket.on("replay", onReplay);
    socket.on("connect", onConnect);
    return () => {
      socket.off("replay", onReplay);
      socket.off("connect", onConnect);
    };
  }, [arn, record, queryClient, trpc]);

  const jobs = useMemo(() => {
    const byId = new Map<string, ReplayJobView>();
    for (const job of list.data ?? []) byId.set(job.id, job);
    for (const job of live.values()) {
      const known = byId.get(job.id);
      byId.set(job.id, known ? later(known, job) : job);
    }
    return [...byId.values()].sort((a, b) => b.startedAt - a.startedAt);
  }, [list.data, live]);

  return { list, jobs, record };
}
