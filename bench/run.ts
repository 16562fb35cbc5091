/**
 * `npm run bench`: Herald's hot paths, measured side by side in one run on
 * this machine. The machine is shared and noisy, so the figures that carry a
 * bar are ratios against a baseline measured by the same harness in the same
 * run.
 */
import { Pool } from "undici";
import { startHeraldProcess } from "../test/support/herald-process.ts";
import { createEmitClient, runConcurrently, sampleEvent } from "./emit-client.ts";
import { startLoopbackReceiver } from "./loopback-receiver.ts";
import { runMatcherBench } from "./matcher-bench.ts";
import { runS3Bench } from "./s3-bench.ts";
import { runNatsTargetBench } from "./nats-target-bench.ts";
import { runPostgresTargetBench } from "./postgres-target-bench.ts";
import { runRedisTargetBench } from "./redis-target-bench.ts";
import { runSelectBench } from "./select-bench.ts";

const DELIVERY_EVENTS = 20_000;
const ACCEPT_EVENTS = 50_000;
const LATENCY_SECONDS = 10;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

function line(label: string, value: string, bar?: { ok: boolean; text: string }): void {
  const verdict = bar ? `  [${bar.ok ? "PASS" : "FAIL"}: ${bar.text}]` : "";
  console.log(`${label.padEnd(58)} ${value}${verdict}`);
}

async function rawReceiverRate(url: string, body: string, total: number): Promise<number> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: 64, pipelining: 1 });
  const started = performance.now();
  await runConcurrently(total, 64, async () => {
    const res = await pool.request({ method: "POST", path: target.pathname, headers: { "content-type": "application/json" }, body });
    await res.body.dump();
  });
  const rate = total / ((performance.now() - started) / 1000);
  await pool.close();
  return rate;
}

async function main(): Promise<void> {
  console.log("Herald bench: starting a real Herald server process and a loopback webhook receiver...\n");
  const receiver = await startLoopbackReceiver();
  const herald = await startHeraldProcess({ env: { HERALD_LOG_LEVEL: "error", HERALD_DB_SYNC: "FULL" } });
  const client = createEmitClient(herald.url, herald.token);
  try {
    const target = await herald.api<{ arn: string }>("POST", "/api/v1/targets", {
      id: "bench",
      type: "webhook",
      config: { endpoint: receiver.url },
      delivery: { inFlightLimit: 64, maxAttempts: 3 },
    });
    const parked = await herald.api<{ arn: string }>("POST", "/api/v1/targets", {
      id: "parked",
      type: "webhook",
      config: { endpoint: receiver.url },
      paused: true,
    });
    await herald.api("PUT", "/api/v1/buckets/bench/notification", {
      rules: [{ id: "all", events: ["s3:ObjectCreated:*"], targetArns: [target.json.arn] }],
    });
    await herald.api("PUT", "/api/v1/buckets/accept/notification", {
      rules: [{ id: "all", events: ["s3:ObjectCreated:*"], targetArns: [parked.json.arn] }],
    });

    // (a) durable acceptance: each answered event is committed (synchronous=FULL) with its delivery row.
    let started = performance.now();
    await runConcurrently(ACCEPT_EVENTS / 500, 4, async (r) => {
      await client.emit(Array.from({ length: 500 }, (_, j) => sampleEvent("accept", r * 500 + j)));
    });
    const acceptBatched = ACCEPT_EVENTS / ((performance.now() - started) / 1000);
    started = performance.now();
    await runConcurrently(5000, 32, async (i) => {
      await client.emit([sampleEvent("accept", i)]);
    });
    const acceptSingle = 5000 / ((performance.now() - started) / 1000);

    // (b) delivery throughput against the receiver's raw rate for the same POSTs from the same harness.
    const sampleBody = JSON.stringify({
      EventName: "s3:ObjectCreated:Put",
      Key: "bench/object.json",
      Records: [{ eventName: "s3:ObjectCreated:Put", s3: { object: { key: "bench/object.json", size: 1024 } }, responseElements: {} }],
    });
    await rawReceiverRate(receiver.url, sampleBody, 2000); // warm-up
    const raw1 = await rawReceiverRate(receiver.url, sampleBody, DELIVERY_EVENTS);
    receiver.reset();
    started = performance.now();
    await runConcurrently(DELIVERY_EVENTS / 500, 4, async (r) => {
      await client.emit(Array.from({ length: 500 }, (_, j) => sampleEvent("bench", r * 500 + j)));
    });
    await receiver.waitFor(DELIVERY_EVENTS, 120_000);
    const delivered = DELIVERY_EVENTS / ((performance.now() - started) / 1000);
    const raw2 = await rawReceiverRate(receiver.url, sampleBody, DELIVERY_EVENTS);
    const raw = (raw1 + raw2) / 2;

    // (c) emit-to-delivery latency at a steady 1,000 events/s (5 events every 5 ms).
    receiver.reset();
    const sentAt = new Map<string, number>();
    const ticks = (LATENCY_SECONDS * 1000) / 5;
    const t0 = Date.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < ticks; i++) {
      const due = t0 + i * 5;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const sent = Date.now();
      inflight.push(
        client.emit(Array.from({ length: 5 }, (_, j) => sampleEvent("bench", i * 5 + j))).then((ids) => {
          for (const id of ids) sentAt.set(id, sent);
        }),
      );
    }
    await Promise.all(inflight);
    await receiver.waitFor(ticks * 5, 60_000);
    const latencies = [...sentAt].map(([id, sent]) => (receiver.arrivals.get(id) ?? NaN) - sent).filter((v) => Number.isFinite(v));
    const achievedRate = (ticks * 5) / ((Date.now() - t0) / 1000);

    // (d) matcher lookups.
    const matcher = await runMatcherBench();

    // (e), (f) the S3 endpoint, in Herald processes of their own.
    const s3 = await runS3Bench(receiver);

    // (g) S3 Select scans of a generated CSV of at least 500 MB, next to DuckDB on the same file.
    const select = await runSelectBench();

    // (h) targets: delivered per second from a filled queue vs. the harness's own raw writes to the same server.
    const targets = [
      { label: "Redis (XADD, pipelined)", ...(await runRedisTargetBench()) },
      { label: "PostgreSQL (access format)", ...(await runPostgresTargetBench()) },
      { label: "NATS (core publish)", ...(await runNatsTargetBench()) },
    ];

    console.log("");
    line("(a) durable emits accepted/s, 500 per request", acceptBatched.toFixed(0));
    line("(a) durable emits accepted/s, 1 per request (32 clients)", acceptSingle.toFixed(0));
    line("(b) receiver raw rate, direct POSTs (events/s)", raw.toFixed(0));
    line("(b) Herald delivered to the same receiver (events/s)", delivered.toFixed(0));
    line("(b) ratio delivered / raw", (delivered / raw).toFixed(2), { ok: delivered / raw >= 0.5, text: ">= 0.5" });
    line(`(c) emit-to-delivery at ${achievedRate.toFixed(0)} events/s: p50 ms`, percentile(latencies, 50).toFixed(1));
    line("(c) emit-to-delivery p99 ms", percentile(latencies, 99).toFixed(1), {
      ok: percentile(latencies, 99) < 50,
      text: "< 50 ms",
    });
    line("(d) matcher lookups/s with 10 rules", matcher.rules10.toFixed(0), { ok: matcher.rules10 >= 500_000, text: ">= 500,000" });
    line("(d) matcher lookups/s with 100,000 rules", matcher.rules100k.toFixed(0), {
      ok: matcher.rules100k >= 500_000,
      text: ">= 500,000",
    });
    line("(d) ratio 100,000 rules / 10 rules", (matcher.rules100k / matcher.rules10).toFixed(2), {
      ok: matcher.rules100k / matcher.rules10 >= 0.5,
      text: ">= 0.5",
    });
    line("(e) S3 4 KiB PutObjects/s with events on (sync)", s3.putsWithEvents.toFixed(0));
    line("(e) S3 4 KiB PutObjects/s with events off", s3.putsWithoutEvents.toFixed(0));
    line("(e) ratio on / off", (s3.putsWithEvents / s3.putsWithoutEvents).toFixed(2), { ok: s3.putsWithEvents / s3.putsWithoutEvents >= 0.8, text: ">= 0.8" });
    line("(f) GetObject of a 1 GiB object, MB/s (1 MiB socket reads)", s3.getMBps.toFixed(0));
    line("(f) the same through the AWS SDK, MB/s (64 KiB reads)", s3.sdkGetMBps.toFixed(0));
    line("(f) reading a 1 GiB file from the same disk, MB/s", s3.diskMBps.toFixed(0));
    line("(f) ratio GetObject / disk", (s3.getMBps / s3.diskMBps).toFixed(2), { ok: s3.getMBps / s3.diskMBps >= 0.5, text: ">= 0.5" });
    for (const query of select.queries) {
      line(`(g) S3 Select ${query.label} on ${select.objectMB.toFixed(0)} MiB: Herald MiB/s`, query.heraldMBps.toFixed(0));
      line(`(g) the same query in DuckDB on the file, MiB/s`, query.duckdbMBps.toFixed(0));
      line(`(g) ratio Herald / DuckDB (${query.rows})`, (query.heraldMBps / query.duckdbMBps).toFixed(2), {
        ok: query.heraldMBps / query.duckdbMBps >= 0.5,
        text: ">= 0.5",
      });
    }
    line("(g) Herald's peak resident memory during the queries, MiB", select.heraldPeakMiB.toFixed(0), { ok: select.heraldPeakMiB < 512, text: "< 512 MiB" });
    for (const target of targets) {
      line(`(h) ${target.label}: delivered/s vs raw/s`, `${target.deliveredPerSec.toFixed(0)} vs ${target.rawPerSec.toFixed(0)}`);
      line(`(h) ${target.label}: ratio`, (target.deliveredPerSec / target.rawPerSec).toFixed(2), {
        ok: target.deliveredPerSec / target.rawPerSec >= 0.5,
        text: ">= 0.5",
      });
    }
  } finally {
    await client.close();
    await herald.stop();
    await receiver.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
