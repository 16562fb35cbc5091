import { randomUUID } from "node:crypto";
import type { Logger } from "../logging/logger.ts";
import { toAppError } from "../errors/error-mapping.ts";

export interface ReplayJob {
  id: string;
  targetArn: string;
  state: "running" | "done" | "failed";
  /** Archived events matching the selection when the replay started. */
  total: number;
  queued: number;
  startedAt: number;
  finishedAt: number | null;
  error: string | null;
}

type Listener = (job: ReplayJob) => void;

/** How many finished jobs are remembered for the console. */
const KEEP_FINISHED = 50;

/**
 * Replays run in the background and report progress, so the console can
 * start one, move on, and watch it. The work itself is the engine's replay,
 * passed in as `run`.
 */
export class ReplayJobs {
  private readonly jobs = new Map<string, ReplayJob>();
  private readonly listeners = new Set<Listener>();

  constructor(private readonly deps: { clock: () => number; logger: Logger }) {}

  start(targetArn: string, total: number, run: (onProgress: (queued: number) => void) => Promise<{ queued: number }>): ReplayJob {
    const job: ReplayJob = { id: randomUUID(), targetArn, state: "running", total, queued: 0, startedAt: this.deps.clock(), finishedAt: null, error: null };
    this.jobs.set(job.id, job);
    this.prune();
    this.emit(job);
    run((queued) => {
      job.queued = queued;
      this.emit(job);
    }).then(
      ({ queued }) => {
        Object.assign(job, { queued, state: "done", finishedAt: this.deps.clock() });
        this.emit(job);
      },
      (error: unknown) => {
        this.deps.logger.error({ err: error, targetArn }, "replay failed");
        Object.assign(job, { state: "failed", error: toAppError(error).message, finishedAt: this.deps.clock() });
        this.emit(job);
      },
    );
    return { ...job };
  }

  list(targetArn?: string): ReplayJob[] {
    return [...this.jobs.values()].filter((job) => targetArn === undefined || job.targetArn === targetArn).map((job) => ({ ...job })).reverse();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(job: ReplayJob): void {
    for (const listener of this.listeners) listener({ ...job });
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((job) => job.state !== "running");
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(job.id);
  }
}
