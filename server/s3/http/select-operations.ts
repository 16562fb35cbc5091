import { once } from "node:events";
import type { Readable } from "node:stream";
import { AppError } from "../../errors/app-error.ts";
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
  const request = parseSelectRequest(await boundedText(call.body(), MAX_REQUEST_BYTES));
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

async function boundedText(body: Readable, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      body.destroy();
      throw new AppError("PayloadTooLarge", `The request body is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
