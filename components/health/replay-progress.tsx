import { Badge } from "@/components/ui/badge.tsx";
import { formatCount } from "@/components/ui/format.ts";
import type { ReplayJobView } from "./types.ts";

const STATE_TONES: Record<ReplayJobView["state"], string> = { running: "queued", done: "ok", failed: "bad" };

export function ReplayStateBadge({ state }: { state: ReplayJobView["state"] }) {
  return <Badge tone={STATE_TONES[state]}>{state}</Badge>;
}

export function replayPercent(job: ReplayJobView): number {
  if (job.total > 0) return Math.min(100, (job.queued / job.total) * 100);
  return job.state === "running" ? 0 : 100;
}

export function replayProgressText(job: ReplayJobView): string {
  return `${formatCount(job.queued)} of ${formatCount(job.total)} events queued`;
}

/** How far a replay has got: events queued out of those that matched when it started. */
export function ReplayProgress({ job, label }: { job: ReplayJobView; label: string }) {
  const percent = replayPercent(job);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(percent)}
      aria-valuetext={replayProgressText(job)}
    >
      <div style={{ width: `${percent}%` }} />
    </div>
  );
}
