import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import net from "node:net";

export interface ServerProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this OS user (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
  /** How long start() waits for the server to be ready. */
  startTimeoutMs?: number;
  /** Resolves once the server serves; the default is "something accepts TCP connections on the port". */
  ready?: (timeoutMs: number) => Promise<void>;
  /** Where the server writes its log, named when it exits early. */
  logFile?: string;
  /** The signal stop() sends: SIGTERM unless the server shuts down differently (PostgreSQL: SIGINT). */
  stopSignal?: NodeJS.Signals;
}

/**
 * A server process the tests own: started, waited for until it serves,
 * stopped and started again with the same arguments (same port, same data),
 * which is how the target tests simulate a broker restart. Every launcher
 * in test/support builds on it, so each one only says how to configure its
 * server.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;

  constructor(
    private readonly name: string,
    private readonly binary: string,
    private readonly args: readonly string[],
    private readonly port: number,
    private readonly options: ServerProcessOptions = {},
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const { env, cwd, uid, gid, logFile } = this.options;
    const child = spawn(this.binary, [...this.args], {
      // stderr is kept so that a server dying at start says why.
      stdio: ["ignore", "ignore", "pipe"],
      ...(env ? { env } : {}),
      ...(cwd ? { cwd } : {}),
      ...(uid === undefined ? {} : { uid }),
      ...(gid === undefined ? {} : { gid }),
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4_000);
    });
    this.child = child;
    const exitedEarly = new Promise<never>((_, reject) =>
      child.once("exit", (code, signal) => {
        const log = logFile ? ` (see ${logFile})` : "";
        reject(new Error(`${this.name} exited with ${code ?? signal} before serving on ${this.port}${log}${stderr ? `:\n${stderr}` : ""}`));
      }),
    );
    exitedEarly.catch(() => undefined);
    const timeoutMs = this.options.startTimeoutMs ?? 10_000;
    try {
      // A port still held by another process makes the server exit at once.
      await Promise.race([(this.options.ready ?? ((ms) => waitForPort(this.port, ms)))(timeoutMs), exitedEarly]);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
  }

  /** Sends the stop signal (or `signal`) and waits for the process, killing it if it lingers. */
  async stop(signal: NodeJS.Signals = this.options.stopSignal ?? "SIGTERM", pid?: number): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    if (pid === undefined) child.kill(signal);
    else process.kill(pid, signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`. */
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

/** What a broker launcher hands a test: the server, to stop and restart (same port, same data) and finally dispose of. */
export interface RestartableServer {
  port: number;
  url: string;
  /** Stops the server, keeping its data for restart(). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

/** The handle for a server whose data lives in `dir`. */
export function restartableServer(
  port: number,
  url: string,
  dir: string,
  control: { start(): Promise<void>; stop(): Promise<void> },
): RestartableServer {
  return {
    port,
    url,
    stop: () => control.stop(),
    restart: () => control.start(),
    async dispose() {
      await control.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a database launcher hands a test: where to connect as Herald's user, the server's lifecycle, and the test's own client. */
export interface RunningDatabase<Client> {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Stops the server, keeping its data for start(). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data, as a server restart. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
  /** A connection as an administrator over the Unix socket (the test's own, independent of Herald's target). */
  client(): Promise<Client>;
}

/** The handle for a database server whose data lives in `dir`. */
export function runningDatabase<Client>(
  server: ServerProcess,
  dir: string,
  login: { port: number; user: string; password: string; database: string },
  client: () => Promise<Client>,
): RunningDatabase<Client> {
  return {
    host: "127.0.0.1",
    ...login,
    stop: () => server.stop(),
    start: () => server.start(),
    async destroy() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    client,
  };
}
