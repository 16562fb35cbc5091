/**
 * Redis target throughput (XADD): events a real Herald process delivers per
 * second from a filled queue, next to the rate at which this same harness
 * writes the same entries with pipelined XADDs (same batch size, same
 * concurrency) to the same server. The delivered side: target-drain-bench.ts.
 *
 * Alone: `npx tsx bench/redis-target-bench.ts`.
 */
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { buildNotificationMessage } from "../server/targets/notification-payload.ts";
import { makeItem } from "../test/support/delivery-items.ts";
import { startRedisServer } from "../test/support/redis-server.ts";
import { runConcurrently } from "./emit-client.ts";
import { drainRate } from "./target-drain-bench.ts";

const EVENTS = 50_000;
const BATCH_SIZE = 100;
const CONCURRENCY = 8;
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
  const counter = new Redis(server.url);
  try {
    await rawXaddRate(server.url, "raw-warmup", WARMUP_EVENTS);
    const raw1 = await rawXaddRate(server.url, "raw-before", EVENTS);
    const deliveredPerSec = await drainRate({
      target: { id: "redisbench", type: "redis", config: { url: server.url, mode: "stream", stream: "herald-bench", maxLen: MAX_LEN } },
      batchSize: BATCH_SIZE,
      inFlightLimit: CONCURRENCY,
      events: EVENTS,
      warmupEvents: WARMUP_EVENTS,
      delivered: () => counter.xlen("herald-bench"),
    });
    const raw2 = await rawXaddRate(server.url, "raw-after", EVENTS);
    return { deliveredPerSec, rawPerSec: (raw1 + raw2) / 2 };
  } finally {
    counter.disconnect();
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
