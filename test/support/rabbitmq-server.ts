import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ensureDebianBinary } from "./debian-package.ts";
import { freePort } from "./free-port.ts";
import { restartableServer, ServerProcess, type RestartableServer } from "./server-process.ts";

const run = promisify(execFile);

/**
 * url: amqp://herald:<password>@127.0.0.1:<port>. stop() keeps the broker's
 * data: users, durable exchanges and queues, persistent messages.
 */
export interface RunningRabbitmq extends RestartableServer {
  user: string;
  password: string;
}

// The Debian wrapper in /usr/sbin re-runs the scripts as the rabbitmq user, who cannot read a root-owned temp dir.
const SCRIPTS = "/usr/lib/rabbitmq/bin";

/** Serve AMQP over TLS only (no plain listener), with this certificate and key, and require client certificates signed by caFile. */
export interface RabbitmqTls {
  certFile: string;
  keyFile: string;
  caFile: string;
}

/**
 * Starts a private RabbitMQ node: its own node name, ports, data, logs and
 * Erlang cookie (HOME) in a temp dir, no plugins. It shares the machine's
 * epmd, which Erlang starts on first use and which many nodes can share.
 * Booting takes a few seconds.
 */
export async function startRabbitmqServer(options: { user?: string; password?: string; tls?: RabbitmqTls } = {}): Promise<RunningRabbitmq> {
  ensureDebianBinary("rabbitmq-server", "rabbitmq-server");
  const user = options.user ?? "herald";
  const password = options.password ?? "herald-secret";
  const [port, distPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(path.join(os.tmpdir(), "herald-rabbitmq-"));
  for (const sub of ["home", "mnesia", "log"]) mkdirSync(path.join(dir, sub));
  writeFileSync(path.join(dir, "enabled_plugins"), "[].\n");
  writeFileSync(path.join(dir, "rabbitmq.conf"), (options.tls ? tlsListener(port, options.tls) : `listeners.tcp.1 = 127.0.0.1:${port}\n`) + "loopback_users = none\n");
  const node = `herald-${port}@localhost`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: path.join(dir, "home"),
    RABBITMQ_NODENAME: node,
    // These would add a plain listener; with tls the config file has the only (TLS) one.
    ...(options.tls ? {} : { RABBITMQ_NODE_PORT: String(port), RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1" }),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: path.join(dir, "mnesia"),
    RABBITMQ_LOG_BASE: path.join(dir, "log"),
    RABBITMQ_LOGS: path.join(dir, "log", "rabbit.log"),
    RABBITMQ_PID_FILE: path.join(dir, "rabbit.pid"),
    RABBITMQ_CONFIG_FILE: path.join(dir, "rabbitmq.conf"),
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, "advanced.config"),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, "enabled_plugins"),
    // Keep Erlang distribution on loopback too.
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-kernel inet_dist_use_interface {127,0,0,1}",
  };
  const ctl = (...args: string[]) => run(path.join(SCRIPTS, "rabbitmqctl"), ["-n", node, ...args], { env, timeout: 60_000 });
  const server = new ServerProcess("rabbitmq-server", path.join(SCRIPTS, "rabbitmq-server"), [], port, { env, cwd: dir, startTimeoutMs: 60_000 });
  const start = async () => {
    await server.start();
    // The AMQP port opens before every boot step has run.
    await ctl("await_startup", "--timeout", "60");
  };
  const stop = async () => {
    // The script traps signals; the Erlang VM itself shuts down cleanly on SIGTERM.
    let pid: number | undefined;
    try {
      pid = Number(readFileSync(path.join(dir, "rabbit.pid"), "utf8").trim()) || undefined;
    } catch {
      pid = undefined;
    }
    await server.stop("SIGTERM", pid);
  };
  try {
    await start();
    await ctl("add_user", user, password);
    await ctl("set_permissions", "-p", "/", user, ".*", ".*", ".*");
  } catch (error) {
    await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { ...restartableServer(port, `${options.tls ? "amqps" : "amqp"}://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}`, dir, { start, stop }), user, password };
}

function tlsListener(port: number, tls: RabbitmqTls): string {
  return [
    "listeners.tcp = none",
    `listeners.ssl.default = 127.0.0.1:${port}`,
    `ssl_options.cacertfile = ${tls.caFile}`,
    `ssl_options.certfile = ${tls.certFile}`,
    `ssl_options.keyfile = ${tls.keyFile}`,
    "ssl_options.verify = verify_peer",
    "ssl_options.fail_if_no_peer_cert = true",
    "",
  ].join("\n");
}
