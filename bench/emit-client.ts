import { Pool } from "undici";

export interface EmitClient {
  /** Emits events in one request; resolves with their ids once Herald has committed them. */
  emit(events: unknown[]): Promise<string[]>;
  close(): Promise<void>;
}

/** A keep-alive client for Herald's emit API, as a producer would run it. */
export function createEmitClient(baseUrl: string, token: string, connections = 16): EmitClient {
  const pool = new Pool(baseUrl, { connections, pipelining: 1 });
  return {
    async emit(events) {
      const res = await pool.request({
        method: "POST",
        path: "/api/v1/events",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ events }),
      });
      const text = await res.body.text();
      if (res.statusCode !== 202) throw new Error(`emit answered ${res.statusCode}: ${text}`);
      return (JSON.parse(text) as { events: { id: string }[] }).events.map((e) => e.id);
    },
    close: () => pool.close(),
  };
}

export function sampleEvent(bucket: string, i: number): Record<string, unknown> {
  return {
    bucket,
    key: `bench/${i % 1000}/object-${i}.json`,
    eventName: "s3:ObjectCreated:Put",
    size: 1024 + (i % 4096),
    eTag: "d41d8cd98f00b204e9800998ecf8427e",
    contentType: "application/json",
  };
}

/** Runs `total` jobs with at most `concurrency` in flight. */
export async function runConcurrently(total: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) {
        const i = next++;
        await job(i);
      }
    }),
  );
}
