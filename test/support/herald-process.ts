import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.ts";
import { waitForPort } from "./server-process.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface HeraldProcess {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL: no cleanup, no flush, as a crash. */
  kill9(): Promise<void>;
  /** SIGTERM: graceful shutdown. */
  stop(): Promise<number | null>;
  api<T = unknown>(method: string, pathname: string, body?: unknown): Promise<{ status: number; json: T }>;
}

/** Runs the real Herald server (`server/main.ts`) as a separate process. */
export async function startHeraldProcess(
  options: { dataDir?: string; port?: number; env?: Record<string, string>; nodeArgs?: string[] } = {},
): Promise<HeraldProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "herald-proc-"));
  const port = options.port ?? (await freePort());
  const token = "test-token-0123456789";
  let output = "";
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "--import", "tsx", path.join(ROOT, "server", "main.ts")], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/root",
      HERALD_PORT: String(port),
      HERALD_HOST: "127.0.0.1",
      HERALD_DATA_DIR: dataDir,
      HERALD_API_TOKENS: token,
      HERALD_LOG_LEVEL: "warn",
      // The engine's tests need no console build; the e2e tests start the console themselves.
      HERALD_CONSOLE: "off",
      // Tests run several servers at once: none takes the S3 endpoint's fixed default port unless asked to.
      HERALD_S3: "off",
      NODE_ENV: "production",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  try {
    await Promise.race([
      waitForPort(port, 30_000),
      exited.then((code) => {
        throw new Error(`Herald exited with ${code} before listening:\n${output}`);
      }),
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    token,
    dataDir,
    child,
    output: () => output,
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
    async api<T>(method: string, pathname: string, body?: unknown) {
      const res = await fetch(`${url}${pathname}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
    },
  };
}
