import { randomUUID } from "node:crypto";
import http from "node:http";
import { Server as SocketServer } from "socket.io";
import type { Herald } from "../app/create-herald.ts";
import { bearerToken, tokenMatches } from "../auth/api-tokens.ts";
import { AppError } from "../errors/app-error.ts";
import { attachLiveStream } from "../live/live-stream.ts";
import { Router, type RouteResult } from "./router.ts";
import { bucketRoutes } from "./routes/bucket-routes.ts";
import { eventRoutes } from "./routes/event-routes.ts";
import { opsRoutes } from "./routes/ops-routes.ts";
import { targetRoutes } from "./routes/target-routes.ts";
import { sendError } from "./send-error.ts";
import type { PageHandler } from "./console-pages.ts";
import { TRPC_PATH, trpcEndpoint } from "./trpc-endpoint.ts";
import { queryDownloadEndpoint } from "./query-download-endpoint.ts";
import { QUERY_DOWNLOAD_PATH } from "../query/download-input.ts";
import { attachConsoleNamespace } from "../live/console-namespace.ts";

export interface ConsoleOptions {
  /** The Next.js pages; without them /trpc and the console socket still run (tests). */
  pages?: PageHandler;
}

export interface HeraldHttpServer {
  server: http.Server;
  io: SocketServer;
  /** Stops accepting connections; open ones are closed once idle. */
  close(): Promise<void>;
}

/**
 * HTTP API, probes, metrics, the Socket.IO live stream and, with `console`,
 * the operator console (tRPC at /trpc, the /console socket namespace and the
 * Next.js pages) on one listener.
 */
export function createHttpServer(herald: Herald, tokens: readonly string[], consoleOptions?: ConsoleOptions): HeraldHttpServer {
  const { engine, config, metrics, logger, auth, query } = herald;
  let ready = true;
  const router = new Router().add(
    ...opsRoutes(engine, metrics, () => ready),
    ...eventRoutes(engine, config),
    ...targetRoutes(engine, config),
    ...bucketRoutes(engine, config),
  );

  const server = http.createServer((req, res) => {
    const requestId = randomUUID();
    res.setHeader("x-request-id", requestId);
    void handle(req, res).catch((error: unknown) => sendError(res, error, logger.child({ requestId })));
  });
  server.keepAliveTimeout = 65_000;

  const trpc = consoleOptions
    ? trpcEndpoint({ engine, auth, query, sessionTtlMs: config.sessionTtlMs, maxBodyBytes: config.maxBodyBytes, logger: logger.child({ component: "trpc" }) })
    : undefined;
  const download = consoleOptions ? queryDownloadEndpoint({ query, auth, logger: logger.child({ component: "query-download" }) }) : undefined;
  const pages = consoleOptions?.pages;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://herald.local");
    if (trpc && (url.pathname === TRPC_PATH || url.pathname.startsWith(`${TRPC_PATH}/`))) return trpc(req, res);
    if (download && url.pathname === QUERY_DOWNLOAD_PATH) return download(req, res, url);
    const matched = router.match(req.method ?? "GET", url.pathname);
    if (matched === undefined && pages && !url.pathname.startsWith("/api/")) return pages(req, res);
    if (matched === undefined) throw new AppError("NotFound", `no route for ${req.method} ${url.pathname}`);
    if (matched === "methodNotAllowed") throw new AppError("ValidationError", `${req.method} is not allowed on ${url.pathname}`, { field: "method" });
    if (!matched.route.public && !tokenMatches(bearerToken(req.headers.authorization), tokens)) {
      req.resume();
      throw new AppError("Unauthorized", "missing or wrong API token: send Authorization: Bearer <token>", { field: "authorization" });
    }
    const result = await matched.route.handler({ req, res, params: matched.params, query: url.searchParams });
    write(res, result);
  }

  const io = new SocketServer(server, { serveClient: false, cors: { origin: false } });
  const live = io.of("/live");
  live.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown } | undefined;
    const presented = typeof auth?.token === "string" ? auth.token : bearerToken(socket.handshake.headers.authorization);
    if (tokenMatches(presented, tokens)) next();
    else next(new Error("Unauthorized: missing or wrong API token"));
  });
  attachLiveStream(live, { feed: engine, bufferLimit: config.liveClientBuffer, logger: logger.child({ component: "live" }) });
  const consoleSocket = consoleOptions
    ? attachConsoleNamespace(io, { engine, auth, query, bufferLimit: config.liveClientBuffer, logger: logger.child({ component: "console-live" }) })
    : undefined;

  return {
    server,
    io,
    close: () =>
      new Promise<void>((resolve) => {
        ready = false;
        consoleSocket?.close();
        io.close();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

function write(res: http.ServerResponse, result: RouteResult): void {
  if ("json" in result) {
    res.writeHead(result.status ?? 200, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(result.json));
  } else if ("body" in result) {
    res.writeHead(result.status ?? 200, { "content-type": result.contentType });
    res.end(result.body);
  } else {
    res.writeHead(204);
    res.end();
  }
}
