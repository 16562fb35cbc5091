import type http from "node:http";
import { AppError } from "../../errors/app-error.ts";
import { httpStatusOf, s3CodeOf, toAppError } from "../../errors/error-mapping.ts";
import type { Logger } from "../../logging/logger.ts";
import { s3Xml } from "./s3-xml.ts";

export function sendXml(res: http.ServerResponse, status: number, xml: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/xml", "content-length": Buffer.byteLength(xml), ...headers });
  res.end(xml);
}

export function sendEmpty(res: http.ServerResponse, status: number, headers: Record<string, string | number> = {}): void {
  res.writeHead(status, { "content-length": 0, ...headers });
  res.end();
}

/**
 * Any failure as S3 answers it: the AWS code and status, an XML body
 * (none for HEAD, as S3), the request id. Internal errors are logged and
 * reported without details.
 */
export function sendS3Error(req: http.IncomingMessage, res: http.ServerResponse, error: unknown, requestId: string, resource: string, logger: Logger): void {
  const app = error instanceof AppError ? error : toAppError(error);
  if (app.code === "InternalError") logger.error({ err: error, requestId }, "S3 request failed");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = httpStatusOf(app.code);
  const code = app.code === "Forbidden" || app.code === "Unauthorized" ? "AccessDenied" : s3CodeOf(app.code);
  const message = app.code === "InternalError" ? "We encountered an internal error. Please try again." : app.message;
  // A client still sending a body we refused would otherwise keep the socket busy.
  if (!req.readableEnded) res.setHeader("connection", "close");
  if (req.method === "HEAD" || status === 304) {
    sendEmpty(res, status, { "x-amz-request-id": requestId });
    return;
  }
  sendXml(res, status, s3Xml("Error", { Code: code, Message: message, Resource: resource, RequestId: requestId }).replace(' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"', ""), {
    "x-amz-request-id": requestId,
  });
}
