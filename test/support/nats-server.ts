import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDebianBinary } from "./debian-package.ts";
import { freePort } from "./free-port.ts";
import { restartableServer, ServerProcess, type RestartableServer } from "./server-process.ts";

export interface NatsAuth {
  users?: { user: string; password: string }[];
  /** Public keys (U...) of NKey users. */
  nkeys?: string[];
  /** A single token; NATS does not allow it together with users. */
  token?: string;
}

/** Serve TLS only, with this certificate and key, and require client certificates signed by caFile. */
export interface NatsTls {
  certFile: string;
  keyFile: string;
  caFile: string;
}

/** url: nats://127.0.0.1:<port> (tls://127.0.0.1:<port> with tls); a restart keeps JetStream's store and the auth. */
export type RunningNats = RestartableServer;

/** Starts a private nats-server with JetStream on a free loopback port. */
export async function startNatsServer(auth: NatsAuth = {}, options: { tls?: NatsTls } = {}): Promise<RunningNats> {
  const binary = ensureDebianBinary("nats-server", "nats-server");
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), "herald-nats-"));
  const conf = path.join(dir, "nats.conf");
  writeFileSync(conf, natsConfig(auth) + (options.tls ? natsTlsConfig(options.tls) : ""));
  const server = new ServerProcess("nats-server", binary, ["-c", conf, "-p", String(port), "-a", "127.0.0.1", "-js", "-sd", path.join(dir, "js")], port);
  await server.start();
  return restartableServer(port, `${options.tls ? "tls" : "nats"}://127.0.0.1:${port}`, dir, server);
}

function natsConfig(auth: NatsAuth): string {
  if (auth.token !== undefined) return `authorization { token: ${JSON.stringify(auth.token)} }\n`;
  const users = [
    ...(auth.users ?? []).map((u) => `{ user: ${JSON.stringify(u.user)}, password: ${JSON.stringify(u.password)} }`),
    ...(auth.nkeys ?? []).map((nkey) => `{ nkey: ${JSON.stringify(nkey)} }`),
  ];
  return users.length === 0 ? "" : `authorization { users: [\n  ${users.join(",\n  ")}\n] }\n`;
}

/** A tls block makes nats-server refuse plain clients; verify: true makes it demand and check a client certificate. */
function natsTlsConfig(tls: NatsTls): string {
  return `tls {\n  cert_file: ${JSON.stringify(tls.certFile)}\n  key_file: ${JSON.stringify(tls.keyFile)}\n  ca_file: ${JSON.stringify(tls.caFile)}\n  verify: true\n  timeout: 2\n}\n`;
}
