import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ensureDebianBinary } from "./debian-package.ts";
import { freePort } from "./free-port.ts";

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
  const child: ChildProcess = spawn(binary, args, { stdio: "ignore" });
  const exitedEarly = new Promise<never>((_, reject) =>
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code} before listening on ${port}`))),
  );
  exitedEarly.catch(() => undefined);
  try {
    // A port still held by another process makes this server exit at once.
    await Promise.race([waitForPort(port, 10_000), exitedEarly]);
  } catch (error) {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}
