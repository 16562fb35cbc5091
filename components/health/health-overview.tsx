"use client";

import Link from "next/link";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";
import { EmptyState, QueryView } from "@/components/ui/states.tsx";
import type { StatsTick, TargetTick } from "@/server/live/console-protocol.ts";
import { HealthSummary } from "./health-summary.tsx";
import { LiveIndicator } from "./live-indicator.tsx";
import { TargetHealthCard } from "./target-health-card.tsx";
import type { HealthTarget } from "./types.ts";
import { useNow } from "./use-now.ts";
import { useStatsTicks } from "./use-stats-ticks.ts";

/** How often at most the target list is re-read when ticks show targets the list does not (created, enabled, deleted elsewhere). */
const RESYNC_MS = 10_000;

function sameTargets(targets: readonly HealthTarget[], tick: StatsTick): boolean {
  const enabled = new Set(targets.filter((t) => t.enabled).map((t) => t.arn));
  return enabled.size === tick.targets.length && tick.targets.every((t) => enabled.has(t.arn));
}

/** /health: one live card per target. */
export function HealthOverview() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.targets.list.queryOptions());
  const [live, setLive] = useState<Map<string, TargetTick>>(() => new Map());
  const lastResync = useRef(0);
  const now = useNow();

  const status = useStatsTicks((tick) => {
    setLive(new Map(tick.targets.map((t) => [t.arn, t])));
    if (!list.data || list.isFetching || sameTargets(list.data, tick) || Date.now() - lastResync.current < RESYNC_MS) return;
    lastResync.current = Date.now();
    void queryClient.invalidateQueries({ queryKey: trpc.targets.list.queryKey() });
  });

  return (
    <>
      <PageHeader title="Target health" description="Delivery health of every target, updated every second." actions={<LiveIndicator status={status} />} />
      <QueryView query={list} what="targets">
        {(targets) => {
          if (targets.length === 0) {
            return (
              <div className="card">
                <EmptyState title="No targets yet">
                  <p>
                    Health appears here once Herald has somewhere to deliver events. <Link href="/targets">Add a target</Link>
                  </p>
                </EmptyState>
              </div>
            );
          }
          // The tick carries every enabled target's stats; the list's own stats only cover the moment it loaded.
          const merged = targets.map((t) => ({ ...t, stats: t.enabled ? (live.get(t.arn)?.stats ?? t.stats) : null }));
          return (
            <div className="stack">
              <HealthSummary targets={merged} />
              <div className="grid cols-3">
                {merged.map((target) => (
                  <TargetHealthCard key={target.arn} target={target} now={now} />
                ))}
              </div>
            </div>
          );
        }}
      </QueryView>
    </>
  );
}
