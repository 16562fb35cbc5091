import { Badge } from "@/components/ui/badge.tsx";
import type { HealthLabel } from "./health-badge.tsx";
import type { HealthTarget } from "./types.ts";

const ORDER: HealthLabel[] = ["failing", "degraded", "healthy", "paused", "unknown", "disabled"];

export function healthOf(target: Pick<HealthTarget, "enabled" | "stats">): HealthLabel {
  if (!target.enabled) return "disabled";
  return target.stats ? target.stats.health : "unknown";
}

/** Counts per health state, worst first, so a glance says whether anything needs attention. */
export function HealthSummary({ targets }: { targets: readonly HealthTarget[] }) {
  const counts = new Map<HealthLabel, number>();
  for (const t of targets) counts.set(healthOf(t), (counts.get(healthOf(t)) ?? 0) + 1);
  return (
    <div className="row" role="group" aria-label="Targets by health">
      {ORDER.filter((state) => counts.has(state)).map((state) => (
        <Badge key={state} tone={state === "disabled" || state === "unknown" ? "paused" : state}>
          {counts.get(state)} {state}
        </Badge>
      ))}
    </div>
  );
}
