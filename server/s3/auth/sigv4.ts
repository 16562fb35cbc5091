/**
 * AWS Signature Version 4 verification for Herald's S3-compatible endpoint.
 * The one module the endpoint imports; the work lives in the files beside it.
 *
 * authenticate() throws AppError: Forbidden ("AccessDenied": anonymous
 * request, presigned URL expired with message "Request has expired", or
 * x-amz-* headers outside the signature), InvalidAccessKeyId,
 * SignatureDoesNotMatch, RequestTimeTooSkewed (more than 15 minutes from
 * `now`), AuthorizationHeaderMalformed (unparsable Authorization or
 * credential scope), InvalidArgument (X-Amz-Expires > 604800 or < 1, bad
 * x-amz-content-sha256), InvalidRequest (missing x-amz-content-sha256,
 * Signature Version 2).
 */
export type { AuthResult, CredentialStore, PayloadCheck, SignedRequest } from "./types.ts";
export { authenticate } from "./authenticate.ts";
export { sha256Verifier } from "./sha256-verifier.ts";
