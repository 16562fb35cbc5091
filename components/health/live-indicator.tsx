import type { LiveStatus } from "./use-stats-ticks.ts";

const LABELS: Record<LiveStatus, { tone: string; text: string; title: string }> = {
  live: { tone: "ok", text: "Live", title: "Stats update every second" },
  connecting: { tone: "warn", text: "Connecting…", title: "Connecting to the live stats stream" },
  offline: { tone: "bad", text: "Offline, reconnecting…", title: "The live connection dropped; figures may be stale until it is back" },
};

/** Whether the figures on screen are live, so nobody trusts a frozen dashboard. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  const { tone, text, title } = LABELS[status];
  return (
    <span role="status" aria-label={`Live updates: ${text}`} title={title} className={`badge ${tone}`}>
      {text}
    </span>
  );
}
