import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { ensureDebianBinary } from "./debian-package.ts";
import { eventually } from "./eventually.ts";
import { freePort } from "./free-port.ts";
import { runningDatabase, ServerProcess, type RunningDatabase } from "./server-process.ts";

export interface MariadbServerOptions {
  /** Serve TLS with this certificate and key; clients may present certificates signed by caFile. */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

/** client(): a connection as root over the Unix socket, using the database. */
export type RunningMariadb = RunningDatabase<mysql.Connection>;

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

  const server = new ServerProcess("mariadbd", binary, args, port, {
    startTimeoutMs: 30_000,
    // Over the socket as root: the port may demand TLS.
    ready: (timeoutMs) => eventually(async () => (await root()).end(), timeoutMs),
    logFile: path.join(dir, "error.log"),
  });
  try {
    await server.start();
    const admin = await root();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      await admin.query(`GRANT ALL ON ${database}.* TO '${user}'@'%'`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return runningDatabase(server, dir, { port, user, password, database }, async () => {
    const connection = await root();
    await connection.query(`USE ${database}`);
    return connection;
  });
}
