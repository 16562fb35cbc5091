/**
 * PostgreSQL target throughput (access format): events a real Herald process
 * delivers per second from a filled queue, next to the rate at which this same harness writes the
 * same rows with the same batched INSERT straight to the same server. The
 * ratio is what carries the bar; both figures move with the machine.
 *
 * Alone: `npx tsx bench/postgres-target-bench.ts`.
 */
import { pathToFileURL } from "node:url";
import pg from "pg";
import { makeItem } from "../test/support/delivery-items.ts";
import { startHeraldProcess } from "../test/support/herald-process.ts";
import { startPostgresServer, type RunningPostgres } from "../test/support/postgres-server.ts";
import { postgresAccessInsertSql, postgresAccessInsertValues, postgresCreateTableSql } from "../server/targets/postgres/postgres-target.ts";
import { createEmitClient, runConcurrently, sampleEvent } from "./emit-client.ts";

const EVENTS = 50_000;
/** Herald's batch size for the target, and the raw harness's rows per INSERT. */
const BATCH_SIZE = 100;
/** Herald's in-flight sends and pool size, and the raw harness's concurrent INSERTs. */
const CONCURRENCY = 8;
const EMIT_CHUNK = 500;
const WARMUP_EVENTS = 5_000;

export interface PostgresTargetBenchResult {
  deliveredPerSec: number;
  rawPerSec: number;
}

/** The harness's own rate: the same rows, in the same batches, over as many connections. */
async function rawInsertRate(server: RunningPostgres, table: string, total: number): Promise<number> {
  const pool = new pg.Pool({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database, max: CONCURRENCY });
  try {
    await pool.query(postgresCreateTableSql(table, "access"));
    const items = Array.from({ length: total }, (_, i) => makeItem({ bucket: "bench", key: `bench/${i % 1000}/object-${i}.json`, size: 1024 + (i % 4096) }));
    const sql = postgresAccessInsertSql(table);
    const started = performance.now();
    await runConcurrently(Math.ceil(total / BATCH_SIZE), CONCURRENCY, async (b) => {
      await pool.query(sql, postgresAccessInsertValues(items.slice(b * BATCH_SIZE, (b + 1) * BATCH_SIZE)));
    });
    return total / ((performance.now() - started) / 1000);
  } finally {
    await pool.end();
  }
}

async function countRows(client: pg.Client, table: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n ?? 0;
}

export async function runPostgresTargetBench(): Promise<PostgresTargetBenchResult> {
  const server = await startPostgresServer();
  // The backlog fits the in-memory queue, so the drain measures delivery, not re-reading a spilled queue from SQLite.
  const herald = await startHeraldProcess({ env: { HERALD_LOG_LEVEL: "error", HERALD_DB_SYNC: "FULL", HERALD_QUEUE_MEMORY: String(2 * (EVENTS + WARMUP_EVENTS)) } });
  const emitter = createEmitClient(herald.url, herald.token);
  const counter = await server.client();
  try {
    await rawInsertRate(server, "raw_warmup", WARMUP_EVENTS);
    const raw1 = await rawInsertRate(server, "raw_before", EVENTS);

    // Created paused, so the queue fills first and the clock runs on delivery alone: Herald's
    // durable acceptance (measured by bench/run.ts) would otherwise set the pace.
    const target = await herald.api<{ arn: string }>("POST", "/api/v1/targets", {
      id: "pgbench",
      type: "postgres",
      config: { host: server.host, port: server.port, user: server.user, password: server.password, database: server.database, table: "herald_access", format: "access", poolSize: CONCURRENCY },
      delivery: { batchSize: BATCH_SIZE, inFlightLimit: CONCURRENCY, maxAttempts: 3 },
      paused: true,
    });
    if (target.status !== 201 && target.status !== 200) throw new Error(`creating the target answered ${target.status}: ${JSON.stringify(target.json)}`);
    await herald.api("PUT", "/api/v1/buckets/bench/notification", {
      rules: [{ id: "all", events: ["s3:ObjectCreated:*"], targetArns: [target.json.arn] }],
    });
    const emit = (total: number) =>
      runConcurrently(total / EMIT_CHUNK, 4, async (r) => {
        await emitter.emit(Array.from({ length: EMIT_CHUNK }, (_, j) => sampleEvent("bench", r * EMIT_CHUNK + j)));
      });
    const arnPath = `/api/v1/targets/${encodeURIComponent(target.json.arn)}`;
    const drain = async (total: number): Promise<number> => {
      const started = performance.now();
      const resumed = await herald.api("POST", `${arnPath}/resume`);
      if (resumed.status !== 200) throw new Error(`resuming the target answered ${resumed.status}: ${JSON.stringify(resumed.json)}`);
      const deadline = Date.now() + 180_000;
      while ((await countRows(counter, "herald_access")) < total) {
        if (Date.now() > deadline) throw new Error(`only ${await countRows(counter, "herald_access")} of ${total} rows arrived within 180 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return performance.now() - started;
    };
    // Warm-up, as the raw side has: the first sends open connections and get the code paths compiled.
    await emit(WARMUP_EVENTS);
    await drain(WARMUP_EVENTS);
    await herald.api("POST", `${arnPath}/pause`);
    await emit(EVENTS);
    const deliveredPerSec = EVENTS / ((await drain(WARMUP_EVENTS + EVENTS)) / 1000);
    const raw2 = await rawInsertRate(server, "raw_after", EVENTS);
    return { deliveredPerSec, rawPerSec: (raw1 + raw2) / 2 };
  } finally {
    await counter.end().catch(() => undefined);
    await emitter.close();
    await herald.stop();
    await server.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { deliveredPerSec, rawPerSec } = await runPostgresTargetBench();
  const ratio = deliveredPerSec / rawPerSec;
  console.log(`postgres target, access format, batches of ${BATCH_SIZE}, ${CONCURRENCY} connections, ${EVENTS} events`);
  console.log(`  delivered by Herald:      ${Math.round(deliveredPerSec)} events/s`);
  console.log(`  raw INSERTs from harness: ${Math.round(rawPerSec)} rows/s`);
  console.log(`  ratio:                    ${ratio.toFixed(2)}  [${ratio >= 0.5 ? "PASS" : "FAIL"}: at least 0.5]`);
}
