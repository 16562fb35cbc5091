import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emitPuts, receivedIds, receivedRecords, routeBucketToWebhook } from "../../test/support/engine-fixtures.ts";
import { startHttpReceiver, type HttpReceiver } from "../../test/support/http-receiver.ts";
import { startTestHerald, waitUntil, type TestHerald } from "../../test/support/test-herald.ts";

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

describe("delivery to a webhook", () => {
  it("delivers an emitted event as S3 notification JSON with the rule as configurationId", async () => {
    await routeBucketToWebhook(herald.engine, { bucket: "photos", endpoint: receiver.url });
    const [accepted] = await emitPuts(herald.engine, "photos", ["2026/my cat.jpg"], { contentType: "image/jpeg", metadata: { "x-amz-meta-owner": "ann" } });
    const [request] = await receiver.waitFor(1);
    const body = request!.body as { EventName: string; Key: string; Records: Record<string, any>[] };
    expect(body.EventName).toBe("s3:ObjectCreated:Put");
    expect(body.Key).toBe("photos/2026/my cat.jpg");
    expect(body.Records).toHaveLength(1);
    const record = body.Records[0]!;
    expect(record.eventVersion).toBe("2.1");
    expect(record.eventName).toBe("s3:ObjectCreated:Put");
    expect(record.s3.configurationId).toBe("hook-rule");
    expect(record.s3.bucket).toMatchObject({ name: "photos", arn: "arn:aws:s3:::photos" });
    expect(record.s3.object).toMatchObject({ key: "2026/my+cat.jpg", size: 10, eTag: "abc", contentType: "image/jpeg" });
    expect(record.s3.object.sequencer).toBe(accepted!.seq.toString(16).toUpperCase().padStart(16, "0"));
    expect(record.responseElements["x-herald-event-id"]).toBe(accepted!.id);
    expect(request!.headers["x-herald-event-id"]).toBe(accepted!.id);
  });

  it("retries a receiver that answers 500 and records both attempts", async () => {
    receiver.setResponder((_req, _body, n) => ({ status: n === 1 ? 500 : 200 }));
    const arn = await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url });
    const [accepted] = await emitPuts(herald.engine, "b", ["k"]);
    await receiver.waitFor(2);
    await waitUntil(() => herald.engine.eventDetail(accepted!.id).event.outcome === "delivered", "delivered outcome");
    const detail = herald.engine.eventDetail(accepted!.id);
    expect(detail.attempts.map((a) => [a.attempt, a.outcome, a.statusCode])).toEqual([
      [1, "retry", 500],
      [2, "success", 200],
    ]);
    const stats = (await herald.engine.getTarget(arn)).stats!;
    expect(stats).toMatchObject({ delivered: 1, retried: 1, failed: 1, queued: 0 });
  });

  it("dead-letters after max attempts, and a retry from dead letters delivers", async () => {
    receiver.setResponder(() => ({ status: 503 }));
    const arn = await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url, delivery: { maxAttempts: 3 } });
    const accepted = await emitPuts(herald.engine, "b", ["a", "b"]);
    await waitUntil(async () => (await herald.engine.deadLetters(arn, { limit: 10 })).length === 2, "two dead letters");
    expect(receiver.requests).toHaveLength(6);
    const stats = (await herald.engine.getTarget(arn)).stats!;
    expect(stats).toMatchObject({ deadLetters: 2, deadLettered: 2, queued: 0, delivered: 0 });
    expect(herald.engine.searchArchive({ outcome: "dead", limit: 10 }).events.map((e) => e.id).sort()).toEqual(accepted.map((a) => a.id).sort());

    receiver.setResponder(() => ({ status: 200 }));
    receiver.reset();
    const dead = await herald.engine.deadLetters(arn, { limit: 10 });
    expect(await herald.engine.retryDeadLetters(arn, [dead[0]!.deliveryId])).toEqual({ requeued: 1 });
    await receiver.waitFor(1);
    expect(receivedIds(receiver.requests)).toEqual([dead[0]!.event.id]);
    expect(await herald.engine.retryDeadLetters(arn, undefined)).toEqual({ requeued: 1 });
    await receiver.waitFor(2);
    await waitUntil(() => herald.engine.searchArchive({ outcome: "delivered", limit: 10 }).events.length === 2, "both delivered");
    expect((await herald.engine.getTarget(arn)).stats!.deadLetters).toBe(0);
    expect(new Set(receivedIds(receiver.requests))).toEqual(new Set(accepted.map((a) => a.id)));
  });

  it("sends other 4xx straight to dead letters, and 410 also pauses the target", async () => {
    receiver.setResponder((_r, _b, n) => ({ status: n === 1 ? 404 : 410 }));
    const arn = await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url, delivery: { inFlightLimit: 1 } });
    await emitPuts(herald.engine, "b", ["one"]);
    await waitUntil(async () => (await herald.engine.getTarget(arn)).stats!.deadLetters === 1, "404 dead-lettered");
    await emitPuts(herald.engine, "b", ["two"]);
    await waitUntil(async () => (await herald.engine.getTarget(arn)).paused, "paused by 410");
    await emitPuts(herald.engine, "b", ["three"]);
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.requests).toHaveLength(2);
    const target = await herald.engine.getTarget(arn);
    expect(target.stats!.health).toBe("paused");
    expect(target.stats!.queued).toBe(1);
    await herald.engine.setTargetPaused(arn, false);
    await receiver.waitFor(3);
  });

  it("discards instead of dead-lettering under the discard policy", async () => {
    receiver.setResponder(() => ({ status: 500 }));
    const arn = await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url, delivery: { maxAttempts: 2, failurePolicy: "discard" } });
    const [accepted] = await emitPuts(herald.engine, "b", ["k"]);
    await waitUntil(async () => (await herald.engine.getTarget(arn)).stats!.discarded === 1, "discarded");
    expect((await herald.engine.getTarget(arn)).stats!.deadLetters).toBe(0);
    await waitUntil(() => herald.engine.eventDetail(accepted!.id).event.outcome === "discarded", "discarded outcome stored");
    expect(herald.engine.eventDetail(accepted!.id).attempts.map((a) => a.outcome)).toEqual(["retry", "discarded"]);
  });

  it("blocks the queue in order under the block policy until the head succeeds", async () => {
    let failuresLeft = 3;
    receiver.setResponder(() => (failuresLeft-- > 0 ? { status: 500 } : { status: 200 }));
    await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url, delivery: { failurePolicy: "block", maxAttempts: 1 } });
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    await emitPuts(herald.engine, "b", keys);
    await receiver.waitFor(13);
    const sequence = receivedRecords(receiver.requests).map((r) => r.s3.object.key);
    expect(sequence.slice(0, 4)).toEqual(["k0", "k0", "k0", "k0"]);
    expect(sequence.slice(4)).toEqual(keys.slice(1));
  });

  it("batches events into one POST whose Records[] holds the batch", async () => {
    await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url, delivery: { batchSize: 5, batchTimeoutMs: 200, inFlightLimit: 1 } });
    const accepted = await emitPuts(herald.engine, "b", ["1", "2", "3", "4", "5", "6", "7"]);
    await receiver.waitFor(2);
    expect(receiver.requests.map((r) => (r.body as { Records: unknown[] }).Records.length)).toEqual([5, 2]);
    expect(receivedIds(receiver.requests)).toEqual(accepted.map((a) => a.id));
    expect(receiver.requests[0]!.headers["x-herald-event-id"]).toBe(accepted.slice(0, 5).map((a) => a.id).join(","));
  });

  it("keeps one key's events in sequence order under concurrency while other keys move on", async () => {
    // Random latency and random failures reorder anything that is not held in order.
    const acknowledged: { key: string; id: string }[] = [];
    let active = 0;
    let maxActive = 0;
    receiver.setResponder(async (_req, body) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await new Promise((r) => setTimeout(r, Math.random() * 15));
      active -= 1;
      if (Math.random() < 0.25) return { status: 500 };
      for (const record of (body as { Records: { s3: { object: { key: string } }; responseElements: Record<string, string> }[] }).Records) {
        acknowledged.push({ key: record.s3.object.key, id: record.responseElements["x-herald-event-id"]! });
      }
      return { status: 200 };
    });
    await routeBucketToWebhook(herald.engine, {
      bucket: "b",
      endpoint: receiver.url,
      delivery: { orderByKey: true, inFlightLimit: 32, initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 100 },
    });
    const keys = Array.from({ length: 400 }, (_, i) => `key-${i % 8}`);
    const accepted = await emitPuts(herald.engine, "b", keys);
    await waitUntil(() => acknowledged.length >= 400, "all delivered", 30_000);
    const seqById = new Map(accepted.map((a) => [a.id, a.seq]));
    const perKey = new Map<string, number[]>();
    for (const { key, id } of acknowledged) perKey.set(key, [...(perKey.get(key) ?? []), seqById.get(id)!]);
    expect(perKey.size).toBe(8);
    for (const seqs of perKey.values()) {
      expect(seqs).toHaveLength(50);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    // Other keys were not held back: the 8 keys were in flight side by side.
    expect(maxActive).toBeGreaterThanOrEqual(4);
    expect(maxActive).toBeLessThanOrEqual(8);
  });
});

describe("acceptance", () => {
  it("refuses events with SlowDown at a queue limit under the reject policy, and accepts under alarm", async () => {
    receiver.setResponder(() => ({ status: 500 }));
    const arn = await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url, delivery: { queueLimit: 3, initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    await emitPuts(herald.engine, "b", ["1", "2", "3"]);
    await expect(emitPuts(herald.engine, "b", ["4"])).rejects.toMatchObject({ code: "SlowDown" });
    expect(herald.engine.searchArchive({ limit: 10 }).events).toHaveLength(3);
    await herald.engine.updateTarget(arn, { delivery: { queueLimitPolicy: "alarm" } });
    await emitPuts(herald.engine, "b", ["4"]);
    const stats = (await herald.engine.getTarget(arn)).stats!;
    expect(stats.queueLimitAlarm).toBe(true);
    expect(stats.queued).toBe(4);
    expect(stats.health).not.toBe("healthy");
  });

  it("archives unmatched events and applies rule changes without a restart", async () => {
    const [first] = await emitPuts(herald.engine, "late", ["x"]);
    expect(first!.matched).toBe(0);
    expect(herald.engine.eventDetail(first!.id).event.outcome).toBe("unmatched");
    await routeBucketToWebhook(herald.engine, { bucket: "late", endpoint: receiver.url });
    const [second] = await emitPuts(herald.engine, "late", ["y"]);
    expect(second!.matched).toBe(1);
    await receiver.waitFor(1);
    await herald.engine.putBucketConfig("late", { rules: [] });
    const [third] = await emitPuts(herald.engine, "late", ["z"]);
    expect(third!.matched).toBe(0);
  });

  it("replays archived events to a target by filter", async () => {
    await emitPuts(herald.engine, "old", ["logs/1", "logs/2", "img/3"]);
    const target = await herald.engine.createTarget({ id: "replayer", type: "webhook", config: { endpoint: receiver.url, healthCheck: "none" } });
    const result = await herald.engine.replay(target.arn, { bucket: "old", keyPrefix: "logs/" });
    expect(result).toEqual({ queued: 2 });
    await receiver.waitFor(2);
    expect(receivedRecords(receiver.requests).map((r) => [r.s3.object.key, r.s3.configurationId])).toEqual([
      ["logs/1", "replay"],
      ["logs/2", "replay"],
    ]);
  });
});

describe("durability and retention", () => {
  it("leaves undelivered events queued on shutdown and delivers them after restart", async () => {
    await receiver.stop();
    const arn = await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url, delivery: { initialDelayMs: 50, maxAttempts: 100 } });
    const accepted = await emitPuts(herald.engine, "b", ["1", "2", "3"]);
    await herald.stop({ keepData: true });
    await receiver.start();
    herald = await startTestHerald({}, { dataDir: herald.dataDir });
    await receiver.waitFor(3);
    expect(new Set(receivedIds(receiver.requests))).toEqual(new Set(accepted.map((a) => a.id)));
    await waitUntil(async () => (await herald.engine.getTarget(arn)).stats!.delivered === 3, "3 delivered");
    const [next] = await emitPuts(herald.engine, "b", ["4"]);
    expect(next!.seq).toBe(accepted[2]!.seq + 1);
  });

  it("finishes in-flight deliveries on shutdown within the bound and leaves the rest queued", async () => {
    receiver.setResponder(async () => {
      await new Promise((r) => setTimeout(r, 300));
      return { status: 200 };
    });
    await routeBucketToWebhook(herald.engine, { bucket: "b", endpoint: receiver.url, delivery: { inFlightLimit: 1 } });
    const accepted = await emitPuts(herald.engine, "b", ["1", "2", "3", "4"]);
    await receiver.waitFor(1);
    const started = Date.now();
    await herald.stop({ keepData: true });
    const took = Date.now() - started;
    expect(took).toBeLessThan(2000);
    expect(receiver.requests).toHaveLength(1);
    receiver.setResponder(undefined);
    receiver.reset();
    herald = await startTestHerald({}, { dataDir: herald.dataDir });
    await receiver.waitFor(3);
    await new Promise((r) => setTimeout(r, 100));
    // The one in flight at shutdown completed and was recorded: it is not sent again.
    expect(receivedIds(receiver.requests)).toEqual(accepted.slice(1).map((a) => a.id));
    expect(herald.engine.eventDetail(accepted[0]!.id).event.outcome).toBe("delivered");
  });

  it("prunes by age and count but never an event still queued or dead", async () => {
    receiver.setResponder(() => ({ status: 400 }));
    await routeBucketToWebhook(herald.engine, { bucket: "dead", endpoint: receiver.url });
    const [dead] = await emitPuts(herald.engine, "dead", ["k"]);
    await waitUntil(() => herald.engine.eventDetail(dead!.id).event.outcome === "dead", "dead letter");
    const plain = await emitPuts(herald.engine, "other", ["1", "2", "3", "4"]);
    const { ArchiveStore } = await import("../store/archive-store.ts");
    const { openDatabase } = await import("../db/open-database.ts");
    await waitUntil(() => herald.engine.searchArchive({ outcome: "unmatched", limit: 10 }).events.length === 4, "accepted");
    const db = openDatabase(herald.config.databaseFile, { sync: "NORMAL", autoCheckpoint: false });
    const removed = new ArchiveStore(db).prune({ maxAgeMs: 1, maxCount: 1, now: Date.now() + 10_000 });
    db.close();
    expect(removed).toBe(3);
    const left = herald.engine.searchArchive({ limit: 10 }).events.map((e) => e.id);
    expect(left.sort()).toEqual([dead!.id, plain[3]!.id].sort());
  });
});
