import type { ServerResponse } from "node:http";
import { httpStatusOf, toAppError } from "../errors/error-mapping.ts";
import type { Logger } from "../logging/logger.ts";

/** The one place an HTTP error answer is written: JSON with a code, a message and the field at fault. */
export function sendError(res: ServerResponse, error: unknown, logger: Logger): void {
  const appError = toAppError(error);
  const status = httpStatusOf(appError.code);
  if (status >= 500 && appError.code !== "SlowDown" && appError.code !== "ShuttingDown") {
    logger.error({ err: appError.cause ?? appError }, "request failed");
  }
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
  if (appError.code === "SlowDown") headers["retry-after"] = "1";
  if (appError.code === "Unauthorized") headers["www-authenticate"] = 'Bearer realm="herald"';
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, headers);
  res.end(JSON.stringify({ error: appError.toJSON() }));
}
