import { randomBytes } from "node:crypto";
import http from "node:http";
import type { Readable } from "node:stream";
import { AppError } from "../../errors/app-error.ts";
import type { RecordInput } from "../../events/build-record.ts";
import { authenticate, sha256Verifier, type AuthResult } from "../auth/sigv4.ts";
import type { S3Call, S3Deps } from "./s3-call.ts";
import { operationOf } from "./s3-operation.ts";
import { header, resolveTarget } from "./s3-request.ts";
import { sendS3Error } from "./s3-response.ts";

/** S3's request ids: 16 upper-case hex characters. */
function requestId(): string {
  return randomBytes(8).toString("hex").toUpperCase();
}

/** The body as the operation may read it: decoded from aws-chunked and checked against its signature or digest. */
function verifiedBody(req: http.IncomingMessage, auth: AuthResult): Readable {
  const payload = auth.payload;
  if (payload.kind === "unsigned") return req;
  const transform = payload.kind === "sha256" ? sha256Verifier(payload.hex) : payload.decoder();
  req.on("error", (error) => transform.destroy(error));
  return req.pipe(transform);
}

/**
 * The S3-compatible endpoint: authenticates every request (Signature V4 in
 * headers or a presigned URL), runs the operation against the object store,
 * and emits the operation's event after it succeeded, by default waiting
 * until the event is durably queued so that a 200 means the event cannot be
 * lost.
 */
export function createS3Server(deps: S3Deps): http.Server {
  const { logger } = deps;
  const server = http.createServer((req, res) => {
    const id = requestId();
    res.setHeader("x-amz-request-id", id);
    res.setHeader("server", "Herald");
    let resource = req.url ?? "/";
    handle(req, res, id, (r) => (resource = r)).catch((error: unknown) => sendS3Error(req, res, error, id, resource, logger));
  });
  server.keepAliveTimeout = 65_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, id: string, setResource: (r: string) => void): Promise<void> {
    const target = resolveTarget(req, deps.options.domain);
    setResource(target.rawPath);
    const auth = authenticate({ method: req.method ?? "GET", rawPath: target.rawPath, rawQuery: target.rawQuery, headers: req.headers }, deps.credentials, deps.clock());
    const operation = operationOf(req, target);
    const call: S3Call = {
      req,
      res,
      target,
      auth,
      requestId: id,
      deps,
      body: () => verifiedBody(req, auth),
      bodyLength: () => {
        if (auth.decodedLength !== undefined) return auth.decodedLength;
        const length = header(req, "content-length");
        return length === undefined ? undefined : Number(length);
      },
      emit: async (eventName, object) => {
        const input: RecordInput = {
          eventName,
          bucket: target.bucket ?? "",
          key: object?.key ?? "",
          size: object?.size,
          eTag: object?.eTag,
          contentType: object?.contentType,
          metadata: object?.metadata,
          principalId: auth.accessKeyId,
          requestId: id,
          sourceIp: req.socket.remoteAddress,
          source: { host: req.socket.remoteAddress, port: req.socket.remotePort, userAgent: header(req, "user-agent") },
        };
        const accepted = deps.emitter.emit([input]);
        if (deps.options.asyncEvents) {
          accepted.catch((error: unknown) => logger.error({ err: error, requestId: id, eventName }, "S3 event could not be queued"));
          return;
        }
        try {
          await accepted;
        } catch (error) {
          // The operation happened but its event is not safe: the client must not see success.
          throw error instanceof AppError && (error.code === "SlowDown" || error.code === "ShuttingDown")
            ? error
            : new AppError("InternalError", "the operation's event could not be queued", { cause: error });
        }
      },
    };
    await operation.run(call);
  }

  return server;
}
