import type { IncomingHttpHeaders } from "node:http";
import { AppError } from "../../errors/app-error.ts";
import { type RequestTime, formatAmzDate, parseAmzDate, parseHttpDate } from "./amz-date.ts";
import { parseAuthorizationHeader } from "./authorization-header.ts";
import { type ChunkSigning, createAwsChunkedDecoder } from "./aws-chunked-decoder.ts";
import { buildCanonicalRequest, buildStringToSign, headerValue } from "./canonical-request.ts";
import type { CredentialScope } from "./credential-scope.ts";
import { type PayloadMode, parseDecodedLength, parsePayloadMode } from "./payload-mode.ts";
import { isPresigned, parsePresignedQuery } from "./presigned-query.ts";
import { deriveSigningKey, signatureHex, signaturesMatch } from "./signing-key.ts";
import type { AuthResult, CredentialStore, PayloadCheck, SignedRequest } from "./types.ts";
import { assertHeadersSigned } from "./unsigned-headers.ts";
import { type QueryParam, canonicalQuery, canonicalUri, parseQuery } from "./uri-encoding.ts";

/** S3's tolerance between a request's signing time and the server clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * Verifies a Signature Version 4 request (Authorization header or presigned
 * URL) and says how its body must be checked. Throws AppError with the S3
 * code a client expects; see sigv4.ts for the list.
 */
export function authenticate(request: SignedRequest, credentials: CredentialStore, now: number): AuthResult {
  const params = parseQuery(request.rawQuery);
  const authorization = headerText(request.headers, "authorization");
  const presigned = isPresigned(params);
  if (authorization !== undefined && presigned) {
    throw new AppError(
      "InvalidArgument",
      "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
      { field: "authorization" },
    );
  }
  if (presigned) return authenticatePresigned(request, params, credentials, now);
  if (authorization !== undefined) return authenticateHeader(request, authorization, params, credentials, now);
  throw new AppError("Forbidden", "Anonymous access is refused: sign requests with Signature Version 4");
}

function authenticateHeader(
  request: SignedRequest,
  authorization: string,
  params: readonly QueryParam[],
  credentials: CredentialStore,
  now: number,
): AuthResult {
  const parsed = parseAuthorizationHeader(authorization);
  const amzDateHeader = headerText(request.headers, "x-amz-date");
  const time = headerTime(request.headers, amzDateHeader);
  assertScopeDate(parsed.credential, time, "authorization");
  if (Math.abs(now - time.epochMs) > MAX_CLOCK_SKEW_MS) throw tooSkewed(time, now);

  const contentSha256 = headerText(request.headers, "x-amz-content-sha256")?.trim();
  if (contentSha256 === undefined) {
    throw new AppError("InvalidRequest", "Missing required header for this request: x-amz-content-sha256", {
      field: "x-amz-content-sha256",
    });
  }
  const mode = parsePayloadMode(contentSha256, "x-amz-content-sha256");
  assertHeadersSigned(request.headers, parsed.signedHeaders, [
    "x-amz-content-sha256",
    ...(amzDateHeader === undefined ? [] : ["x-amz-date"]),
  ]);

  const secret = secretOf(credentials, parsed.credential.accessKeyId);
  const signingKey = deriveSigningKey(secret, parsed.credential.date, parsed.credential.region, parsed.credential.service);
  const signature = verifySignature(request, params, parsed.signedHeaders, contentSha256, time, parsed.credential, signingKey, parsed.signature);

  const decodedLength =
    mode.kind === "streaming" || mode.kind === "unsigned-trailer"
      ? parseDecodedLength(headerText(request.headers, "x-amz-decoded-content-length"))
      : undefined;
  const payload = payloadCheck(mode, decodedLength, {
    signingKey,
    amzDate: time.amzDate,
    scope: parsed.credential.scope,
    seedSignature: signature,
  });
  return decodedLength === undefined
    ? { accessKeyId: parsed.credential.accessKeyId, payload }
    : { accessKeyId: parsed.credential.accessKeyId, payload, decodedLength };
}

function authenticatePresigned(request: SignedRequest, params: readonly QueryParam[], credentials: CredentialStore, now: number): AuthResult {
  const parsed = parsePresignedQuery(params);
  assertScopeDate(parsed.credential, parsed.time, "X-Amz-Date");
  // A URL signed in the past is governed by X-Amz-Expires; only one from the future is a clock problem.
  if (parsed.time.epochMs - now > MAX_CLOCK_SKEW_MS) throw tooSkewed(parsed.time, now);
  if (now > parsed.time.epochMs + parsed.expiresSeconds * 1000) {
    throw new AppError("Forbidden", "Request has expired", {
      details: {
        expires: new Date(parsed.time.epochMs + parsed.expiresSeconds * 1000).toISOString(),
        serverTime: new Date(now).toISOString(),
      },
    });
  }

  // The AWS presigner hoists x-amz-content-sha256 into the query, where it is signed; a
  // header is the fallback for signers told not to hoist it.
  const fromQuery = params.find((param) => param.name.toLowerCase() === "x-amz-content-sha256")?.value;
  const payloadHash = fromQuery ?? headerText(request.headers, "x-amz-content-sha256")?.trim() ?? "UNSIGNED-PAYLOAD";
  const mode = parsePayloadMode(payloadHash, fromQuery === undefined ? "x-amz-content-sha256" : "X-Amz-Content-Sha256");
  if (mode.kind !== "unsigned" && mode.kind !== "sha256") {
    throw new AppError("InvalidArgument", "A presigned URL cannot carry an aws-chunked payload.", { field: "x-amz-content-sha256" });
  }
  assertHeadersSigned(request.headers, parsed.signedHeaders, ["x-amz-content-sha256"]);

  const secret = secretOf(credentials, parsed.credential.accessKeyId);
  const signingKey = deriveSigningKey(secret, parsed.credential.date, parsed.credential.region, parsed.credential.service);
  verifySignature(request, params, parsed.signedHeaders, payloadHash, parsed.time, parsed.credential, signingKey, parsed.signature);
  return { accessKeyId: parsed.credential.accessKeyId, payload: mode };
}

/** Returns the computed signature, which seeds the aws-chunked chain. */
function verifySignature(
  request: SignedRequest,
  params: readonly QueryParam[],
  signedHeaders: readonly string[],
  payloadHash: string,
  time: RequestTime,
  credential: CredentialScope,
  signingKey: Buffer,
  provided: string,
): string {
  const canonicalRequest = buildCanonicalRequest({
    method: request.method,
    canonicalUri: canonicalUri(request.rawPath),
    canonicalQuery: canonicalQuery(params),
    headers: request.headers,
    signedHeaders,
    payloadHash,
  });
  const stringToSign = buildStringToSign(time.amzDate, credential.scope, canonicalRequest);
  const expected = signatureHex(signingKey, stringToSign);
  if (!signaturesMatch(expected, provided)) {
    // S3 returns both so a client author can diff them against their own; neither holds a secret.
    throw new AppError(
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
      { details: { canonicalRequest, stringToSign } },
    );
  }
  return expected;
}

function payloadCheck(mode: PayloadMode, decodedLength: number | undefined, signing: ChunkSigning): PayloadCheck {
  switch (mode.kind) {
    case "unsigned":
    case "sha256":
      return mode;
    case "streaming":
      return {
        kind: "streaming",
        decoder: () => createAwsChunkedDecoder({ signing, trailer: mode.trailer, ...lengthOption(decodedLength) }),
      };
    case "unsigned-trailer":
      return { kind: "unsigned-trailer", decoder: () => createAwsChunkedDecoder({ trailer: true, ...lengthOption(decodedLength) }) };
  }
}

function lengthOption(decodedLength: number | undefined): { decodedLength?: number } {
  return decodedLength === undefined ? {} : { decodedLength };
}

function headerTime(headers: IncomingHttpHeaders, amzDate: string | undefined): RequestTime {
  const time = amzDate !== undefined ? parseAmzDate(amzDate) : mapDefined(headerText(headers, "date"), parseHttpDate);
  if (!time) {
    throw new AppError("Forbidden", "AWS authentication requires a valid Date or x-amz-date header", {
      field: amzDate !== undefined ? "x-amz-date" : "date",
    });
  }
  return time;
}

function assertScopeDate(credential: CredentialScope, time: RequestTime, field: string): void {
  if (credential.date !== time.amzDate.slice(0, 8)) {
    throw new AppError(
      "AuthorizationHeaderMalformed",
      `The authorization header is malformed; Invalid credential date '${credential.date}'. Date is not the same as X-Amz-Date: '${time.amzDate.slice(0, 8)}'.`,
      { field },
    );
  }
}

function tooSkewed(time: RequestTime, now: number): AppError {
  return new AppError("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", {
    details: { requestTime: time.amzDate, serverTime: formatAmzDate(now), maxAllowedSkewMilliseconds: MAX_CLOCK_SKEW_MS },
  });
}

function secretOf(credentials: CredentialStore, accessKeyId: string): string {
  const secret = credentials.secretFor(accessKeyId);
  if (secret === undefined) {
    throw new AppError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", {
      details: { awsAccessKeyId: accessKeyId },
    });
  }
  return secret;
}

function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headerValue(headers, name);
  return Array.isArray(value) ? value.join(",") : value;
}

function mapDefined<T, R>(value: T | undefined, fn: (value: T) => R): R | undefined {
  return value === undefined ? undefined : fn(value);
}
