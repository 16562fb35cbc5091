import type { HeraldEvent } from "@/server/events/s3-record.ts";
import type { GapMessage } from "@/server/live/live-protocol.ts";
import type { LiveFilter } from "@/server/live/live-filter.ts";

/** A row of the live table: an event, or a marker where the stream skipped events. `uid` is unique per page session. */
export type LiveRow =
  | { uid: number; kind: "event"; event: HeraldEvent }
  | { uid: number; kind: "gap"; fromSeq: number; toSeq: number; reason: GapMessage["reason"] };

const GAP_REASONS: Record<GapMessage["reason"], string> = {
  "slow-consumer": "slow consumer",
  "history-evicted": "history evicted",
};

export function gapText(row: Extract<LiveRow, { kind: "gap" }>): string {
  const range = row.fromSeq === row.toSeq ? `event ${row.fromSeq}` : `events ${row.fromSeq}–${row.toSeq}`;
  return `Gap: ${range} skipped (${GAP_REASONS[row.reason]})`;
}

/** The filter in words, for the empty state and the status line. */
export function describeLiveFilter(filter: LiveFilter): string {
  const parts: string[] = [];
  if (filter.bucket !== undefined) parts.push(`bucket “${filter.bucket}”`);
  if (filter.eventPattern !== undefined) parts.push(`event ${filter.eventPattern}`);
  if (filter.keyPrefix !== undefined) parts.push(`keys starting with “${filter.keyPrefix}”`);
  if (filter.outcome === "matched") parts.push("matched a rule");
  if (filter.outcome === "unmatched") parts.push("matched no rule");
  return parts.length === 0 ? "every event (no filter)" : parts.join(", ");
}
