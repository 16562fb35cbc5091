import { type Hash, createHash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { AppError } from "../../errors/app-error.ts";
import { EMPTY_SHA256, sha256Hex, signatureHex, signaturesMatch } from "./signing-key.ts";

/** What chains the chunk signatures to the request: absent for STREAMING-UNSIGNED-PAYLOAD-TRAILER. */
export interface ChunkSigning {
  signingKey: Buffer;
  /** The request's x-amz-date. */
  amzDate: string;
  /** "date/region/s3/aws4_request" */
  scope: string;
  /** The request's own signature: the "previous signature" of the first chunk. */
  seedSignature: string;
}

export interface AwsChunkedOptions {
  signing?: ChunkSigning;
  /** Trailing headers (x-amz-checksum-*, x-amz-trailer-signature) follow the zero-length chunk. */
  trailer: boolean;
  /** x-amz-decoded-content-length: the payload must be exactly this long. */
  decodedLength?: number;
}

// A chunk header is "<16 hex digits at most>;chunk-signature=<64 hex>": far below this.
// The cap keeps a client that never sends CRLF from growing a line without bound.
const MAX_LINE_BYTES = 4096;
const MAX_TRAILER_BYTES = 16 * 1024;
const SIGNED_SIZE_LINE = /^([0-9a-fA-F]{1,16});chunk-signature=([0-9a-fA-F]{64})$/;
const UNSIGNED_SIZE_LINE = /^([0-9a-fA-F]{1,16})(?:;.*)?$/;

type State = "size-line" | "data" | "data-crlf" | "trailer" | "final-crlf" | "done";

/**
 * Decodes an aws-chunked body as it streams: payload bytes are passed on as
 * they arrive and each chunk's signature is checked when its last byte is
 * seen, so memory stays bounded whatever the chunk size. Bytes of a chunk
 * are therefore emitted before that chunk is verified: consumers must treat
 * the output as provisional until the stream ends without error, which they
 * must do anyway to notice a truncated body.
 */
export class AwsChunkedDecoder extends Transform {
  private readonly signing: ChunkSigning | undefined;
  private readonly trailer: boolean;
  private readonly decodedLength: number | undefined;

  private state: State = "size-line";
  private lineParts: Buffer[] = [];
  private lineBytes = 0;
  private remaining = 0;
  private chunkHash: Hash | undefined;
  private declaredSignature = "";
  private previousSignature: string;
  private chunkIndex = 0;
  private crlfSeen = 0;
  private emitted = 0;
  private trailerBytes = 0;
  private readonly trailerLines: [string, string][] = [];
  private trailerSignature: string | undefined;
  private receivedTrailers: Record<string, string> | undefined;

  constructor(options: AwsChunkedOptions) {
    super();
    this.signing = options.signing;
    this.trailer = options.trailer;
    this.decodedLength = options.decodedLength;
    this.previousSignature = options.signing?.seedSignature ?? "";
  }

  /** The trailing headers (e.g. x-amz-checksum-crc32), once the stream has ended; x-amz-trailer-signature excluded. */
  get trailers(): Record<string, string> | undefined {
    return this.receivedTrailers;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.state === "trailer" && !this.signing && this.trailerBytes === 0 && this.lineBytes === 0) {
      // The AWS SDK ends an aws-chunked body with a bare "0\r\n" when it has no checksum to trail.
      this.finishTrailers();
    }
    if (this.state !== "done") {
      callback(new AppError("IncompleteBody", "The aws-chunked body ended before its final chunk."));
      return;
    }
    if (this.decodedLength !== undefined && this.emitted !== this.decodedLength) {
      callback(
        new AppError(
          "IncompleteBody",
          `You did not provide the number of bytes specified by x-amz-decoded-content-length (${this.emitted} of ${this.decodedLength}).`,
        ),
      );
      return;
    }
    callback();
  }

  private consume(buffer: Buffer): void {
    let offset = 0;
    while (offset < buffer.length) {
      switch (this.state) {
        case "size-line": {
          const { line, next } = this.readLine(buffer, offset, MAX_LINE_BYTES);
          offset = next;
          if (line !== undefined) this.startChunk(line);
          break;
        }
        case "data": {
          const take = Math.min(this.remaining, buffer.length - offset);
          const bytes = buffer.subarray(offset, offset + take);
          offset += take;
          this.remaining -= take;
          this.emitted += take;
          this.chunkHash?.update(bytes);
          this.push(bytes);
          if (this.remaining === 0) {
            this.verifyChunk(this.chunkHash?.digest("hex") ?? "");
            this.state = "data-crlf";
            this.crlfSeen = 0;
          }
          break;
        }
        case "data-crlf":
        case "final-crlf": {
          const expected = this.crlfSeen === 0 ? 0x0d : 0x0a;
          if (buffer[offset] !== expected) throw malformed("a chunk's data is not followed by CRLF");
          offset += 1;
          this.crlfSeen += 1;
          if (this.crlfSeen === 2) this.state = this.state === "data-crlf" ? "size-line" : "done";
          break;
        }
        case "trailer": {
          const before = offset;
          const { line, next } = this.readLine(buffer, offset, MAX_LINE_BYTES);
          offset = next;
          this.trailerBytes += next - before;
          if (this.trailerBytes > MAX_TRAILER_BYTES) throw malformed("the trailing headers are too long");
          if (line !== undefined) this.trailerLine(line);
          break;
        }
        case "done": {
          // Tolerate a stray line ending after the last CRLF, nothing else.
          const byte = buffer[offset];
          if (byte !== 0x0d && byte !== 0x0a) throw malformed("data follows the final chunk");
          offset += 1;
          break;
        }
      }
    }
  }

  /** Accumulates up to a CRLF across packets; returns the line without it once complete. */
  private readLine(buffer: Buffer, offset: number, limit: number): { line: string | undefined; next: number } {
    const lf = buffer.indexOf(0x0a, offset);
    const end = lf === -1 ? buffer.length : lf + 1;
    this.lineBytes += end - offset;
    if (this.lineBytes > limit) throw malformed("a chunk header line is too long");
    // Copied, so a retained fragment does not pin a whole network buffer.
    this.lineParts.push(Buffer.from(buffer.subarray(offset, end)));
    if (lf === -1) return { line: undefined, next: end };
    const whole = Buffer.concat(this.lineParts);
    this.lineParts = [];
    this.lineBytes = 0;
    if (whole.length < 2 || whole[whole.length - 2] !== 0x0d) throw malformed("a line does not end with CRLF");
    return { line: whole.subarray(0, whole.length - 2).toString("latin1"), next: end };
  }

  private startChunk(line: string): void {
    const match = (this.signing ? SIGNED_SIZE_LINE : UNSIGNED_SIZE_LINE).exec(line);
    if (!match) {
      throw malformed(
        this.signing ? `'${line.slice(0, 120)}' is not '<hex size>;chunk-signature=<signature>'` : `'${line.slice(0, 120)}' is not a hex chunk size`,
      );
    }
    const size = Number.parseInt(match[1] ?? "", 16);
    if (!Number.isSafeInteger(size)) throw malformed("a chunk size is too large");
    if (this.decodedLength !== undefined && this.emitted + size > this.decodedLength) {
      throw new AppError(
        "InvalidRequest",
        `The aws-chunked body carries more than the ${this.decodedLength} bytes declared by x-amz-decoded-content-length.`,
      );
    }
    this.declaredSignature = match[2] ?? "";
    this.chunkIndex += 1;
    if (size === 0) {
      this.verifyChunk(EMPTY_SHA256);
      if (this.trailer) {
        this.state = "trailer";
      } else {
        this.state = "final-crlf";
        this.crlfSeen = 0;
      }
      return;
    }
    this.remaining = size;
    this.chunkHash = this.signing ? createHash("sha256") : undefined;
    this.state = "data";
  }

  private verifyChunk(payloadHashHex: string): void {
    if (!this.signing) return;
    const stringToSign = [
      "AWS4-HMAC-SHA256-PAYLOAD",
      this.signing.amzDate,
      this.signing.scope,
      this.previousSignature,
      EMPTY_SHA256,
      payloadHashHex,
    ].join("\n");
    const expected = signatureHex(this.signing.signingKey, stringToSign);
    if (!signaturesMatch(expected, this.declaredSignature)) {
      throw new AppError("SignatureDoesNotMatch", `The signature of aws-chunked chunk ${this.chunkIndex} does not match.`);
    }
    this.previousSignature = expected;
  }

  private trailerLine(line: string): void {
    if (line === "") {
      this.finishTrailers();
      return;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw malformed(`the trailing header '${line.slice(0, 120)}' is not 'name:value'`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "x-amz-trailer-signature") this.trailerSignature = value;
    else this.trailerLines.push([name, value]);
  }

  private finishTrailers(): void {
    if (this.signing) this.verifyTrailerSignature(this.signing);
    this.receivedTrailers = Object.fromEntries(this.trailerLines);
    this.state = "done";
  }

  private verifyTrailerSignature(signing: ChunkSigning): void {
    if (this.trailerSignature === undefined) {
      throw new AppError("SignatureDoesNotMatch", "The aws-chunked trailer has no x-amz-trailer-signature.");
    }
    const sign = (lines: readonly [string, string][]): string =>
      signatureHex(
        signing.signingKey,
        [
          "AWS4-HMAC-SHA256-TRAILER",
          signing.amzDate,
          signing.scope,
          this.previousSignature,
          sha256Hex(lines.map(([name, value]) => `${name}:${value}\n`).join("")),
        ].join("\n"),
      );
    // Signers hash the trailers in the order they send them, and all known ones send them sorted;
    // the sorted form is tried too so a signer that hashes sorted but sends unsorted still passes.
    const sorted = [...this.trailerLines].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const candidates = [sign(this.trailerLines)];
    if (sorted.some((entry, index) => entry !== this.trailerLines[index])) candidates.push(sign(sorted));
    const declared = this.trailerSignature;
    if (!candidates.some((expected) => signaturesMatch(expected, declared))) {
      throw new AppError("SignatureDoesNotMatch", "The aws-chunked trailer signature does not match.");
    }
  }
}

export function createAwsChunkedDecoder(options: AwsChunkedOptions): AwsChunkedDecoder {
  return new AwsChunkedDecoder(options);
}

function malformed(reason: string): AppError {
  return new AppError("InvalidRequest", `Malformed aws-chunked body: ${reason}.`);
}
