import { Badge } from "@/components/ui/badge.tsx";
import { formatAge, formatCount, formatMs, formatTime, timeAgo } from "@/components/ui/format.ts";
import type { TargetStats } from "./types.ts";
import styles from "./health.module.css";

function Stat({ name, value, testId, tone }: { name: string; value: string; testId?: string; tone?: "bad" | "warn" }) {
  return (
    <div className="stat">
      <span className={`value ${tone ? styles[tone] : ""}`} data-testid={testId}>
        {value}
      </span>
      <span className="name">{name}</span>
    </div>
  );
}

/** A target's delivery figures, last error and last health check: the same block on the overview cards and the detail page. */
export function TargetStatsGrid({ stats, now }: { stats: TargetStats; now: number }) {
  const { lastError, lastHealthCheck: check } = stats;
  return (
    <div className="stack">
      <div className="stats">
        <Stat name="Delivered" value={formatCount(stats.delivered)} testId="delivered-count" />
        <Stat name="Failed" value={formatCount(stats.failed)} tone={stats.failed > 0 ? "bad" : undefined} />
        <Stat name="Retried" value={formatCount(stats.retried)} />
        <Stat name="Queue depth" value={formatCount(stats.queued)} tone={stats.queueLimitAlarm ? "warn" : undefined} />
        <Stat name="Oldest queued" value={formatAge(stats.oldestQueuedAgeMs)} />
        <Stat name="Dead letters" value={formatCount(stats.deadLetters)} tone={stats.deadLetters > 0 ? "bad" : undefined} />
        <Stat name="Latency p50" value={formatMs(stats.latencyMs.p50)} />
        <Stat name="Latency p99" value={formatMs(stats.latencyMs.p99)} />
      </div>
      {stats.queueLimitAlarm ? (
        <div>
          <Badge tone="warn">queue limit reached</Badge> <span className="small muted">the queue is over its limit: events are still accepted, but the target is not keeping up</span>
        </div>
      ) : null}
      <dl className={styles.facts}>
        <dt>Last error</dt>
        <dd>
          {lastError ? (
            <>
              <span className={styles.errorText}>{lastError.message}</span>{" "}
              <span className="muted small" title={formatTime(lastError.at)}>
                {timeAgo(lastError.at, now)}
              </span>
            </>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
        <dt>Last health check</dt>
        <dd>
          {check ? (
            <>
              <Badge tone={check.ok ? "ok" : "bad"}>{check.ok ? "passed" : "failed"}</Badge> <span className="small">{formatMs(check.latencyMs)}</span>{" "}
              <span className="muted small" title={formatTime(check.checkedAt)}>
                {timeAgo(check.checkedAt, now)}
              </span>
              {check.error ? <div className={styles.errorText}>{check.error}</div> : null}
            </>
          ) : (
            <span className="muted">not checked yet</span>
          )}
        </dd>
        <dt>Last success</dt>
        <dd>
          <span title={formatTime(stats.lastSuccessAt)}>{timeAgo(stats.lastSuccessAt, now)}</span>
        </dd>
      </dl>
    </div>
  );
}
