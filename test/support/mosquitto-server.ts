import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDebianBinary } from "./debian-package.ts";
import { freePort } from "./free-port.ts";
import { restartableServer, ServerProcess, type RestartableServer } from "./server-process.ts";

/**
 * url: mqtt://127.0.0.1:<port> (no credentials: anonymous clients are refused).
 * stop() saves persistent sessions and their queued messages.
 */
export interface RunningMosquitto extends RestartableServer {
  user: string;
  password: string;
}

/** Serve TLS only, with this certificate and key, and require client certificates signed by caFile. */
export interface MosquittoTls {
  certFile: string;
  keyFile: string;
  caFile: string;
}

/**
 * Starts a private mosquitto on a free loopback port with one password user and persistence
 * (with tls: TLS only, a client certificate required, and url mqtts://127.0.0.1:<port>).
 */
export async function startMosquittoServer(options: { user?: string; password?: string; tls?: MosquittoTls } = {}): Promise<RunningMosquitto> {
  const binary = ensureDebianBinary("mosquitto", "mosquitto");
  const passwd = ensureDebianBinary("mosquitto_passwd", "mosquitto");
  const user = options.user ?? "herald";
  const password = options.password ?? "herald-secret";
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "herald-mosquitto-"));
  const passwordFile = path.join(dir, "passwd");
  execFileSync(passwd, ["-b", "-c", passwordFile, user, password], { stdio: "ignore" });
  const conf = path.join(dir, "mosquitto.conf");
  writeFileSync(
    conf,
    [
      // Run as root, mosquitto would switch to its own user, who cannot read this temp dir.
      "user root",
      `listener ${port} 127.0.0.1`,
      ...(options.tls ? [`cafile ${options.tls.caFile}`, `certfile ${options.tls.certFile}`, `keyfile ${options.tls.keyFile}`, "require_certificate true"] : []),
      "allow_anonymous false",
      `password_file ${passwordFile}`,
      "persistence true",
      `persistence_location ${dir}/`,
      "log_dest none",
      "",
    ].join("\n"),
  );
  const server = new ServerProcess("mosquitto", binary, ["-c", conf], port);
  await server.start();
  return { ...restartableServer(port, `${options.tls ? "mqtts" : "mqtt"}://127.0.0.1:${port}`, dir, server), user, password };
}
