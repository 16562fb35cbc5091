import { once } from "node:events";
import type http from "node:http";
import type { ConsoleAuth } from "../auth/console-auth.ts";
import { SESSION_COOKIE, parseCookies } from "../auth/cookies.ts";
import { AppError } from "../errors/app-error.ts";
import { fromZodError } from "../errors/error-mapping.ts";
import type { Logger } from "../logging/logger.ts";
import { downloadParamsSchema } from "../query/download-input.ts";
import type { QueryService } from "../query/query-service.ts";
import { sendError } from "./send-error.ts";

export interface QueryDownloadDeps {
  query: QueryService;
  auth: ConsoleAuth;
  logger: Logger;
}

/**
 * GET /download/query: re-runs a console query and streams every result as
 * a CSV or JSON file, for the signed-in browser (the session cookie; a plain
 * link, so the browser's own download manager handles the file). Changes
 * nothing, so a GET needs no CSRF token. A failure before the first byte is
 * an error answer; after it, the connection is cut so the file is not taken
 * for complete.
 */
export function queryDownloadEndpoint(deps: QueryDownloadDeps): (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void> {
  return async (req, res, url) => {
    if (req.method !== "GET") throw new AppError("ValidationError", `${req.method} is not allowed on ${url.pathname}`, { field: "method" });
    const session = await deps.auth.authenticate(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
    if (!session) throw new AppError("Unauthorized", "sign in to download query results");
    const parsed = downloadParamsSchema.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) throw fromZodError(parsed.error);
    const { format, ...input } = parsed.data;
    const controller = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) controller.abort(new AppError("Conflict", "the download was abandoned"));
    });
    const base = (input.key.split("/").pop() ?? "results").replace(/[^\w.-]+/g, "_");
    const write = (text: string): boolean => {
      if (!res.headersSent) {
        res.writeHead(200, {
          "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
          "content-disposition": `attachment; filename="${base}-results.${format}"`,
          "cache-control": "no-store",
        });
      }
      return res.write(text);
    };
    const drained = () => once(res, "drain", { signal: controller.signal }).then(() => undefined);
    try {
      await deps.query.download(input, format, { write, drained }, controller.signal);
      res.end();
    } catch (error) {
      if (controller.signal.aborted) return;
      sendError(res, error, deps.logger);
    }
  };
}
