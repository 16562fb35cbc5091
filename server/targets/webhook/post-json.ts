import type { Dispatcher } from "undici";

export interface PostResult {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** The first bytes of the body, kept only for non-2xx answers (error messages). */
  snippet: string;
}

const SNIPPET_BYTES = 512;

/**
 * One POST through undici's dispatch API: the status, the headers and, for
 * errors, the start of the body. Cheaper than `request()`, which builds a
 * readable stream per response: on a 2xx the body is only discarded.
 */
export function postJson(dispatcher: Dispatcher, path: string, headers: Record<string, string>, body: string): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    let statusCode = 0;
    let responseHeaders: PostResult["headers"] = {};
    const kept: Buffer[] = [];
    let keptBytes = 0;
    // The classic handler shape: undici 7's Pool.dispatch checks for it.
    dispatcher.dispatch(
      { method: "POST", path, headers, body },
      {
        onConnect() {},
        onHeaders(status: number, raw: Buffer[]) {
          statusCode = status;
          if (status < 200 || status >= 300) responseHeaders = headerRecord(raw);
          return true;
        },
        onData(chunk: Buffer) {
          if ((statusCode < 200 || statusCode >= 300) && keptBytes < SNIPPET_BYTES) {
            const part = chunk.subarray(0, SNIPPET_BYTES - keptBytes);
            kept.push(part);
            keptBytes += part.length;
          }
          return true;
        },
        onComplete() {
          resolve({ statusCode, headers: responseHeaders, snippet: Buffer.concat(kept).toString("utf8").replace(/\s+/g, " ").trim() });
        },
        onError(error: Error) {
          reject(error);
        },
      } as unknown as Dispatcher.DispatchHandler,
    );
  });
}

function headerRecord(raw: Buffer[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) out[raw[i]!.toString("latin1").toLowerCase()] = raw[i + 1]!.toString("latin1");
  return out;
}
