import { AppError } from "../errors/app-error.ts";
import type { HeraldPrisma } from "../db/prisma-client.ts";
import type { SqliteDatabase } from "../db/open-database.ts";
import type { AcceptedEvent, NewEvent } from "../events/new-event.ts";
import type { HeraldEvent } from "../events/s3-record.ts";
import type { LiveHistory } from "../live/live-history.ts";
import type { LiveFeed } from "../live/live-feed.ts";
import type { Logger } from "../logging/logger.ts";
import type { HeraldMetrics } from "../metrics/herald-metrics.ts";
import type { LiveHub } from "../pipeline/live-hub.ts";
import type { Pipeline } from "../pipeline/pipeline.ts";
import type { TargetPool } from "../pipeline/target-pool.ts";
import type { TargetStatsSnapshot } from "../pipeline/target-stats.ts";
import type { BucketNotificationConfig } from "../rules/notification-config.ts";
import { RuleIndex } from "../rules/rule-index.ts";
import { validateNotificationConfig } from "../rules/validate-notification-config.ts";
import { parseNotificationXml, toNotificationXml } from "../rules/notification-xml.ts";
import type { BucketRepository, BucketSummary } from "../settings/bucket-repository.ts";
import type { TargetInput, TargetUpdate } from "../settings/target-input.ts";
import type { TargetRepository, TargetView } from "../settings/target-repository.ts";
import type { ArchiveQuery } from "../store/archive-query.ts";
import type { ArchiveStore, ArchivedEvent, EventDetail } from "../store/archive-store.ts";
import type { AcceptWriter } from "../store/accept-writer.ts";
import type { DeadLetter, DeliveryStore } from "../store/delivery-store.ts";
import type { OutcomeWriter } from "../store/outcome-writer.ts";
import type { CommitThread } from "../store/commit-thread.ts";
import { attemptSeries, type SeriesPoint, type SeriesWindow } from "../store/attempt-series.ts";
import { toNewEvent } from "../events/build-record.ts";
import { DeliveryError } from "../targets/delivery-error.ts";
import type { NotificationRule } from "../rules/notification-config.ts";
import type { ReplayJob, ReplayJobs } from "./replay-jobs.ts";
import type { StatsTick } from "../live/console-protocol.ts";

export interface HeraldEngineDeps {
  db: SqliteDatabase;
  prisma: HeraldPrisma;
  targets: TargetRepository;
  buckets: BucketRepository;
  pipeline: Pipeline;
  pool: TargetPool;
  archive: ArchiveStore;
  deliveries: DeliveryStore;
  writer: AcceptWriter;
  outcomes: OutcomeWriter;
  commits: CommitThread;
  history: LiveHistory;
  hub: LiveHub;
  metrics: HeraldMetrics;
  clock: () => number;
  logger: Logger;
  archivePolicy: { maxAgeMs: number; maxCount: number; pruneIntervalMs: number };
  region: string;
  replays: ReplayJobs;
}

export interface TargetWithStats extends TargetView {
  stats: TargetStatsSnapshot | null;
}

export interface ReplayResult {
  queued: number;
}

const REPLAY_CHUNK = 5000;

/**
 * The domain API of Herald's engine: what HTTP routes, tRPC procedures and
 * socket handlers call. It knows nothing of any transport.
 */
export class HeraldEngine implements LiveFeed {
  private reloading: Promise<void> = Promise.resolve();
  private pruneTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: HeraldEngineDeps) {}

  /** Loads targets and rules and starts delivering. */
  async start(): Promise<void> {
    await this.reload();
    this.deps.pool.startHealthChecks();
    this.schedulePrune();
  }

  // ---- events ---------------------------------------------------------------------------

  submit(events: readonly NewEvent[]): Promise<AcceptedEvent[]> {
    return this.deps.pipeline.submit(events);
  }

  subscribe(listener: (event: HeraldEvent) => void): () => void {
    return this.deps.hub.subscribe(listener);
  }

  since(seq: number, limit: number) {
    return this.deps.history.since(seq, limit);
  }

  latestSeq(): number {
    return this.deps.history.latestSeq;
  }

  get liveSubscribers(): number {
    return this.deps.hub.size;
  }

  searchArchive(query: ArchiveQuery): { events: ArchivedEvent[]; nextCursor: number | null; total: number } {
    return { ...this.deps.archive.search(query), total: this.deps.archive.count(query) };
  }

  eventDetail(idOrSeq: string): EventDetail {
    const detail = this.deps.archive.detail(idOrSeq);
    if (!detail) throw new AppError("NotFound", `no archived event ${idOrSeq}`, { field: "id" });
    return detail;
  }

  // ---- configuration ----------------------------------------------------------------------

  /** Re-reads targets and rules; the rule index is swapped in one assignment. Serialised. */
  reload(): Promise<void> {
    const next = this.reloading.then(async () => {
      const [records, configs] = await Promise.all([this.deps.targets.listRecords(), this.deps.buckets.allConfigs()]);
      await this.deps.pool.reconcile(records);
      this.deps.pipeline.swapIndex(new RuleIndex(configs));
    });
    this.reloading = next.catch(() => undefined);
    return next;
  }

  async listTargets(): Promise<TargetWithStats[]> {
    const views = await this.deps.targets.list();
    return views.map((v) => ({ ...v, stats: this.deps.pool.snapshot(v.arn) ?? null }));
  }

  async getTarget(arn: string): Promise<TargetWithStats> {
    const view = await this.deps.targets.getByArn(arn);
    return { ...view, stats: this.deps.pool.snapshot(arn) ?? null };
  }

  async createTarget(input: TargetInput): Promise<TargetWithStats> {
    const view = await this.deps.targets.create(input);
    await this.reload();
    return this.getTarget(view.arn);
  }

  async updateTarget(arn: string, update: TargetUpdate): Promise<TargetWithStats> {
    await this.deps.targets.update(arn, update);
    await this.reload();
    return this.getTarget(arn);
  }

  async setTargetPaused(arn: string, paused: boolean): Promise<TargetWithStats> {
    await this.deps.targets.setPaused(arn, paused);
    await this.reload();
    return this.getTarget(arn);
  }

  async deleteTarget(arn: string): Promise<void> {
    const users = await this.deps.buckets.rulesUsing(arn);
    if (users.length > 0) {
      throw new AppError(
        "Conflict",
        `target ${arn} is used by ${users.map((u) => `rule ${u.ruleId} of bucket ${u.bucket}`).join(", ")}; change those rules first`,
        { field: "arn", details: { rules: users } },
      );
    }
    await this.deps.targets.delete(arn);
    await this.reload();
  }

  async checkTargetHealth(arn: string) {
    await this.deps.targets.getByArn(arn);
    const result = await this.deps.pool.checkHealth(arn);
    if (!result) throw new AppError("Conflict", `target ${arn} is disabled`, { field: "arn" });
    return result;
  }

  async listBuckets(): Promise<BucketSummary[]> {
    return this.deps.buckets.list();
  }

  async bucketConfig(bucket: string): Promise<BucketNotificationConfig> {
    return this.deps.buckets.config(bucket);
  }

  async bucketConfigXml(bucket: string): Promise<string> {
    return toNotificationXml(await this.deps.buckets.config(bucket));
  }

  /** Validates against the configured targets, replaces the bucket's rules, swaps the index. */
  async putBucketConfig(bucket: string, raw: unknown): Promise<BucketNotificationConfig> {
    const config = validateNotificationConfig({ ...(raw as object), bucket } as never, await this.deps.targets.arns());
    await this.deps.buckets.replace(config);
    await this.reload();
    return config;
  }

  async putBucketConfigXml(bucket: string, xml: string): Promise<BucketNotificationConfig> {
    return this.putBucketConfig(bucket, parseNotificationXml(xml, bucket));
  }

  /** Validates without applying: what an import would change. */
  async previewBucketConfigXml(bucket: string, xml: string): Promise<{ current: BucketNotificationConfig; next: BucketNotificationConfig }> {
    const next = validateNotificationConfig(parseNotificationXml(xml, bucket) as never, await this.deps.targets.arns());
    return { current: await this.deps.buckets.config(bucket), next };
  }

  async deleteBucketConfig(bucket: string): Promise<void> {
    await this.deps.buckets.deleteBucket(bucket);
    await this.reload();
  }

  /**
   * Adds a rule to a bucket or replaces the one with id `replacing` (keeping
   * its position), validating the whole configuration as S3 would. Errors
   * name the rule's own field (`prefix`, `targetArns[0]`), as a rule form
   * shows them.
   */
  async upsertRule(bucket: string, rule: NotificationRule, replacing?: string): Promise<BucketNotificationConfig> {
    const current = await this.deps.buckets.config(bucket);
    const rules = [...current.rules];
    const at = replacing === undefined ? -1 : rules.findIndex((r) => r.id === replacing);
    if (replacing !== undefined && at < 0) throw new AppError("NotFound", `bucket ${bucket} has no rule ${replacing}`, { field: "id" });
    const position = at < 0 ? rules.length : at;
    rules.splice(position, at < 0 ? 0 : 1, rule);
    try {
      return await this.putBucketConfig(bucket, { rules });
    } catch (error) {
      throw relativeToRule(error, position);
    }
  }

  async deleteRule(bucket: string, ruleId: string): Promise<BucketNotificationConfig> {
    const current = await this.deps.buckets.config(bucket);
    if (!current.rules.some((r) => r.id === ruleId)) throw new AppError("NotFound", `bucket ${bucket} has no rule ${ruleId}`, { field: "ruleId" });
    return this.putBucketConfig(bucket, { rules: current.rules.filter((r) => r.id !== ruleId) });
  }

  dryRun(bucket: string, eventName: string, key: string) {
    return this.deps.pipeline.ruleIndex.dryRun(bucket, eventName as never, key);
  }

  // ---- dead letters and replay ----------------------------------------------------------------

  async deadLetters(arn: string, options: { limit: number; afterId?: number }): Promise<DeadLetter[]> {
    await this.deps.targets.getByArn(arn);
    return this.deps.deliveries.deadLetters(arn, options);
  }

  async retryDeadLetters(arn: string, ids: readonly number[] | undefined): Promise<{ requeued: number }> {
    await this.deps.targets.getByArn(arn);
    await this.deps.outcomes.flush();
    const requeued = this.deps.deliveries.requeueDeadLetters(arn, ids, this.deps.clock());
    this.deps.pool.notifyQueued(arn, requeued, requeued);
    return { requeued };
  }

  async purgeDeadLetters(arn: string, ids: readonly number[] | undefined): Promise<{ purged: number }> {
    await this.deps.targets.getByArn(arn);
    await this.deps.outcomes.flush();
    const purged = this.deps.deliveries.purgeDeadLetters(arn, ids);
    this.deps.pool.notifyPurged(arn, purged);
    return { purged };
  }

  /** Queues every archived event matching `query` to the target again, oldest first. */
  async replay(arn: string, query: Omit<ArchiveQuery, "limit" | "cursor">, onProgress?: (queued: number) => void): Promise<ReplayResult> {
    await this.deps.targets.getByArn(arn);
    if (!this.deps.pool.has(arn)) throw new AppError("Conflict", `target ${arn} is disabled; enable it before replaying`, { field: "arn" });
    let after = 0;
    let queued = 0;
    for (;;) {
      const seqs = this.deps.archive.seqsMatching(query, after, REPLAY_CHUNK);
      if (seqs.length === 0) break;
      queued += this.deps.deliveries.enqueueReplay(arn, seqs, "replay", this.deps.clock());
      this.deps.pool.notifyQueued(arn, seqs.length);
      onProgress?.(queued);
      after = seqs[seqs.length - 1]!;
      if (seqs.length < REPLAY_CHUNK) break;
      // Let deliveries and requests run between chunks of a long replay.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { queued };
  }

  /** Starts a replay in the background; progress goes to ReplayJobs listeners. */
  async startReplay(arn: string, query: Omit<ArchiveQuery, "limit" | "cursor">): Promise<ReplayJob> {
    await this.deps.targets.getByArn(arn);
    if (!this.deps.pool.has(arn)) throw new AppError("Conflict", `target ${arn} is disabled; enable it before replaying`, { field: "arn" });
    const total = this.deps.archive.count({ ...query, limit: 1 });
    return this.deps.replays.start(arn, total, (onProgress) => this.replay(arn, query, onProgress));
  }

  replayJobs(arn?: string): ReplayJob[] {
    return this.deps.replays.list(arn);
  }

  onReplayProgress(listener: (job: ReplayJob) => void): () => void {
    return this.deps.replays.subscribe(listener);
  }

  /** Every enabled target's stats now, for the console's live health view. */
  async statsTick(): Promise<StatsTick> {
    const targets = this.deps.pool.arns().map((arn) => ({ arn, type: this.deps.pool.typeOf(arn) ?? "unknown", stats: this.deps.pool.snapshot(arn)! }));
    return { at: this.deps.clock(), targets };
  }

  /**
   * Sends one test event (an s3:ObjectCreated:Put of `herald-test/herald-test-event`)
   * straight to the target, outside its queue and without recording an
   * attempt: a connectivity check with the payload receivers really get.
   */
  async sendTestEvent(arn: string): Promise<{ ok: boolean; latencyMs: number; statusCode: number | null; error: string | null }> {
    await this.deps.targets.getByArn(arn);
    const worker = this.deps.pool.worker(arn);
    if (!worker) throw new AppError("Conflict", `target ${arn} is disabled; enable it before sending a test event`, { field: "arn" });
    const now = this.deps.clock();
    const event = toNewEvent({ eventName: "s3:ObjectCreated:Put", bucket: "herald-test", key: "herald-test-event", size: 0 }, { region: this.deps.region, now, source: "test" });
    const heraldEvent: HeraldEvent = { ...event, id: `test-${now}`, seq: 0, receivedAt: now };
    const started = performance.now();
    try {
      const result = await worker.target.send([{ deliveryId: 0, event: heraldEvent, ruleId: "herald-test", attempt: 1 }]);
      return { ok: true, latencyMs: performance.now() - started, statusCode: result.statusCode ?? null, error: null };
    } catch (error) {
      const statusCode = error instanceof DeliveryError ? (error.statusCode ?? null) : null;
      return { ok: false, latencyMs: performance.now() - started, statusCode, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** A target's attempts per step over the last 15 minutes, hour or day. */
  async targetSeries(arn: string, window: SeriesWindow): Promise<SeriesPoint[]> {
    await this.deps.targets.getByArn(arn);
    await this.deps.outcomes.flush();
    return attemptSeries(this.deps.db, arn, window, this.deps.clock());
  }

  // ---- stats ------------------------------------------------------------------------------

  targetGauges() {
    const now = this.deps.clock();
    return this.deps.pool.arns().map((arn) => {
      const s = this.deps.pool.snapshot(arn)!;
      return {
        arn,
        type: this.deps.pool.typeOf(arn) ?? "unknown",
        queued: s.queued,
        oldestAgeSeconds: (s.oldestQueuedAgeMs ?? 0) / 1000,
        deadLetters: s.deadLetters,
        alarm: s.queueLimitAlarm,
        at: now,
      };
    });
  }

  /** Readiness: the database answers. */
  isStorageReady(): boolean {
    if (this.stopped) return false;
    try {
      this.deps.db.prepare("SELECT 1").get();
      return true;
    } catch {
      return false;
    }
  }

  // ---- lifecycle --------------------------------------------------------------------------

  async pruneArchive(): Promise<number> {
    const { maxAgeMs, maxCount } = this.deps.archivePolicy;
    await this.deps.outcomes.flush();
    return this.deps.archive.prune({ maxAgeMs, maxCount, now: this.deps.clock() });
  }

  private schedulePrune(): void {
    this.pruneTimer = setTimeout(async () => {
      try {
        const removed = await this.pruneArchive();
        if (removed > 0) this.deps.logger.info({ removed }, "archive retention pruned events");
      } catch (error) {
        this.deps.logger.error({ err: error }, "archive pruning failed");
      }
      if (!this.stopped) this.schedulePrune();
    }, this.deps.archivePolicy.pruneIntervalMs).unref();
  }

  /**
   * Graceful shutdown: refuse new events, commit what was accepted, give
   * in-flight deliveries `timeoutMs`, leave the rest queued, close storage.
   */
  async shutdown(timeoutMs: number): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.pruneTimer);
    this.deps.pipeline.close();
    await this.deps.writer.drain();
    await this.reloading;
    await this.deps.pool.stop(timeoutMs);
    await this.deps.outcomes.flush();
    await this.deps.commits.close();
    await this.deps.prisma.$disconnect();
    this.deps.db.close();
  }
}

/** A bucket-level validation error (`rules[2].prefix`) as the rule's own field (`prefix`). */
function relativeToRule(error: unknown, position: number): unknown {
  if (!(error instanceof AppError) || error.field === undefined) return error;
  const own = `rules[${position}]`;
  if (error.field === own) return new AppError(error.code, error.message, { details: error.details, cause: error });
  if (!error.field.startsWith(`${own}.`)) return error;
  return new AppError(error.code, error.message, { field: error.field.slice(own.length + 1), details: error.details, cause: error });
}
