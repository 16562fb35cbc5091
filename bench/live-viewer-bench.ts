/**
 * `npm run bench:live`: 2,000 events/s for 30 s at a signed-in live viewer
 * (the real /live page in Debian's Chromium, served by a real Herald process)
 * and what arrives in the browser: events received vs sent, gap markers, and
 * the delay from emit (the moment the harness sent the event's POST) to the
 * event's arrival in the page.
 *
 * Arrival is taken where the page's socket receives the `events` message: an
 * init script wraps the page's WebSocket before any page script runs and
 * reads each Socket.IO frame, so the page under test is unmodified.
 */
import { chromium } from "@playwright/test";
import { ROOT_PASSWORD, ROOT_USER, startConsoleServer } from "../test/support/console-server.ts";
import { ensureDebianBinary } from "../test/support/debian-package.ts";

const RATE = Number(process.env.BENCH_LIVE_RATE ?? 2000);
const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 30);
const TICK_MS = 50;
const P99_BAR_MS = 250;

declare global {
  interface Window {
    __liveBench: { arrivals: [number, string, number][]; gaps: { fromSeq: number; toSeq: number; reason: string }[] };
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function main(): Promise<void> {
  ensureDebianBinary("chromium", "chromium");
  console.log(`live viewer bench: ${RATE} events/s for ${SECONDS} s at a signed-in /live page...`);
  const herald = await startConsoleServer({ HERALD_LOG_LEVEL: "error" });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.addInitScript(() => {
      window.__liveBench = { arrivals: [], gaps: [] };
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          this.addEventListener("message", (message: MessageEvent) => {
            const at = performance.timeOrigin + performance.now();
            if (typeof message.data !== "string" || !message.data.startsWith("42/console,")) return;
            const [name, payload] = JSON.parse(message.data.slice("42/console,".length)) as [string, any];
            if (name === "events") for (const e of payload.events) window.__liveBench.arrivals.push([e.seq, e.key, at]);
            else if (name === "gap") window.__liveBench.gaps.push(payload);
          });
        }
      };
    });
    await page.goto(`${herald.url}/sign-in?next=/live`);
    await page.getByLabel("User name").fill(ROOT_USER);
    await page.getByLabel("Password").fill(ROOT_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/live");
    await page.getByTestId("live-count").waitFor();
    await page.waitForTimeout(1000);

    // A steady schedule: RATE/20 events every 50 ms, each key carrying its send time.
    const perTick = Math.round((RATE * TICK_MS) / 1000);
    const ticks = Math.round((SECONDS * 1000) / TICK_MS);
    let sent = 0;
    let rejected = 0;
    const started = performance.now();
    const posts: Promise<void>[] = [];
    for (let tick = 0; tick < ticks; tick++) {
      const due = started + tick * TICK_MS;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const sendTime = Date.now();
      const events = Array.from({ length: perTick }, (_, i) => ({ bucket: "bench", key: `live/${sendTime}/${tick}-${i}`, eventName: "s3:ObjectCreated:Put", size: 1 }));
      posts.push(
        herald.api<{ events: unknown[] }>("POST", "/api/v1/events", { events }).then((res) => {
          if (res.status === 202) sent += perTick;
          else rejected += perTick;
        }),
      );
    }
    await Promise.all(posts);
    const emitSeconds = (performance.now() - started) / 1000;
    await page.waitForTimeout(3000);

    const { arrivals, gaps } = await page.evaluate(() => window.__liveBench);
    const shown = Number((await page.getByTestId("live-count").textContent())?.replace(/\D/g, "") ?? NaN);
    const seqs = new Set<number>();
    let duplicates = 0;
    const delays: number[] = [];
    for (const [seq, key, at] of arrivals) {
      if (!key.startsWith("live/")) continue;
      if (seqs.has(seq)) duplicates++;
      seqs.add(seq);
      delays.push(at - Number(key.split("/")[1]));
    }
    const skipped = gaps.reduce((n, g) => n + (g.toSeq - g.fromSeq + 1), 0);
    const missingUnmarked = Math.max(0, sent - seqs.size - skipped);
    const p50 = percentile(delays, 50);
    const p99 = percentile(delays, 99);
    const line = (label: string, value: string | number, bar?: [boolean, string]) =>
      console.log(`${label.padEnd(52)} ${value}${bar ? `  [${bar[0] ? "PASS" : "FAIL"}: ${bar[1]}]` : ""}`);
    line("events sent (accepted by the API)", sent);
    line("emit rate achieved (events/s)", Math.round(sent / emitSeconds));
    if (rejected > 0) line("events the API refused", rejected);
    line("events received by the browser", seqs.size);
    line("events counted by the page (live-count)", shown);
    line("duplicates", duplicates);
    line("gap markers / events they cover", `${gaps.length} / ${skipped}`);
    line("missing without a gap marker", missingUnmarked, [missingUnmarked === 0 && duplicates === 0, "0"]);
    line("emit-to-browser delay p50 ms", p50.toFixed(1));
    line("emit-to-browser delay p99 ms", p99.toFixed(1), [p99 < P99_BAR_MS, `< ${P99_BAR_MS} ms`]);
    if (missingUnmarked > 0 || duplicates > 0 || !(p99 < P99_BAR_MS)) process.exitCode = 1;
  } finally {
    await browser.close();
    await herald.stop();
  }
}

await main();
