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
import { startPostgresServer, type RunningPostgres } from "../test/support/postgres-server.ts";
import { postgresAccessInsertSql, postgresAccessInsertValues, postgresCreateTableSql } from "../server/targets/postgres/postgres-target.ts";
import { runConcurrently } from "./emit-client.ts";
import { drainRate } from "./target-drain-bench.ts";

const EVENTS = 50_000;
/** Herald's batch size for the target, and the raw harness's rows per INSERT. */
const BATCH_SIZE = 100;
/** Herald's in-flight sends and pool size, and the raw harness's concurrent INSERTs. */
const CONCURRENCY = 8;
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
  const counter = await server.client();
  try {
    await rawInsertRate(server, "raw_warmup", WARMUP_EVENTS);
    const raw1 = await rawInsertRate(server, "raw_before", EVENTS);
    const deliveredPerSec = await drainRate({
      target: {
        id: "pgbench",
        type: "postgres",
        config: { host: server.host, port: server.port, user: server.user, password: server.password, database: server.database, table: "herald_access", format: "access", poolSize: CONCURRENCY },
      },
      batchSize: BATCH_SIZE,
      inFlightLimit: CONCURRENCY,
      events: EVENTS,
      warmupEvents: WARMUP_EVENTS,
      delivered: () => countRows(counter, "herald_access"),
    });
    const raw2 = await rawInsertRate(server, "raw_after", EVENTS);
    return { deliveredPerSec, rawPerSec: (raw1 + raw2) / 2 };
  } finally {
    await counter.end().catch(() => undefined);
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
