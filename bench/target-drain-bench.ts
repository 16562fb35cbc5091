/**
 * The delivered side of the (h) target benches: a real Herald process whose
 * target is created paused, so its queue fills first and the clock runs on
 * delivery alone (Herald's durable acceptance, bench (a), would otherwise set
 * the pace). The backlog fits the in-memory queue, so the drain measures
 * delivery, not re-reading a spilled queue from SQLite. One warm-up drain
 * first, as the raw side has its own warm-up.
 */
import { startHeraldProcess } from "../test/support/herald-process.ts";
import { createEmitClient, runConcurrently, sampleEvent } from "./emit-client.ts";

const EMIT_CHUNK = 500;

export interface DrainBenchOptions {
  /** The target's id, type and config, as `POST /api/v1/targets` takes them. */
  target: { id: string; type: string; config: Record<string, unknown> };
  batchSize: number;
  inFlightLimit: number;
  events: number;
  warmupEvents: number;
  /** How many events the target's server holds so far (rows, stream entries...). */
  delivered(): Promise<number>;
}

/** Events delivered per second from a filled queue. */
export async function drainRate(options: DrainBenchOptions): Promise<number> {
  const { events, warmupEvents } = options;
  const herald = await startHeraldProcess({ env: { HERALD_LOG_LEVEL: "error", HERALD_DB_SYNC: "FULL", HERALD_QUEUE_MEMORY: String(2 * (events + warmupEvents)) } });
  const emitter = createEmitClient(herald.url, herald.token);
  try {
    const target = await herald.api<{ arn: string }>("POST", "/api/v1/targets", {
      ...options.target,
      delivery: { batchSize: options.batchSize, inFlightLimit: options.inFlightLimit, maxAttempts: 3 },
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
      if (resumed.status !== 200) throw new Error(`resuming the target answered ${resumed.status}: ${JSON.stringify(resumed.json)}`);
      const deadline = Date.now() + 180_000;
      while ((await options.delivered()) < total) {
        if (Date.now() > deadline) throw new Error(`only ${await options.delivered()} of ${total} events arrived within 180 s`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return performance.now() - started;
    };
    await emit(warmupEvents);
    await drain(warmupEvents);
    await herald.api("POST", `${arnPath}/pause`);
    await emit(events);
    return events / ((await drain(warmupEvents + events)) / 1000);
  } finally {
    await emitter.close();
    await herald.stop();
  }
}
