import { spawn, type ChildProcess } from "node:child_process";
import { waitForPort } from "./redis-server.ts";

/**
 * A server process the tests own: started, waited for on its port, stopped
 * and started again with the same arguments (same port, same data), which is
 * how the target tests simulate a broker restart.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;

  constructor(
    private readonly name: string,
    private readonly binary: string,
    private readonly args: readonly string[],
    private readonly port: number,
    private readonly options: { env?: NodeJS.ProcessEnv; cwd?: string; startTimeoutMs?: number } = {},
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const child = spawn(this.binary, [...this.args], {
      stdio: "ignore",
      ...(this.options.env ? { env: this.options.env } : {}),
      ...(this.options.cwd ? { cwd: this.options.cwd } : {}),
    });
    this.child = child;
    const exitedEarly = new Promise<never>((_, reject) =>
      child.once("exit", (code, signal) => reject(new Error(`${this.name} exited with ${code ?? signal} before listening on ${this.port}`))),
    );
    exitedEarly.catch(() => undefined);
    try {
      // A port still held by another process makes the server exit at once.
      await Promise.race([waitForPort(this.port, this.options.startTimeoutMs ?? 10_000), exitedEarly]);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
  }

  /** SIGTERM (or `signal`) and wait for the process, killing it if it lingers. */
  async stop(signal: NodeJS.Signals = "SIGTERM", pid?: number): Promise<void> {
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
