import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureDebianBinary } from "./debian-package.ts";
import { eventually } from "./eventually.ts";
import { freePort } from "./free-port.ts";
import { runningDatabase, ServerProcess, type RunningDatabase } from "./server-process.ts";

export const POSTGRES_BIN = "/usr/lib/postgresql/15/bin/postgres";

export interface PostgresServerOptions {
  /** Serve TLS with this certificate and key (PEM files; copied for the server). */
  tls?: { certFile: string; keyFile: string; /** Require TCP clients to present a certificate signed by this CA. */ clientCaFile?: string };
}

/** client(): a connected client over the Unix socket, as the cluster's owner. */
export type RunningPostgres = RunningDatabase<pg.Client>;

/**
 * A private PostgreSQL cluster on a free loopback port in a temp directory.
 * Postgres refuses to run as root, so initdb and the server run as the
 * `postgres` OS user the Debian package creates (Node's spawn uid/gid).
 */
export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<RunningPostgres> {
  const binary = ensureDebianBinary(POSTGRES_BIN, "postgresql");
  const binDir = path.dirname(binary);
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  const dir = mkdtempSync(path.join(os.tmpdir(), "herald-pg-"));
  chownSync(dir, uid, gid);
  const dataDir = path.join(dir, "data");
  const user = "herald";
  const password = "herald-test-pw";
  const database = "postgres";
  const pwFile = path.join(dir, "pw");
  writeFileSync(pwFile, `${password}\n`);
  chownSync(pwFile, uid, gid);
  execFileSync(
    path.join(binDir, "initdb"),
    ["-D", dataDir, "-U", user, `--pwfile=${pwFile}`, "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"],
    { uid, gid, stdio: "ignore", cwd: dir },
  );
  const args = ["-D", dataDir, "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"];
  if (options.tls) {
    // The server insists on a key only its own user can read.
    const cert = path.join(dir, "server.crt");
    const key = path.join(dir, "server.key");
    copyFileSync(options.tls.certFile, cert);
    copyFileSync(options.tls.keyFile, key);
    for (const file of [cert, key]) chownSync(file, uid, gid);
    chmodSync(key, 0o600);
    args.push("-c", "ssl=on", "-c", `ssl_cert_file=${cert}`, "-c", `ssl_key_file=${key}`);
    if (options.tls.clientCaFile) {
      const clientCa = path.join(dir, "client-ca.crt");
      copyFileSync(options.tls.clientCaFile, clientCa);
      chownSync(clientCa, uid, gid);
      args.push("-c", `ssl_ca_file=${clientCa}`);
      // TCP only over TLS, with a client certificate and the password; the socket stays open for nothing but local tools.
      const hba = path.join(dataDir, "pg_hba.conf");
      writeFileSync(hba, "local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256 clientcert=verify-ca\n");
      chownSync(hba, uid, gid);
    }
  }
  const port = await freePort();
  args.push("-p", String(port));

  const server = new ServerProcess("postgres", binary, args, port, {
    uid,
    gid,
    cwd: dir,
    startTimeoutMs: 20_000,
    // Over the socket: the TCP side may demand TLS and a client certificate.
    ready: (timeoutMs) => eventually(() => postgresAnswers({ host: dir, port, user, database }), timeoutMs),
    // Fast shutdown: open connections are cut as a crashed or stopped server would.
    stopSignal: "SIGINT",
  });
  try {
    await server.start();
  } catch (error) {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return runningDatabase(server, dir, { port, user, password, database }, async () => {
    const client = new pg.Client({ host: dir, port, user, database });
    await client.connect();
    return client;
  });
}

/** One connection attempt that runs a query: the server is up and accepts this user. */
async function postgresAnswers(config: pg.ClientConfig): Promise<void> {
  const client = new pg.Client({ ...config, connectionTimeoutMillis: 1_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    await client.end();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
}
