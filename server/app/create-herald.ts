import path from "node:path";
import type { HeraldConfig } from "../config/config.ts";
import { applyMigrations } from "../db/migrate.ts";
import { openDatabase } from "../db/open-database.ts";
import { createPrismaClient } from "../db/prisma-client.ts";
import { ConsoleAuth } from "../auth/console-auth.ts";
import { resolveRootAccount } from "../auth/root-account.ts";
import { ReplayJobs } from "../engine/replay-jobs.ts";
import { HeraldEngine } from "../engine/herald-engine.ts";
import { Emitter } from "../events/emitter.ts";
import { LiveHistory } from "../live/live-history.ts";
import { createLogger, type Logger } from "../logging/logger.ts";
import { HeraldMetrics } from "../metrics/herald-metrics.ts";
import { LiveHub } from "../pipeline/live-hub.ts";
import { Pipeline } from "../pipeline/pipeline.ts";
import { TargetPool } from "../pipeline/target-pool.ts";
import { lazyDuckdbEngine, type DuckdbEngine } from "../s3/select/duckdb/duckdb-engine.ts";
import { QueryService } from "../query/query-service.ts";
import { RuleIndex } from "../rules/rule-index.ts";
import type { ObjectStore } from "../s3/storage/object-store.ts";
import { openObjectStore } from "../s3/storage/open-object-store.ts";
import { BucketRepository } from "../settings/bucket-repository.ts";
import { TargetRepository } from "../settings/target-repository.ts";
import { AcceptWriter } from "../store/accept-writer.ts";
import { CommitThread } from "../store/commit-thread.ts";
import { ArchiveStore } from "../store/archive-store.ts";
import { DeliveryStore } from "../store/delivery-store.ts";
import { OutcomeWriter } from "../store/outcome-writer.ts";
import { getTargetType } from "../targets/target-registry.ts";

export interface Herald {
  config: HeraldConfig;
  engine: HeraldEngine;
  /** Console sign-in and sessions. */
  auth: ConsoleAuth;
  /** In-process producers (the S3 endpoint, later) emit through this. */
  emitter: Emitter;
  metrics: HeraldMetrics;
  logger: Logger;
  /** The object store (local disk or upstream): the S3 endpoint serves it, the query console reads it. Closed by `close`. */
  store: ObjectStore;
  /** The query console's S3 Select runs, history and saved queries. */
  query: QueryService;
  /** DuckDB for S3 Select scans (the S3 endpoint's and the console's), created on first use. */
  duckdb: () => Promise<DuckdbEngine>;
  /** Releases what the engine's shutdown does not: the object store. */
  close(): Promise<void>;
}

export interface CreateHeraldOptions {
  logger?: Logger;
  clock?: () => number;
  /** Deliveries each target keeps in memory before reading the rest from the database. */
  memoryLimit?: number;
  defaultMetrics?: boolean;
}

/** The composition root: wires every engine part from the parsed configuration. */
export async function createHerald(config: HeraldConfig, options: CreateHeraldOptions = {}): Promise<Herald> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? Date.now;
  // The event loop reads here; the hot-path writes go through the commit thread,
  // where accepted events are committed with config.dbSync. The few writes made
  // here (operator actions, retention) need no fsync: WAL survives a crash.
  const db = openDatabase(config.databaseFile, { sync: "NORMAL", autoCheckpoint: false });
  const migrated = applyMigrations(db);
  if (migrated.length > 0) logger.info({ migrations: migrated }, "database migrated");
  const prisma = createPrismaClient(config.databaseFile);
  const metrics = new HeraldMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const deliveries = new DeliveryStore(db);
  const commits = new CommitThread({ file: config.databaseFile, sync: config.dbSync });
  const outcomes = new OutcomeWriter(commits, logger);
  const archive = new ArchiveStore(db);
  const writer = new AcceptWriter(commits, clock);
  const targets = new TargetRepository(prisma, config.region);
  const buckets = new BucketRepository(prisma);
  const lastSeq = archive.maxSeq();
  // Seqs up to lastSeq were given out before this start: asking for them is a gap, not silence.
  const history = new LiveHistory(config.liveHistorySize, { startAfterSeq: lastSeq });
  const hub = new LiveHub();
  const pool = new TargetPool({
    db,
    store: deliveries,
    outcomes,
    metrics,
    clock,
    logger,
    createTarget: (record) => {
      const type = getTargetType(record.type);
      return type.create(record.config as never, { id: record.id, arn: record.arn, logger: logger.child({ target: record.arn }) });
    },
    onGone: (arn) => {
      targets.setPaused(arn, true).catch((error: unknown) => logger.error({ err: error, target: arn }, "could not persist pause"));
    },
    memoryLimit: options.memoryLimit ?? config.queueMemoryPerTarget,
    healthCheckIntervalMs: config.healthCheckIntervalMs,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  });
  const pipeline = new Pipeline({
    writer,
    pool,
    history,
    hub,
    metrics,
    clock,
    logger,
    lastSeq,
    ruleIndex: new RuleIndex([]),
  });
  const engine = new HeraldEngine({
    db,
    prisma,
    targets,
    buckets,
    pipeline,
    pool,
    archive,
    deliveries,
    writer,
    outcomes,
    commits,
    history,
    hub,
    metrics,
    clock,
    logger,
    archivePolicy: config.archive,
    region: config.region,
    replays: new ReplayJobs({ clock, logger: logger.child({ component: "replay" }) }),
  });
  metrics.bindGauges({ targetGauges: () => engine.targetGauges(), liveSubscribers: () => engine.liveSubscribers });
  await engine.start();
  const emitter = new Emitter({ sink: engine, region: config.region, clock });
  const auth = new ConsoleAuth({
    prisma,
    clock,
    sessionTtlMs: config.sessionTtlMs,
    account: () => resolveRootAccount({ user: config.rootUser, password: config.rootPassword, dataDir: config.dataDir }),
  });
  // Opened whatever HERALD_S3 says: the query console reads the same objects the endpoint would serve.
  const store = await openObjectStore(config.s3);
  // Scratch space beside the objects, so scans can hard-link an object's file instead of copying it.
  const duckdb = lazyDuckdbEngine(path.join(config.dataDir, "tmp"));
  const query = new QueryService({ store, prisma, clock, logger: logger.child({ component: "query" }), duckdb });
  return { config, engine, auth, emitter, metrics, logger, store, query, duckdb, close: () => store.close() };
}
