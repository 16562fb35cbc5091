import type { TargetStatsSnapshot } from "../pipeline/target-stats.ts";
import type { ReplayJob } from "../engine/replay-jobs.ts";
import type { ClientToServerEvents, ServerToClientEvents } from "./live-protocol.ts";

/** One target in a stats tick. */
export interface TargetTick {
  arn: string;
  type: string;
  stats: TargetStatsSnapshot;
}

/** Sent every STATS_INTERVAL_MS to console sockets that asked for stats. */
export interface StatsTick {
  at: number;
  targets: TargetTick[];
}

/**
 * The console namespace speaks the live stream's protocol (subscribe,
 * events, gap...) plus the target stats ticks and replay progress.
 */
export interface ConsoleServerToClientEvents extends ServerToClientEvents {
  stats: (tick: StatsTick) => void;
  replay: (job: ReplayJob) => void;
}

export interface ConsoleClientToServerEvents extends ClientToServerEvents {
  /** Start (true) or stop (false) receiving `stats` ticks. */
  watchStats: (on: boolean) => void;
}

export const CONSOLE_NAMESPACE = "/console";
export const STATS_INTERVAL_MS = 1000;
