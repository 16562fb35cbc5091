import type { HealthState } from "@/server/pipeline/target-stats.ts";

/** "unknown": enabled, but no stats yet (the worker is still starting). */
export type HealthLabel = HealthState | "disabled" | "unknown";

/**
 * The target's health as a badge whose text is the state itself (healthy,
 * degraded, failing, paused, disabled, unknown). Rendered with the badge classes
 * directly rather than <Badge> because the e2e tests find it by test id.
 */
export function HealthBadge({ state }: { state: HealthLabel }) {
  return (
    <span className={`badge ${state === "disabled" || state === "unknown" ? "paused" : state}`} data-testid="health-state" data-state={state} title={`Health: ${state}`}>
      {state}
    </span>
  );
}
