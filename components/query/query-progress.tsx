import { formatCount } from "@/components/ui/format.ts";
import type { QueryRunState } from "./use-query-run.ts";
import { formatBytes } from "./format-bytes.ts";
import styles from "./query.module.css";

const STATUS_TEXT: Record<QueryRunState["status"], string> = {
  idle: "Not run yet",
  starting: "Starting…",
  running: "Running…",
  cancelling: "Cancelling…",
  done: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** Bytes scanned against the object's size (the bar), with processed, returned, rows and time. */
export function QueryProgressView({ state }: { state: QueryRunState }) {
  const p = state.stats ?? state.progress;
  const size = p?.objectSize ?? 0;
  const done = state.status === "done";
  const fraction = done ? 1 : size > 0 && p ? Math.min(1, p.bytesScanned / size) : 0;
  const rows = state.summary?.rows ?? state.stats?.rows ?? state.rowCount;
  const truncated = state.summary?.truncatedRows ?? 0;
  const tone = state.status === "failed" ? "bad" : state.status === "cancelled" ? "warn" : done ? "ok" : "";
  return (
    <div className="stack" aria-label="Query progress">
      <div className="row">
        <span className={`badge ${tone}`} role="status" data-testid="query-status">
          {STATUS_TEXT[state.status]}
        </span>
        {state.summary ? <span className="muted small">in {Math.round(state.summary.durationMs)} ms</span> : null}
        {truncated > 0 ? (
          <span className="badge warn" data-testid="query-truncated">
            showing the first {formatCount(state.rowCount)} of {formatCount(rows)} rows — download for all
          </span>
        ) : null}
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label="Bytes scanned"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
      >
        <div className={state.status === "cancelled" ? styles.progressCancelled : undefined} style={{ width: `${fraction * 100}%` }} />
      </div>
      <dl className={styles.figures} data-testid="query-stats">
        <Figure name="Scanned" value={p ? `${formatBytes(p.bytesScanned)} of ${formatBytes(size)}` : "—"} />
        <Figure name="Processed" value={p ? formatBytes(p.bytesProcessed) : "—"} />
        <Figure name="Returned" value={p ? formatBytes(p.bytesReturned) : "—"} />
        <Figure name="Rows" value={state.status === "idle" ? "—" : formatCount(rows)} testId="query-rows" />
      </dl>
    </div>
  );
}

function Figure({ name, value, testId }: { name: string; value: string; testId?: string }) {
  return (
    <div className={styles.figure}>
      <dt className="muted small">{name}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}
