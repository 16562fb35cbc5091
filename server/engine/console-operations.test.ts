import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emitPuts, routeBucketToWebhook } from "../../test/support/engine-fixtures.ts";
import { startHttpReceiver, type HttpReceiver } from "../../test/support/http-receiver.ts";
import { startTestHerald, waitUntil, type TestHerald } from "../../test/support/test-herald.ts";
import { AppError } from "../errors/app-error.ts";
import type { ReplayJob } from "./replay-jobs.ts";

let herald: TestHerald;
let receiver: HttpReceiver;

beforeEach(async () => {
  herald = await startTestHerald();
  receiver = await startHttpReceiver();
});

afterEach(async () => {
  await herald.stop();
  await receiver.stop();
});

describe("engine operations the console calls", () => {
  it("sends a test event straight to a target without queueing or recording it", async () => {
    const arn = await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url });
    const result = await herald.engine.sendTestEvent(arn);
    expect(result).toMatchObject({ ok: true, statusCode: 200, error: null });
    const [request] = await receiver.waitFor(1);
    expect((request!.body as { Key: string }).Key).toBe("herald-test/herald-test-event");
    expect(herald.engine.searchArchive({ limit: 10 }).total).toBe(0);

    receiver.setResponder(() => ({ status: 500 }));
    const failed = await herald.engine.sendTestEvent(arn);
    expect(failed).toMatchObject({ ok: false, statusCode: 500 });
    expect(failed.error).toContain("500");
  });

  it("returns a target's attempts per step, every step present", async () => {
    receiver.setResponder((_req, _body, n) => ({ status: n === 1 ? 500 : 200 }));
    const arn = await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url, delivery: { initialDelayMs: 1 } });
    await emitPuts(herald.engine, "b", ["x", "y"]);
    await receiver.waitFor(3);
    await waitUntil(() => herald.engine.searchArchive({ outcome: "delivered", limit: 10 }).events.length === 2, "both delivered");
    const points = await herald.engine.targetSeries(arn, "15m");
    expect(points).toHaveLength(90);
    expect(points[1]!.t - points[0]!.t).toBe(10_000);
    const sum = (k: "delivered" | "failed" | "retried") => points.reduce((n, p) => n + p[k], 0);
    expect([sum("delivered"), sum("failed"), sum("retried")]).toEqual([2, 1, 1]);
    expect(points.some((p) => p.maxLatencyMs !== null)).toBe(true);
    expect(await herald.engine.targetSeries(arn, "1d")).toHaveLength(96);
  });

  it("replays archived events in the background with progress, and the target gets them again", async () => {
    const arn = await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url });
    await emitPuts(herald.engine, "b", ["1", "2", "3"]);
    await receiver.waitFor(3);
    const progress: ReplayJob[] = [];
    herald.engine.onReplayProgress((job) => progress.push(job));
    const job = await herald.engine.startReplay(arn, { bucket: "b" });
    expect(job).toMatchObject({ state: "running", total: 3 });
    await receiver.waitFor(6);
    await waitUntil(() => progress.some((j) => j.state === "done"), "replay done");
    expect(progress.at(-1)).toMatchObject({ id: job.id, queued: 3, state: "done" });
    expect(herald.engine.replayJobs(arn)[0]).toMatchObject({ id: job.id, state: "done" });
  });

  it("names a rule's own field when a saved rule is invalid, and refuses to replace a rule that is not there", async () => {
    const error = await herald.engine.upsertRule("b", { id: "r", events: ["s3:ObjectCreated:*"], prefix: "a\\b", targetArns: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).field).toBe("prefix");
    const missing = await herald.engine.upsertRule("b", { id: "r", events: ["s3:ObjectCreated:*"], targetArns: [] }, "ghost").catch((e: unknown) => e);
    expect((missing as AppError).code).toBe("NotFound");
  });
});
