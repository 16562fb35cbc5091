import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port.ts";

/** One request as the receiver saw it. */
export interface ReceivedRequest {
  /** 1 for the first request since start (or the last reset). */
  n: number;
  method: string;
  /** Path and query. */
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The JSON body, parsed; undefined when there is none or it is not JSON. */
  body: unknown;
  receivedAt: number;
}

export interface ReceiverResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Decides the answer; may be async (a promise that resolves late simulates a slow receiver). */
export type Responder = (req: ReceivedRequest, body: unknown, n: number) => ReceiverResponse | Promise<ReceiverResponse>;

export interface ReceiverTls {
  key: string | Buffer;
  cert: string | Buffer;
  /** With requestCert: the CA client certificates must chain to (mutual TLS). */
  ca?: string | Buffer;
  requestCert?: boolean;
}

export interface HttpReceiverOptions {
  respond?: Responder;
  /** HTTPS with this key and certificate. */
  tls?: ReceiverTls;
  /** A fixed port; a free one otherwise. */
  port?: number;
}

export interface HttpReceiver {
  /** `<origin>/hook`. */
  readonly url: string;
  /** `http(s)://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  readonly running: boolean;
  /** Requests received since start or the last reset, in order of arrival. */
  readonly requests: ReceivedRequest[];
  /** TCP (or TLS) connections accepted since start or the last reset. */
  readonly connections: number;
  /** Resolves once `count` requests have arrived (counting those already there). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Undefined restores the default (200, empty body). */
  setResponder(respond: Responder | undefined): void;
  reset(): void;
  /** Closes the listener and cuts every open connection, as a crashing receiver would. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

const DEFAULT_RESPONDER: Responder = () => ({ status: 200 });

/** A real HTTP(S) receiver on a loopback port, recording what it gets. */
export async function startHttpReceiver(options: HttpReceiverOptions = {}): Promise<HttpReceiver> {
  const port = options.port ?? (await freePort());
  const scheme = options.tls ? "https" : "http";
  const origin = `${scheme}://127.0.0.1:${port}`;
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<Socket>();
  let respond = options.respond ?? DEFAULT_RESPONDER;
  let server: http.Server | https.Server | undefined;
  let connections = 0;
  let waiters: { count: number; resolve: () => void }[] = [];

  const notify = (): void => {
    waiters = waiters.filter((w) => {
      if (requests.length < w.count) return true;
      w.resolve();
      return false;
    });
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      let body: unknown;
      try {
        body = rawBody === "" ? undefined : JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      const received: ReceivedRequest = {
        n: requests.length + 1,
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        rawBody,
        body,
        receivedAt: Date.now(),
      };
      requests.push(received);
      notify();
      Promise.resolve()
        .then(() => respond(received, body, received.n))
        .then(
          (answer) => {
            if (res.destroyed) return;
            res.writeHead(answer.status, answer.headers);
            res.end(answer.body ?? "");
          },
          (error: unknown) => {
            if (res.destroyed) return;
            res.writeHead(500, { "content-type": "text/plain" });
            res.end(error instanceof Error ? error.message : String(error));
          },
        );
    });
  };

  const start = async (): Promise<void> => {
    if (server) return;
    const created = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert, ...(options.tls.ca ? { ca: options.tls.ca } : {}), requestCert: options.tls.requestCert ?? false, rejectUnauthorized: options.tls.requestCert ?? false }, handle)
      : http.createServer(handle);
    created.keepAliveTimeout = 30_000;
    created.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    // Counted after the handshake, so clients that reject the certificate do not count.
    created.on(options.tls ? "secureConnection" : "connection", () => {
      connections += 1;
    });
    // TLS handshake failures (a client rejecting our certificate) are expected in tests.
    created.on("tlsClientError", () => undefined);
    await new Promise<void>((resolve, reject) => {
      created.once("error", reject);
      created.listen(port, "127.0.0.1", () => {
        created.off("error", reject);
        resolve();
      });
    });
    server = created;
  };

  const stop = async (): Promise<void> => {
    const current = server;
    if (!current) return;
    server = undefined;
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    current.closeAllConnections();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };

  await start();

  return {
    url: `${origin}/hook`,
    origin,
    port,
    get running() {
      return server !== undefined;
    },
    requests,
    get connections() {
      return connections;
    },
    waitFor(count, timeoutMs = 5_000) {
      if (requests.length >= count) return Promise.resolve(requests);
      return new Promise((resolve, reject) => {
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(requests);
          },
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`receiver got ${requests.length} of ${count} requests within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    setResponder(next) {
      respond = next ?? DEFAULT_RESPONDER;
    },
    reset() {
      requests.length = 0;
      connections = 0;
    },
    stop,
    start,
  };
}

export interface TestCertificates {
  dir: string;
  /** A CA that signed both certificates below. */
  caFile: string;
  /** Server certificate for 127.0.0.1 and localhost. */
  certFile: string;
  keyFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  ca: string;
  cert: string;
  key: string;
  clientCert: string;
  clientKey: string;
  remove(): void;
}

/**
 * A throw-away CA with a server and a client certificate, made with the
 * openssl CLI so the tests exercise real X.509 chains, not canned files.
 */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(path.join(os.tmpdir(), "herald-certs-"));
  const file = (name: string): string => path.join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  };
  const ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

  openssl("req", "-x509", ...ecKey, "-keyout", file("ca.key"), "-out", file("ca.crt"), "-days", "2", "-subj", "/CN=Herald Test CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

  const issue = (name: string, subject: string, extensions: string): void => {
    openssl("req", ...ecKey, "-keyout", file(`${name}.key`), "-out", file(`${name}.csr`), "-subj", subject);
    writeFileSync(file(`${name}.ext`), extensions);
    openssl("x509", "-req", "-in", file(`${name}.csr`), "-CA", file("ca.crt"), "-CAkey", file("ca.key"), "-CAcreateserial",
      "-out", file(`${name}.crt`), "-days", "2", "-extfile", file(`${name}.ext`));
  };
  issue("server", "/CN=localhost", "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n");
  issue("client", "/CN=herald-client", "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n");

  const read = (name: string): string => readFileSync(file(name), "utf8");
  return {
    dir,
    caFile: file("ca.crt"),
    certFile: file("server.crt"),
    keyFile: file("server.key"),
    clientCertFile: file("client.crt"),
    clientKeyFile: file("client.key"),
    ca: read("ca.crt"),
    cert: read("server.crt"),
    key: read("server.key"),
    clientCert: read("client.crt"),
    clientKey: read("client.key"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
