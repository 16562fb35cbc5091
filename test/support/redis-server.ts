import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDebianBinary } from "./debian-package.ts";
import { freePort } from "./free-port.ts";
import { ServerProcess } from "./server-process.ts";

export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** A fixed port, e.g. the one of a server stopped a moment ago to simulate a restart. */
  port?: number;
  /** Sets `requirepass`. */
  password?: string;
}

/** Starts a real redis-server on a loopback port (free unless given), with no persistence. */
export async function startRedisServer(options: RedisServerOptions | number = {}): Promise<RunningRedis> {
  const { port: fixedPort, password } = typeof options === "number" ? { port: options, password: undefined } : options;
  const binary = ensureDebianBinary("redis-server", "redis-server");
  const port = fixedPort ?? (await freePort());
  const dir = mkdtempSync(path.join(os.tmpdir(), "herald-redis-"));
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir];
  if (password !== undefined) args.push("--requirepass", password);
  const server = new ServerProcess("redis-server", binary, args, port);
  try {
    await server.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
