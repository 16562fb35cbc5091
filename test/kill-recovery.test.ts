import { describe, expect, it } from "vitest";
import { Pool } from "undici";
import { startHeraldProcess } from "./support/herald-process.ts";
import { startHttpReceiver } from "./support/http-receiver.ts";
import { receivedIds } from "./support/engine-fixtures.ts";

const BURST = 20_000;
const PER_REQUEST = 100;

/**
 * The durability promise, end to end against the real server process: every
 * event the API acknowledged survives `kill -9` in the middle of a burst and
 * is delivered after restart.
 */
describe("kill -9 during a burst", () => {
  it("delivers every accepted event after restart, counted by id", async () => {
    const receiver = await startHttpReceiver();
    await receiver.stop(); // the receiver is down during the burst
    let herald = await startHeraldProcess();
    try {
      const target = await herald.api<{ arn: string }>("POST", "/api/v1/targets", {
        id: "sink",
        type: "webhook",
        config: { endpoint: receiver.url, healthCheck: "none", timeoutMs: 2000 },
        delivery: { initialDelayMs: 50, maxDelayMs: 200, maxAttempts: 1000, inFlightLimit: 64 },
      });
      expect(target.status).toBe(201);
      await herald.api("PUT", "/api/v1/buckets/burst/notification", {
        rules: [{ id: "all", events: ["s3:ObjectCreated:*"], targetArns: [target.json.arn] }],
      });

      const accepted = new Set<string>();
      const pool = new Pool(herald.url, { connections: 8 });
      let sent = 0;
      let killed = false;
      const killAt = Math.floor(BURST * 0.6);
      const sender = async () => {
        while (sent < BURST) {
          const from = sent;
          sent += PER_REQUEST;
          if (!killed && from >= killAt) {
            killed = true;
            void herald.kill9();
          }
          const events = Array.from({ length: PER_REQUEST }, (_, j) => ({
            bucket: "burst",
            key: `k/${(from + j) % 50}`,
            eventName: "s3:ObjectCreated:Put",
            size: from + j,
          }));
          try {
            const res = await pool.request({
              method: "POST",
              path: "/api/v1/events",
              headers: { authorization: `Bearer ${herald.token}`, "content-type": "application/json" },
              body: JSON.stringify({ events }),
            });
            const text = await res.body.text();
            if (res.statusCode === 202) for (const e of (JSON.parse(text) as { events: { id: string }[] }).events) accepted.add(e.id);
          } catch {
            // The server died under this request: these events were never acknowledged.
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, sender));
      await pool.destroy();
      expect(killed).toBe(true);
      // The kill landed mid-burst: a good part was acknowledged, and not everything.
      expect(accepted.size).toBeGreaterThan(BURST * 0.3);
      expect(accepted.size).toBeLessThan(BURST);

      await receiver.start();
      herald = await startHeraldProcess({ dataDir: herald.dataDir, port: herald.port });
      const deadline = Date.now() + 120_000;
      const missing = () => {
        const got = new Set(receivedIds(receiver.requests));
        let n = 0;
        for (const id of accepted) if (!got.has(id)) n += 1;
        return n;
      };
      while (missing() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect(missing()).toBe(0);
      console.info(`kill -9 recovery: ${accepted.size} of ${BURST} events acknowledged before the kill; all ${accepted.size} delivered after restart`);
    } finally {
      await herald.stop().catch(() => undefined);
      await receiver.stop();
    }
  }, 240_000);
});
