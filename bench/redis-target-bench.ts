/**
 * Redis target throughput (XADD): events a real Herald process delivers per
 * second from a filled queue, next to the rate at which this same harness
 * writes the same entries with pipelined XADDs (same batch size, same
 * concurrency) to the same server. Built like postgres-target-bench.ts.
 *
 * Alone: `npx tsx bench/redis-target-bench.ts`.
 */
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { buildNotificationMessage } from "../server/targets/notification-payload.ts";
import { makeItem } from "../test/support/delivery-items.ts";
import { startHeraldProcess } from "../test/support/herald-process.ts";
import { startRedisServer } from "../test/support/redis-server.ts";
import { createEmitClient, runConcurrently, sampleEvent } from "./emit-client.ts";

const EVENTS = 50_000;
const BATCH_SIZE = 100;
const CONCURRENCY = 8;
const EMIT_CHUNK = 500;
const WARMUP_EVENTS = 5_000;
const MAX_LEN = 1_000_000;

export interface RedisTargetBenchResult {
  deliveredPerSec: number;
  rawPerSec: number;
}

/** The harness's own rate: the same XADD entries Herald writes, one pipeline per batch. */
async function rawXaddRate(url: string, stream: string, total: number): Promise<number> {
  const client = new Redis(url);
  try {
    const items = Array.from({ length: total }, (_, i) => makeItem({ bucket: "bench", key: `bench/${i % 1000}/object-${i}.json`, size: 1024 + (i % 4096) }));
    const started = performance.now();
    await runConcurrently(Math.ceil(total / BATCH_SIZE), CONCURRENCY, async (b) => {
      const pipeline = client.pipeline();
      for (const item of items.slice(b * BATCH_SIZE, (b + 1) * BATCH_SIZE)) {
        const { event } = item;
        const message = JSON.stringify(buildNotificationMessage([item]));
        pipeline.xadd(stream, "MAXLEN", "~", MAX_LEN, "*", "id", event.id, "eventName", event.eventName, "bucket", event.bucket, "key", event.key, "event", message);
      }
      await pipeline.exec();
    });
    return total / ((performance.now() - started) / 1000);
  } finally {
    client.disconnect();
  }
}

export async function runRedisTargetBench(): Promise<RedisTargetBenchResult> {
  const server = await startRedisServer();
  // The backlog fits the in-memory queue, so the drain measures delivery, not re-reading a spilled queue from SQLite.
  const herald = await startHeraldProcess({ env: { HERALD_LOG_LEVEL: "error", HERALD_DB_SYNC: "FULL", HERALD_QUEUE_MEMORY: String(2 * (EVENTS + WARMUP_EVENTS)) } });
  const emitter = createEmitClient(herald.url, herald.token);
  const counter = new Redis(server.url);
  try {
    await rawXaddRate(server.url, "raw-warmup", WARMUP_EVENTS);
    const raw1 = await rawXaddRate(server.url, "raw-before", EVENTS);
    const target = await herald.api<{ arn: string }>("POST", "/api/v1/targets", {
      id: "redisbench",
      type: "redis",
      config: { url: server.url, mode: "stream", stream: "herald-bench", maxLen: MAX_LEN },
      delivery: { batchSize: BATCH_SIZE, inFlightLimit: CONCURRENCY, maxAttempts: 3 },
      paused: true,
    });
    if (target.status !== 201 && target.status !== 200) throw new Error(`creating the target answered ${target.status}: ${JSON.stringify(target.json)}`);
    await herald.api("PUT", "/api/v1/buckets/bench/notification", { rules: [{ id: "all", events: ["s3:ObjectCreated:*"], targetArns: [target.json.arn] }] });
    const emit = (total: number) =>
      runConcurrently(total / EMIT_CHUNK, 4, async (r) => {
        await emitter.emit(Array.from({ length: EMIT_CHUNK }, (_, j) => sampleEvent("bench", r * EMIT_CHUNK + j)));
      });
    const arnPath = `/api/v1/targets/${encodeURIComponent(target.json.arn)}`;
    const drain = async (total: number): Promise<number> => {
      const started = performance.now();
      const resumed = await herald.api("POST", `${arnPath}/resume`);
      if (resumed.status !== 200) throw new Error(`resuming the target answered ${resumed.status}`);
      const deadline = Date.now() + 180_000;
      while ((await counter.xlen("herald-bench")) < total) {
        if (Date.now() > deadline) throw new Error(`only ${await counter.xlen("herald-bench")} of ${total} entries within 180 s`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return performance.now() - started;
    };
    await emit(WARMUP_EVENTS);
    await drain(WARMUP_EVENTS);
    await herald.api("POST", `${arnPath}/pause`);
    await emit(EVENTS);
    const deliveredPerSec = EVENTS / ((await drain(WARMUP_EVENTS + EVENTS)) / 1000);
    const raw2 = await rawXaddRate(server.url, "raw-after", EVENTS);
    return { deliveredPerSec, rawPerSec: (raw1 + raw2) / 2 };
  } finally {
    counter.disconnect();
    await emitter.close();
    await herald.stop();
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { deliveredPerSec, rawPerSec } = await runRedisTargetBench();
  const ratio = deliveredPerSec / rawPerSec;
  console.log(`redis target, XADD, batches of ${BATCH_SIZE}, ${CONCURRENCY} in flight, ${EVENTS} events`);
  console.log(`  delivered by Herald:        ${Math.round(deliveredPerSec)} events/s`);
  console.log(`  raw pipelined XADDs:        ${Math.round(rawPerSec)} entries/s`);
  console.log(`  ratio:                      ${ratio.toFixed(2)}  [${ratio >= 0.5 ? "PASS" : "FAIL"}: at least 0.5]`);
}
