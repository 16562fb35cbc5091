import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { ensureDebianBinary } from "./debian-package.ts";
import { freePort } from "./free-port.ts";

export interface MariadbServerOptions {
  /** Serve TLS with this certificate and key; clients may present certificates signed by caFile. */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

export interface RunningMariadb {
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
  /** A connection as root over the Unix socket (the test's own, independent of Herald's target). */
  client(): Promise<mysql.Connection>;
}

/**
 * A private MariaDB server on a free loopback port in a temp directory, with
 * a `herald` user that has a password and every privilege on database `herald`.
 */
export async function startMariadbServer(options: MariadbServerOptions = {}): Promise<RunningMariadb> {
  const binary = ensureDebianBinary("mariadbd", "mariadb-server");
  const dir = mkdtempSync(path.join(os.tmpdir(), "herald-mariadb-"));
  const dataDir = path.join(dir, "data");
  const socket = path.join(dir, "mysqld.sock");
  execFileSync("mariadb-install-db", ["--no-defaults", `--datadir=${dataDir}`, "--user=root", "--auth-root-authentication-method=socket", "--skip-test-db"], {
    stdio: "ignore",
  });
  const port = await freePort();
  const args = [
    "--no-defaults",
    `--datadir=${dataDir}`,
    `--socket=${socket}`,
    `--pid-file=${path.join(dir, "mysqld.pid")}`,
    `--log-error=${path.join(dir, "error.log")}`,
    `--port=${port}`,
    "--bind-address=127.0.0.1",
    "--skip-networking=0",
    "--user=root",
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=16M",
    "--innodb-flush-log-at-trx-commit=2",
    "--skip-name-resolve",
  ];
  if (options.tls) args.push(`--ssl-cert=${options.tls.certFile}`, `--ssl-key=${options.tls.keyFile}`, `--ssl-ca=${options.tls.caFile}`);
  const user = "herald";
  const password = "herald-test-pw";
  const database = "herald";
  const root = () => mysql.createConnection({ socketPath: socket, user: "root" });

  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn(binary, args, { stdio: "ignore" });
    child = started;
    const exited = new Promise<never>((_, reject) =>
      started.once("exit", (code) => reject(new Error(`mariadbd exited with ${code} before accepting connections (see ${dir}/error.log)`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForSocket(root, 30_000), exited]);
  };
  const halt = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  };
  try {
    await launch();
    const admin = await root();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await admin.query(`GRANT ALL ON ${database}.* TO '${user}'@'%'`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await halt();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: "127.0.0.1",
    port,
    user,
    password,
    database,
    stop: halt,
    start: launch,
    async destroy() {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
    client: async () => {
      const connection = await root();
      await connection.query(`USE ${database}`);
      return connection;
    },
  };
}

async function waitForSocket(connect: () => Promise<mysql.Connection>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await connect();
      await connection.end();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
