import type { TargetStatsSnapshot } from "../pipeline/target-stats.ts";
import type { ReplayJob } from "../engine/replay-jobs.ts";
import type { QueryColumn } from "../query/column-types.ts";
import type { QueryErrorInfo } from "../query/query-error.ts";
import type { RunQueryInput } from "../query/query-input.ts";
import type { QueryProgress, QueryStats, QuerySummary } from "../query/query-service.ts";
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

/** The answer to query:run: the id every later query:* message carries, or why it did not start. */
export type QueryRunAck = { ok: true; id: string } | { ok: false; error: QueryErrorInfo };
/** The answer to query:cancel, once the query has stopped (or was not running). */
export type QueryCancelAck = { ok: true; status: QuerySummary["status"] } | { ok: false; error: QueryErrorInfo };

/** The query console's messages, each tagged with the query's id. */
export interface QueryServerToClientEvents {
  "query:columns": (message: { id: string; columns: QueryColumn[] }) => void;
  "query:rows": (message: { id: string; rows: Record<string, unknown>[] }) => void;
  "query:progress": (message: { id: string } & QueryProgress) => void;
  "query:stats": (message: { id: string } & QueryStats) => void;
  "query:end": (message: QuerySummary) => void;
  "query:error": (message: { id: string; error: QueryErrorInfo }) => void;
}

export interface QueryClientToServerEvents {
  "query:run": (payload: RunQueryInput, ack: (reply: QueryRunAck) => void) => void;
  "query:cancel": (payload: { id: string }, ack?: (reply: QueryCancelAck) => void) => void;
}

/**
 * The console namespace speaks the live stream's protocol (subscribe,
 * events, gap...) plus the target stats ticks and replay progress.
 */
export interface ConsoleServerToClientEvents extends ServerToClientEvents, QueryServerToClientEvents {
  stats: (tick: StatsTick) => void;
  replay: (job: ReplayJob) => void;
}

export interface ConsoleClientToServerEvents extends ClientToServerEvents, QueryClientToServerEvents {
  /** Start (true) or stop (false) receiving `stats` ticks. */
  watchStats: (on: boolean) => void;
}

export const CONSOLE_NAMESPACE = "/console";
export const STATS_INTERVAL_MS = 1000;
