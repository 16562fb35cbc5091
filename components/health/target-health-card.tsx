import Link from "next/link";
import { HealthBadge } from "./health-badge.tsx";
import { healthOf } from "./health-summary.tsx";
import { TargetStatsGrid } from "./target-stats-grid.tsx";
import type { HealthTarget } from "./types.ts";
import styles from "./health.module.css";

export function healthHref(arn: string): string {
  return `/health/${encodeURIComponent(arn)}`;
}

/** One target on the overview: its live figures and a way into its detail page. */
export function TargetHealthCard({ target, now }: { target: HealthTarget; now: number }) {
  const state = healthOf(target);
  return (
    <section className={`card ${styles.card}`} role="region" aria-label={target.name} data-health={state}>
      <div className={styles.cardHeader}>
        <h2 className={styles.cardTitle}>
          <Link href={healthHref(target.arn)}>{target.name}</Link>
        </h2>
        <HealthBadge state={state} />
      </div>
      <div className={`mono small muted ${styles.arn}`}>{target.arn}</div>
      {target.stats ? (
        <TargetStatsGrid stats={target.stats} now={now} />
      ) : target.enabled ? (
        <p className="muted small">Waiting for the first stats…</p>
      ) : (
        <p className="muted small">Disabled: this target delivers nothing and has no live stats.</p>
      )}
    </section>
  );
}
