import type { AttemptView, DeliveryView } from "@/server/store/archive-store.ts";
import { Badge } from "@/components/ui/badge.tsx";
import { EmptyState } from "@/components/ui/states.tsx";
import { formatMs, formatTime } from "@/components/ui/format.ts";
import styles from "./event-detail.module.css";

/** Delivery states (queued | delivered | dead | discarded | retried) and the badge class each gets. */
const STATE_TONE: Record<string, string> = { queued: "queued", delivered: "delivered", dead: "dead", discarded: "discarded", retried: "paused" };
/** Attempt outcomes (success | retry | dead | discarded | blocked). */
const OUTCOME_TONE: Record<string, string> = { success: "ok", retry: "warn", dead: "bad", discarded: "discarded", blocked: "bad" };

export function EventDeliveries({ deliveries, attempts }: { deliveries: DeliveryView[]; attempts: AttemptView[] }) {
  if (deliveries.length === 0) {
    return (
      <EmptyState title="No deliveries">
        <span>The event matched no rule, so nothing was sent to a target.</span>
      </EmptyState>
    );
  }
  return (
    <div className="stack">
      {deliveries.map((delivery) => (
        <DeliveryCard key={delivery.deliveryId} delivery={delivery} attempts={attempts.filter((a) => a.deliveryId === delivery.deliveryId)} />
      ))}
    </div>
  );
}

function DeliveryCard({ delivery, attempts }: { delivery: DeliveryView; attempts: AttemptView[] }) {
  return (
    <section className={styles.delivery} aria-label={`Delivery to ${delivery.targetArn}`}>
      <div className="row">
        <Badge tone={STATE_TONE[delivery.state] ?? ""}>{delivery.state}</Badge>
        <code className={styles.arn}>{delivery.targetArn}</code>
      </div>
      <div className="row small muted">
        <span>
          Rule <code>{delivery.ruleId}</code>
        </span>
        <span aria-hidden="true">·</span>
        <span>
          {delivery.attempts} {delivery.attempts === 1 ? "attempt" : "attempts"}
        </span>
        {delivery.state === "queued" ? (
          <>
            <span aria-hidden="true">·</span>
            <span>next attempt {formatTime(delivery.nextAttemptAt)}</span>
          </>
        ) : null}
      </div>
      {delivery.lastError ? <div className={`small ${styles.error}`}>Last error: {delivery.lastError}</div> : null}
      {attempts.length === 0 ? (
        <div className="small muted">No attempt recorded yet.</div>
      ) : (
        <div className="table-wrap">
          <table className={`table ${styles.attempts}`} aria-label={`Attempts to ${delivery.targetArn}`}>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Outcome</th>
                <th scope="col">Status</th>
                <th scope="col">Latency</th>
                <th scope="col">Error</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((attempt) => (
                <tr key={attempt.id}>
                  <td>{attempt.attempt}</td>
                  <td>
                    <Badge tone={OUTCOME_TONE[attempt.outcome] ?? ""}>{attempt.outcome}</Badge>
                  </td>
                  <td>{attempt.statusCode ?? "—"}</td>
                  <td>{formatMs(attempt.latencyMs)}</td>
                  <td className={styles.errorCell}>{attempt.error ?? "—"}</td>
                  <td className={styles.nowrap}>{formatTime(attempt.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
