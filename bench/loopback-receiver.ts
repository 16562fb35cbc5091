import http from "node:http";

export interface LoopbackReceiver {
  url: string;
  /** Events received (each record counts), and when the last one arrived. */
  received(): number;
  /** Arrival time (performance.now based epoch ms) per event id. */
  arrivals: Map<string, number>;
  /** Resolves when `count` events have arrived. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * The webhook receiver the benches deliver to: parses each JSON body (as any
 * real receiver must) and answers 200. The same receiver takes the raw
 * baseline POSTs, so the ratio compares like with like.
 */
export async function startLoopbackReceiver(): Promise<LoopbackReceiver> {
  let count = 0;
  const arrivals = new Map<string, number>();
  let waiters: { count: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    if (req.method !== "POST") {
      // Herald's HEAD health checks.
      res.writeHead(200);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const now = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { Records: { responseElements?: Record<string, string> }[] };
      for (const record of body.Records) {
        const id = record.responseElements?.["x-herald-event-id"];
        if (id !== undefined) arrivals.set(id, now);
        count += 1;
      }
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
      if (waiters.length > 0) {
        waiters = waiters.filter((w) => {
          if (count >= w.count) w.resolve();
          return count < w.count;
        });
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received: () => count,
    arrivals,
    waitFor(target, timeoutMs) {
      if (count >= target) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${count} of ${target} events in ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          count: target,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    reset() {
      count = 0;
      arrivals.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
