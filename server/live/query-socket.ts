import { randomUUID } from "node:crypto";
import type { Socket } from "socket.io";
import { AppError } from "../errors/app-error.ts";
import { fromZodError } from "../errors/error-mapping.ts";
import type { Logger } from "../logging/logger.ts";
import { queryErrorOf } from "../query/query-error.ts";
import { queryCancelPayloadSchema, queryRunPayloadSchema } from "../query/query-input.ts";
import type { QueryListener, QueryService, QuerySummary } from "../query/query-service.ts";
import type { ConsoleClientToServerEvents, ConsoleServerToClientEvents } from "./console-protocol.ts";

/** Queries one browser tab may run at once: each holds a scan open, and a tab shows one result at a time anyway. */
export const MAX_QUERIES_PER_SOCKET = 3;

export interface QuerySocketDeps {
  query: QueryService;
  logger: Logger;
}

type ConsoleSocket = Socket<ConsoleClientToServerEvents, ConsoleServerToClientEvents>;

/**
 * The query console's messages on one signed-in console socket: validate,
 * start or cancel a run of the query service, and forward what it reports
 * tagged with the query's id. A socket's queries end with it.
 */
export function attachQuerySocket(socket: ConsoleSocket, user: string, deps: QuerySocketDeps): void {
  const running = new Map<string, { controller: AbortController; done: Promise<QuerySummary> }>();

  const listenerFor = (id: string): QueryListener => ({
    columns: (columns) => socket.emit("query:columns", { id, columns }),
    rows: (rows) => socket.emit("query:rows", { id, rows }),
    progress: (progress) => socket.emit("query:progress", { id, ...progress }),
    stats: (stats) => socket.emit("query:stats", { id, ...stats }),
    end: (summary) => socket.emit("query:end", summary),
    error: (error) => socket.emit("query:error", { id, error }),
  });

  socket.on("query:run", (payload, ack) => {
    if (typeof ack !== "function") return;
    const parsed = queryRunPayloadSchema.safeParse(payload);
    if (!parsed.success) return ack({ ok: false, error: queryErrorOf(fromZodError(parsed.error)) });
    if (running.size >= MAX_QUERIES_PER_SOCKET) {
      return ack({ ok: false, error: queryErrorOf(new AppError("SlowDown", `at most ${MAX_QUERIES_PER_SOCKET} queries run at once; cancel one first`)) });
    }
    const id = randomUUID();
    const controller = new AbortController();
    // The ack goes out before any query:* message, so the browser knows the id of what follows.
    ack({ ok: true, id });
    const done = deps.query.run(user, parsed.data, listenerFor(id), controller.signal, { id }).finally(() => running.delete(id));
    running.set(id, { controller, done });
  });

  socket.on("query:cancel", (payload, ack) => {
    const reply = typeof ack === "function" ? ack : () => undefined;
    const parsed = queryCancelPayloadSchema.safeParse(payload);
    if (!parsed.success) return reply({ ok: false, error: queryErrorOf(fromZodError(parsed.error)) });
    const query = running.get(parsed.data.id);
    if (!query) return reply({ ok: false, error: { code: "NotFound", message: `no running query ${parsed.data.id}` } });
    query.controller.abort(new AppError("Conflict", "the query was cancelled"));
    query.done.then(
      (summary) => reply({ ok: true, status: summary.status }),
      (error: unknown) => deps.logger.warn({ err: error }, "a cancelled query failed"),
    );
  });

  socket.on("disconnect", () => {
    for (const { controller } of running.values()) controller.abort(new AppError("Conflict", "the console disconnected"));
  });
}
