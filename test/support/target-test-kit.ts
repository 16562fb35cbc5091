import { expect } from "vitest";
import type { z } from "zod";
import type { TargetInput } from "../../server/settings/target-input.ts";
import type { TargetStatsSnapshot } from "../../server/pipeline/target-stats.ts";
import { silentLogger } from "../../server/logging/logger.ts";
import { DeliveryError } from "../../server/targets/delivery-error.ts";
import type { DeliveryItem, Target, TargetType } from "../../server/targets/target.ts";
import { makeItem } from "./delivery-items.ts";
import { emitPuts } from "./engine-fixtures.ts";
import { eventually } from "./eventually.ts";
import { startTestHerald, waitUntil, type TestHerald } from "./test-herald.ts";

/**
 * What every target type's tests need: targets built straight from a config
 * (and closed after each test), a real Herald routing a bucket to a target,
 * and the engine-outage scenario every networked target must survive.
 */

/**
 * Targets a test file opens, built the way the registry builds them
 * (schema-parsed config, silent logger), and the test Heralds it routes to
 * targets: closeAll() after each test shuts them all down.
 */
export class OpenTargets {
  private readonly open: Target[] = [];
  private readonly heralds: TestHerald[] = [];

  constructor(private readonly context: { id: string; arn: string }) {}

  create<S extends z.ZodType>(type: TargetType<S>, config: z.input<S>): Target {
    const target = type.create(type.configSchema.parse(config), { ...this.context, logger: silentLogger() });
    this.open.push(target);
    return target;
  }

  /** startTargetHerald, with the Herald stopped by closeAll(). */
  async route(...args: Parameters<typeof startTargetHerald>): Promise<RoutedTarget> {
    const routed = await startTargetHerald(...args);
    this.heralds.push(routed.herald);
    return routed;
  }

  /** For afterEach: closes every target the test opened and stops every Herald it routed. */
  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((t) => t.close()));
    for (const herald of this.heralds.splice(0)) await herald.stop();
  }
}

/** The DeliveryError a send fails with; fails the test if the send succeeds or throws anything else. */
export async function sendError(target: Target, batch: DeliveryItem[] = [makeItem()]): Promise<DeliveryError> {
  try {
    await target.send(batch);
  } catch (error) {
    expect(error).toBeInstanceOf(DeliveryError);
    return error as DeliveryError;
  }
  throw new Error("the send succeeded");
}

export { eventually };

/** A test Herald with one target and bucket "media" routed to it (rule "r"). */
export interface RoutedTarget {
  herald: TestHerald;
  arn: string;
  stats(): Promise<TargetStatsSnapshot>;
}

/** Fast retries by default, so an outage test drains within seconds of the server coming back. */
export const FAST_RETRY = { initialDelayMs: 50, maxDelayMs: 500, jitter: 0, maxAttempts: 1000 } as const;

/**
 * Starts a test Herald, creates the target and routes bucket "media" to it.
 * The caller stops `herald` (after each test).
 */
export async function startTargetHerald(
  target: Omit<TargetInput, "delivery"> & { delivery?: Record<string, unknown> },
  events: string[] = ["s3:ObjectCreated:*"],
): Promise<RoutedTarget> {
  const herald = await startTestHerald();
  const created = await herald.engine.createTarget({ ...target, delivery: { ...FAST_RETRY, ...target.delivery } } as TargetInput);
  await herald.engine.putBucketConfig("media", { rules: [{ id: "r", events, targetArns: [created.arn] }] });
  const stats = async () => (await herald.engine.getTarget(created.arn)).stats!;
  return { herald, arn: created.arn, stats };
}

/** waitUntil on the target's stats; a timeout says what they were, so a failed wait shows why (dead letters, the last error). */
export async function waitForStats(routed: RoutedTarget, check: (stats: TargetStatsSnapshot) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  let last: TargetStatsSnapshot | undefined;
  try {
    await waitUntil(async () => check((last = await routed.stats())), what, timeoutMs);
  } catch (error) {
    const { queued, delivered, deadLetters, attempts, health, lastError } = last ?? {};
    throw new Error(`${(error as Error).message}; stats: ${JSON.stringify({ queued, delivered, deadLetters, attempts, health, lastError })}`, { cause: error });
  }
}

/** Object-created events for `keys` in bucket "media"; returns their event ids. */
export async function emitEvents(routed: RoutedTarget, keys: string[]): Promise<string[]> {
  return (await emitPuts(routed.herald.engine, "media", keys)).map((a) => a.id);
}

export interface OutageScenario {
  /** Stops the server (keeping its data, on the same port). */
  stop(): Promise<void>;
  /** Starts it again. */
  start(): Promise<void>;
  /** Keys emitted and delivered before the stop; by default "1" to "5". */
  before?: string[];
  /** Batches of keys emitted while the server is down, the queue growing by each; by default "6" to "10", then "11" to "15". */
  during?: string[][];
  /** What the target's last error says once it is failing. */
  lastError?: RegExp;
  /** What the health check says while the server is down (else it only has to fail). */
  healthError?: RegExp;
  /** More checks while the server is down, before it is started again. */
  whileDown?: () => void | Promise<void>;
  failingTimeoutMs?: number;
  drainTimeoutMs?: number;
}

/**
 * The outage every networked target must survive without a Herald restart:
 * deliver, lose the server, turn failing and queue everything accepted
 * meanwhile, then drain it all once the server is back, nothing lost and
 * nothing dead-lettered, and report healthy again. The server is started
 * again even when a check fails, so the next test finds it up. Returns the
 * ids of every accepted event, for the test to find at the receiving end.
 */
const OUTAGE_BEFORE = ["1", "2", "3", "4", "5"];
const OUTAGE_DURING = [
  ["6", "7", "8", "9", "10"],
  ["11", "12", "13", "14", "15"],
];

export async function expectOutageRecovery(routed: RoutedTarget, scenario: OutageScenario): Promise<string[]> {
  const { herald, arn, stats } = routed;
  const { before = OUTAGE_BEFORE, during = OUTAGE_DURING } = scenario;
  const ids = await emitEvents(routed, before);
  await waitForStats(routed, (now) => now.delivered === ids.length, `the first ${ids.length} delivered`);

  await scenario.stop();
  try {
    let queued = 0;
    for (const [i, keys] of during.entries()) {
      ids.push(...(await emitEvents(routed, keys)));
      queued += keys.length;
      if (i === 0) {
        await waitForStats(routed, (now) => now.health === "failing" && now.lastError !== null, "the target failing, a send having failed", scenario.failingTimeoutMs ?? 15_000);
        const down = await stats();
        expect(down.queued).toBe(queued);
        if (scenario.lastError) expect(down.lastError?.message).toMatch(scenario.lastError);
      } else {
        const expected = queued;
        await waitForStats(routed, (now) => now.queued === expected, "the queue growing");
      }
    }
    const health = await herald.engine.checkTargetHealth(arn);
    expect(health.ok).toBe(false);
    if (scenario.healthError) expect(health.error).toMatch(scenario.healthError);
    await scenario.whileDown?.();
  } finally {
    await scenario.start();
  }

  await waitForStats(routed, (now) => now.queued === 0, "the queue drained", scenario.drainTimeoutMs ?? 20_000);
  const up = await stats();
  expect(up.delivered).toBe(ids.length);
  expect(up.deadLetters).toBe(0);
  expect(up.deadLettered).toBe(0);
  expect((await herald.engine.checkTargetHealth(arn)).ok).toBe(true);
  return ids;
}

/**
 * A target that cannot deliver (wrong credentials, say) under the block
 * policy: its health names the problem, and everything accepted stays
 * queued (nothing delivered, nothing dead-lettered) while it keeps retrying.
 * Returns the ids of the held events.
 */
export async function expectHeldInQueue(
  routed: RoutedTarget,
  expected: { healthError: RegExp; lastError: RegExp; keys?: string[]; attempts?: number; health?: "failing" },
): Promise<string[]> {
  const { herald, arn, stats } = routed;
  const keys = expected.keys ?? ["a", "b", "c"];
  const ids = await emitEvents(routed, keys);
  const health = await herald.engine.checkTargetHealth(arn);
  expect(health.ok).toBe(false);
  expect(health.error).toMatch(expected.healthError);
  await waitForStats(routed, (now) => now.attempts >= (expected.attempts ?? keys.length), "retries");
  const blocked = await stats();
  expect(blocked).toMatchObject({ delivered: 0, queued: keys.length, deadLetters: 0, ...(expected.health ? { health: expected.health } : {}) });
  expect(blocked.lastError?.message).toMatch(expected.lastError);
  return ids;
}

/**
 * A target used directly (no pipeline) across a server restart: sends fail
 * retryably while the server is gone and health says so, and the target
 * recovers by itself once it is back. Returns the item that got through
 * after the restart.
 */
export async function expectSendRecovery(
  target: Target,
  server: { stop(): Promise<void>; start(): Promise<void> },
  expected: { error?: RegExp; withinMs?: number } = {},
): Promise<DeliveryItem> {
  await target.init();
  await target.send([makeItem()]);
  await server.stop();
  const started = Date.now();
  const error = await sendError(target);
  if (expected.withinMs !== undefined) expect(Date.now() - started).toBeLessThan(expected.withinMs);
  expect(error.retryable).toBe(true);
  if (expected.error) expect(error.message).toMatch(expected.error);
  expect((await target.healthCheck()).ok).toBe(false);

  await server.start();
  const item = makeItem();
  await eventually(() => target.send([item]), 10_000);
  expect((await target.healthCheck()).ok).toBe(true);
  return item;
}

/** A target whose server is down at init starts delivering once it is up, with no restart of its own. */
export async function expectDeliversOnceUp(target: Target, startServer: () => Promise<unknown>): Promise<void> {
  await expect(target.init()).rejects.toThrow();
  await startServer();
  await eventually(() => target.send([makeItem()]), 10_000);
}
