/**
 * NATS target throughput: events a real Herald process delivers per second to
 * a core NATS subject, next to the rate at which this same harness publishes
 * the same messages (each event's notification JSON with Herald's headers,
 * built per message as any producer must, a flush per batch of 100) to the
 * same subject itself. (Publishing one pre-encoded payload over and over,
 * header-less, measured 70-190k/s here: a rate no producer of distinct
 * messages reaches, so it is not the baseline.) Both are
 * timed until an independent subscriber has counted every message, so the
 * ratio is Herald's overhead on this machine, not the machine's speed.
 */
import { pathToFileURL } from "node:url";
import { connect, headers, type NatsConnection } from "nats";
import { buildNotificationMessage } from "../server/targets/notification-payload.ts";
import { makeItem } from "../test/support/delivery-items.ts";
import { startHeraldProcess } from "../test/support/herald-process.ts";
import { startNatsServer } from "../test/support/nats-server.ts";
import { createEmitClient, runConcurrently, sampleEvent } from "./emit-client.ts";

const EVENTS = 20_000;
const SUBJECT = "bench.s3";
/** Herald's batch size for the target, and the raw harness's messages per flush. */
const BATCH_SIZE = 100;

/** Counts messages on SUBJECT; `waitFor(n)` resolves once n have arrived since the last reset. */
function counter(nc: NatsConnection) {
  let count = 0;
  let waiter: { n: number; resolve: () => void } | undefined;
  const sub = nc.subscribe(SUBJECT);
  void (async () => {
    for await (const _ of sub) {
      count++;
      if (waiter && count >= waiter.n) waiter.resolve();
    }
  })();
  return {
    reset: () => (count = 0),
    waitFor: (n: number, timeoutMs: number) =>
      new Promise<void>((resolve, reject) => {
        if (count >= n) return resolve();
        const timer = setTimeout(() => reject(new Error(`only ${count} of ${n} messages within ${timeoutMs} ms`)), timeoutMs);
        waiter = { n, resolve: () => (clearTimeout(timer), resolve()) };
      }),
  };
}

/**
 * The harness's own rate for the same writes: the same messages Herald publishes (each event's
 * notification JSON and the same headers), published in batches of BATCH_SIZE with a flush each.
 */
async function rawRate(nc: NatsConnection, count: ReturnType<typeof counter>, total: number): Promise<number> {
  const items = Array.from({ length: total }, (_, i) => makeItem({ bucket: "natsbench", key: `bench/${i % 1000}/object-${i}.json`, size: 1024 + (i % 4096) }));
  const encoder = new TextEncoder();
  count.reset();
  const started = performance.now();
  for (let b = 0; b < total; b += BATCH_SIZE) {
    for (const item of items.slice(b, b + BATCH_SIZE)) {
      const h = headers();
      h.set("Content-Type", "application/json");
      h.set("X-Herald-Event-Id", item.event.id);
      nc.publish(SUBJECT, encoder.encode(JSON.stringify(buildNotificationMessage([item]))), { headers: h });
    }
    await nc.flush();
  }
  await count.waitFor(total, 60_000);
  return total / ((performance.now() - started) / 1000);
}

export async function runNatsTargetBench(): Promise<{ deliveredPerSec: number; rawPerSec: number; endToEndPerSec: number }> {
  const nats = await startNatsServer();
  // The backlog fits the in-memory queue, so the drain measures delivery, not re-reading a spilled queue from SQLite.
  const herald = await startHeraldProcess({ env: { HERALD_LOG_LEVEL: "error", HERALD_DB_SYNC: "FULL", HERALD_QUEUE_MEMORY: String(4 * EVENTS) } });
  const client = createEmitClient(herald.url, herald.token);
  const subscriber = await connect({ servers: nats.url });
  const publisher = await connect({ servers: nats.url });
  try {
    const count = counter(subscriber);
    await subscriber.flush();
    const target = await herald.api<{ arn: string }>("POST", "/api/v1/targets", {
      id: "nats-bench",
      type: "nats",
      config: { servers: [nats.url], subject: SUBJECT },
      delivery: { inFlightLimit: 64, batchSize: BATCH_SIZE, batchTimeoutMs: 5, maxAttempts: 3 },
    });
    if (target.status >= 300) throw new Error(`creating the target answered ${target.status}: ${JSON.stringify(target.json)}`);
    await herald.api("PUT", "/api/v1/buckets/natsbench/notification", {
      rules: [{ id: "all", events: ["s3:ObjectCreated:*"], targetArns: [target.json.arn] }],
    });

    await rawRate(publisher, count, 2_000); // warm-up
    const raw1 = await rawRate(publisher, count, EVENTS);

    // End to end: emits (durably committed) and deliveries overlap; accepting bounds this one.
    count.reset();
    let started = performance.now();
    await runConcurrently(EVENTS / 500, 4, async (r) => {
      await client.emit(Array.from({ length: 500 }, (_, j) => sampleEvent("natsbench", r * 500 + j)));
    });
    await count.waitFor(EVENTS, 120_000);
    const endToEndPerSec = EVENTS / ((performance.now() - started) / 1000);

    // Delivery: the same events queued while the target is paused, timed from resume until all are counted
    // (after the end-to-end run above has warmed up the connection and the code paths).
    const arn = encodeURIComponent(target.json.arn);
    await herald.api("POST", `/api/v1/targets/${arn}/pause`);
    await runConcurrently(EVENTS / 500, 4, async (r) => {
      await client.emit(Array.from({ length: 500 }, (_, j) => sampleEvent("natsbench", r * 500 + j)));
    });
    count.reset();
    started = performance.now();
    await herald.api("POST", `/api/v1/targets/${arn}/resume`);
    await count.waitFor(EVENTS, 120_000);
    const deliveredPerSec = EVENTS / ((performance.now() - started) / 1000);
    const raw2 = await rawRate(publisher, count, EVENTS);
    return { deliveredPerSec, rawPerSec: (raw1 + raw2) / 2, endToEndPerSec };
  } finally {
    await client.close();
    await Promise.all([subscriber.close(), publisher.close()]);
    await herald.stop();
    await nats.dispose();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { deliveredPerSec, rawPerSec, endToEndPerSec } = await runNatsTargetBench();
  const ratio = deliveredPerSec / rawPerSec;
  console.log(`NATS target: emit-to-delivery events/s    ${endToEndPerSec.toFixed(0)}  (includes durable accepts)`);
  console.log(`NATS target: delivered events/s (drain)   ${deliveredPerSec.toFixed(0)}`);
  console.log(`NATS raw publish events/s (same harness)  ${rawPerSec.toFixed(0)}`);
  console.log(`ratio                                     ${ratio.toFixed(3)}  [${ratio >= 0.5 ? "PASS" : "FAIL"}: at least 0.5]`);
}
