import { once } from "node:events";
import { AppError } from "../../errors/app-error.ts";
import { readLimited } from "../../http/read-body.ts";
import { runSelect } from "../select/run-select.ts";
import { openStoredObject } from "../select/select-object.ts";
import type { S3Call } from "./s3-call.ts";
import { parseSelectRequest } from "./select-request.ts";

/** The expression may be 256 KiB; options and XML around it add little. */
const MAX_REQUEST_BYTES = 1024 * 1024;

/**
 * SelectObjectContent: the query runs over the one object the request names
 * and answers in AWS's event-stream framing. Errors found before the first
 * message (bad SQL, options, a missing object, a cast failing on the first
 * records) are ordinary S3 XML errors with their HTTP status; later ones are
 * an error message in the stream, which then has no End.
 */
export async function selectObjectContent(call: S3Call, bucket: string, key: string): Promise<void> {
  const request = parseSelectRequest((await readLimited(call.body(), MAX_REQUEST_BYTES)).toString("utf8"));
  const { object } = await openStoredObject(call.deps.store, bucket, key);
  const controller = new AbortController();
  const { res } = call;
  res.once("close", () => {
    if (!res.writableFinished) controller.abort(new AppError("QueryCancelled", "The client closed the connection"));
  });
  await runSelect(
    request,
    object,
    {
      message(bytes) {
        if (!res.headersSent) {
          res.writeHead(200, { "content-type": "application/octet-stream", "x-amz-request-id": call.requestId });
        }
        return res.write(bytes);
      },
      drained: () => once(res, "drain", { signal: controller.signal }).then(() => undefined),
    },
    { signal: controller.signal, now: () => new Date(call.deps.clock()), ...(call.deps.duckdb === undefined ? {} : { duckdb: call.deps.duckdb }) },
  );
  res.end();
}
