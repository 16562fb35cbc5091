import type { AddressInfo } from "node:net";
import { createHttpServer, type HeraldHttpServer } from "../../server/http/http-server.ts";
import { startTestHerald, type TestHerald } from "./test-herald.ts";

export const TEST_TOKEN = "test-token-abc";

export interface TestApi {
  herald: TestHerald;
  http: HeraldHttpServer;
  url: string;
  call(method: string, path: string, options?: { body?: unknown; raw?: string; contentType?: string; token?: string | null; accept?: string }): Promise<{ status: number; headers: Headers; text: string; json: any }>;
  stop(): Promise<void>;
}

/** A real Herald engine behind its real HTTP server, on a free loopback port. */
export async function startTestApi(env: Record<string, string> = {}, options: { console?: boolean } = {}): Promise<TestApi> {
  const herald = await startTestHerald(env);
  // The console's tRPC endpoint and socket namespace, without the Next.js pages (the e2e tests cover those).
  const http = createHttpServer(herald, [TEST_TOKEN], options.console ? {} : undefined);
  await new Promise<void>((resolve) => http.server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  return {
    herald,
    http,
    url,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = {};
      if (options.token !== null) headers.authorization = `Bearer ${options.token ?? TEST_TOKEN}`;
      if (options.accept) headers.accept = options.accept;
      let body: string | undefined;
      if (options.raw !== undefined) {
        body = options.raw;
        headers["content-type"] = options.contentType ?? "application/octet-stream";
      } else if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers["content-type"] = "application/json";
      }
      const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async stop() {
      await http.close();
      await herald.stop();
    },
  };
}
