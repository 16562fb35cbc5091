import type { IncomingHttpHeaders } from "node:http";
import type { Transform } from "node:stream";

export interface CredentialStore {
  secretFor(accessKeyId: string): string | undefined;
}

export interface SignedRequest {
  method: string;
  /** The path exactly as received on the wire (still percent-encoded), without the query. */
  rawPath: string;
  /** The query string as received, without '?', possibly "". */
  rawQuery: string;
  headers: IncomingHttpHeaders;
}

export type PayloadCheck =
  | { kind: "unsigned" } // UNSIGNED-PAYLOAD, and presigned URLs
  | { kind: "sha256"; hex: string } // x-amz-content-sha256 is a hex digest: verify the body against it
  | { kind: "streaming"; decoder: () => Transform } // STREAMING-AWS4-HMAC-SHA256-PAYLOAD (aws-chunked, chained chunk signatures; also the -TRAILER variant)
  | { kind: "unsigned-trailer"; decoder: () => Transform }; // STREAMING-UNSIGNED-PAYLOAD-TRAILER (aws-chunked without chunk signatures, trailing checksum headers)

export interface AuthResult {
  accessKeyId: string;
  payload: PayloadCheck;
  /** decoded content length for aws-chunked (x-amz-decoded-content-length) */
  decodedLength?: number;
}
