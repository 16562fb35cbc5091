import { afterEach, describe, expect, it } from "vitest";
import { toNewEvent } from "../../server/events/build-record.ts";
import type { Target } from "../../server/targets/target.ts";
import { freePort } from "./free-port.ts";
import { expectHeldInQueue, expectOutageRecovery, sendError, startTargetHerald, type RoutedTarget } from "./target-test-kit.ts";
import { waitUntil, type TestHerald } from "./test-herald.ts";

/** A SQL server a test owns: stopped and started again with the same data, then destroyed. */
export interface SqlServerUnderTest {
  password: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export interface SqlEngineUnderTest<S extends SqlServerUnderTest> {
  /** The target type: "postgres" or "mysql". */
  type: string;
  /** The target id the tests create. */
  id: string;
  startServer(): Promise<S>;
  /** The file's shared server (started in its beforeAll). */
  sharedServer(): S;
  /** Connection fields for a fresh table on `server` (the shared one by default). */
  connection(server?: S): Record<string, unknown> & { table: string };
  /** The x-herald-event-id of every row of `table`, read from `column` by the test's own client. */
  eventIds(server: S, table: string, column: "event_data" | "value"): Promise<string[]>;
  /** What the target's errors say when the server goes away, and under a wrong password (health, last error). */
  errors: { outage: RegExp; wrongPasswordHealth: RegExp; wrongPassword: RegExp };
}

/**
 * The engine-level tests PostgreSQL and MySQL targets share word for word:
 * both table formats survive a server restart with nothing lost, a wrong
 * password blocks the queue until it is fixed, and the default failure
 * policy dead-letters instead of losing events.
 */
export function describeSqlTargetThroughEngine<S extends SqlServerUnderTest>(engine: SqlEngineUnderTest<S>): void {
  describe(`${engine.type} through the engine`, () => {
    let own: S | undefined;
    let herald: TestHerald | undefined;

    afterEach(async () => {
      await herald?.stop();
      herald = undefined;
      await own?.destroy();
      own = undefined;
    });

    async function route(config: Record<string, unknown>, delivery: Record<string, unknown> = {}): Promise<RoutedTarget> {
      const routed = await startTargetHerald(
        { id: engine.id, type: engine.type, config: { ...config }, delivery: { maxDelayMs: 300, batchSize: 20, ...delivery } },
        ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
      );
      herald = routed.herald;
      return routed;
    }

    for (const format of ["access", "namespace"] as const) {
      it(`${format}: fails while the server is down, queues, and drains everything once it is back, Herald never restarted`, async () => {
        const server = await engine.startServer();
        own = server;
        const config = { ...engine.connection(server), format };
        const keys = (from: number, n: number) => Array.from({ length: n }, (_, i) => `v/${from + i}.mp4`);
        const ids = await expectOutageRecovery(await route(config), {
          stop: () => server.stop(),
          start: () => server.start(),
          before: keys(0, 40),
          during: [keys(40, 60)],
          lastError: engine.errors.outage,
        });
        const stored = await engine.eventIds(server, config.table, format === "access" ? "event_data" : "value");
        // Every accepted event exactly once.
        expect(stored.sort()).toEqual(ids.sort());
      }, 60_000);
    }

    it("keeps events queued under a wrong password, with a clear health error, and delivers them once it is fixed", async () => {
      const config = { ...engine.connection(), password: "wrong-password" };
      const routed = await route(config, { failurePolicy: "block" });
      const accepted = await expectHeldInQueue(routed, {
        keys: ["a.mp4", "b.mp4", "c.mp4"],
        healthError: engine.errors.wrongPasswordHealth,
        lastError: engine.errors.wrongPassword,
        attempts: 6,
        health: "failing",
      });

      await routed.herald.engine.updateTarget(routed.arn, { config: { ...config, password: engine.sharedServer().password } });
      await waitUntil(async () => (await routed.stats()).queued === 0, "the queue drained after the fix");
      expect((await engine.eventIds(engine.sharedServer(), config.table, "event_data")).sort()).toEqual(accepted.sort());
    }, 60_000);

    it("applies the default failure policy: dead-lettered after maxAttempts, not lost", async () => {
      const routed = await route({ ...engine.connection(), password: "wrong-password" }, { maxAttempts: 2 });
      await routed.herald.engine.submit([toNewEvent({ eventName: "s3:ObjectCreated:Put", bucket: "media", key: "x", size: 1, eTag: "e" }, { region: "us-east-1", now: Date.now() })]);
      await waitUntil(async () => (await routed.stats()).deadLetters === 1, "the event dead-lettered");
      expect((await routed.stats()).delivered).toBe(0);
    }, 30_000);
  });
}

export interface SqlTargetFactory {
  /** A target (closed after the test) for the given connection fields. */
  target(config: Record<string, unknown>): Target;
  /** Connection fields for a fresh table on the file's shared server. */
  connection(): Record<string, unknown>;
  errors: {
    /** What init and health say under a wrong password. */
    wrongPasswordInit: RegExp;
    wrongPasswordHealth: RegExp;
    /** What a send's error says under a wrong password. */
    wrongPasswordSend: string;
    /** What a send's error says when nothing listens. */
    unreachable: RegExp;
  };
}

/**
 * The health checks PostgreSQL and MySQL targets share, as `it`s of the
 * caller's describe: healthy when the server answers, a wrong password named
 * and retryable, nothing listening reported fast and retryably.
 */
export function itChecksSqlTargetHealth(engine: SqlTargetFactory): void {
  it("is healthy when the server answers", async () => {
    const target = engine.target(engine.connection());
    const health = await target.healthCheck();
    expect(health).toMatchObject({ ok: true });
    expect(health.error).toBeUndefined();
  });

  it("names a wrong password, retryably, so the queue keeps the events", async () => {
    const target = engine.target({ ...engine.connection(), password: "not-the-password" });
    await expect(target.init()).rejects.toThrow(engine.errors.wrongPasswordInit);
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(engine.errors.wrongPasswordHealth);
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain(engine.errors.wrongPasswordSend);
  });

  it("fails fast and retryably when nothing listens", async () => {
    const target = engine.target({ ...engine.connection(), port: await freePort() });
    const started = Date.now();
    const error = await sendError(target);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(engine.errors.unreachable);
    expect((await target.healthCheck()).error).toMatch(/ECONNREFUSED/);
  });
}
