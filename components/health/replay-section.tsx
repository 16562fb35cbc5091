"use client";

import { useState } from "react";
import { formatAge, formatCount, formatTime } from "@/components/ui/format.ts";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states.tsx";
import { ReplayForm } from "./replay-form.tsx";
import { ReplayProgress, ReplayStateBadge, replayProgressText } from "./replay-progress.tsx";
import type { ReplayJobView } from "./types.ts";
import { useReplayJobs } from "./use-replay-jobs.ts";
import styles from "./health.module.css";

function CurrentReplay({ job }: { job: ReplayJobView }) {
  return (
    <div className="card" role="group" aria-labelledby="current-replay-heading">
      <div className="row">
        <h3 id="current-replay-heading" style={{ margin: 0 }}>
          Replay started {formatTime(job.startedAt)}
        </h3>
        <ReplayStateBadge state={job.state} />
      </div>
      <div className={styles.progressLine} style={{ marginTop: 8 }}>
        <ReplayProgress job={job} label="Replay progress" />
        <span className="small">{replayProgressText(job)}</span>
      </div>
      {job.state === "done" ? (
        <p className="small muted">
          Done in {formatAge((job.finishedAt ?? job.startedAt) - job.startedAt)}. The events are in the target's queue; delivery shows in the figures above.
        </p>
      ) : null}
      {job.state === "failed" ? (
        <div className="form-error" role="alert" style={{ marginTop: 8 }}>
          Replay failed: {job.error ?? "no reason given"}
        </div>
      ) : null}
    </div>
  );
}

function ReplayTable({ jobs }: { jobs: readonly ReplayJobView[] }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Recent replays">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">State</th>
            <th scope="col">Progress</th>
            <th scope="col">Took</th>
            <th scope="col">Error</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <tr key={job.id}>
              <td>{formatTime(job.startedAt)}</td>
              <td>
                <ReplayStateBadge state={job.state} />
              </td>
              <td>
                <div className={`${styles.progressLine} ${styles.miniProgress}`}>
                  <ReplayProgress job={job} label={`Progress of the replay started ${formatTime(job.startedAt)}`} />
                  <span className="small">
                    {formatCount(job.queued)}/{formatCount(job.total)}
                  </span>
                </div>
              </td>
              <td>{job.finishedAt ? formatAge(job.finishedAt - job.startedAt) : <span className="muted">running</span>}</td>
              <td className={job.error ? styles.errorText : "muted"}>{job.error ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Re-deliver archived events to this target: pick them, start, watch the progress. */
export function ReplaySection({ arn, enabled }: { arn: string; enabled: boolean }) {
  const { list, jobs, record } = useReplayJobs(arn);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const current = currentId ? jobs.find((job) => job.id === currentId) : undefined;

  return (
    <section className="card" aria-labelledby="replay-heading">
      <div className={styles.sectionHeader}>
        <h2 id="replay-heading">Replay</h2>
        <span className="muted small">Queue archived events to this target again. Receivers can de-duplicate by event id.</span>
      </div>
      <div className="stack">
        <ReplayForm
          arn={arn}
          enabled={enabled}
          onStarted={(job) => {
            record(job);
            setCurrentId(job.id);
          }}
        />
        {current ? <CurrentReplay job={current} /> : null}
        <div>
          <h3>Recent replays</h3>
          {list.isPending ? (
            <LoadingState what="replays" />
          ) : list.isError && jobs.length === 0 ? (
            <ErrorState what="replays" error={list.error} onRetry={() => void list.refetch()} />
          ) : jobs.length === 0 ? (
            <EmptyState title="No replays yet">Replays of this target started since Herald last restarted show here.</EmptyState>
          ) : (
            <ReplayTable jobs={jobs} />
          )}
        </div>
      </div>
    </section>
  );
}
