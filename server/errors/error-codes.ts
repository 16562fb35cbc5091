/**
 * Every error Herald reports has one of these codes. The mapping to transport
 * status lives in error-mapping.ts, so adding a code is a one-file change there.
 */
export const ERROR_CODES = [
  // input and validation
  "ValidationError",
  "InvalidEventName",
  "DuplicateEventName",
  "FilterNameInvalid",
  "FilterValueTooLong",
  "FilterValueInvalid",
  "FilterDuplicate",
  "TargetArnNotFound",
  "DuplicateRuleId",
  "UnsupportedConfiguration",
  "MalformedXML",
  "InvalidTargetConfig",
  "PayloadTooLarge",
  // auth
  "Unauthorized",
  "Forbidden",
  // state
  "NotFound",
  "Conflict",
  "SlowDown",
  "ShuttingDown",
  // the S3 endpoint: AWS's own codes, so S3 clients recognise them
  "NoSuchBucket",
  "NoSuchKey",
  "NoSuchUpload",
  "BucketAlreadyOwnedByYou",
  "BucketNotEmpty",
  "InvalidBucketName",
  "InvalidPart",
  "InvalidPartOrder",
  "EntityTooSmall",
  "EntityTooLarge",
  "BadDigest",
  "InvalidDigest",
  "InvalidRange",
  "PreconditionFailed",
  "NotModified",
  "InvalidArgument",
  "InvalidRequest",
  "KeyTooLongError",
  "MissingContentLength",
  "SignatureDoesNotMatch",
  "InvalidAccessKeyId",
  "RequestTimeTooSkewed",
  "AuthorizationHeaderMalformed",
  "XAmzContentSHA256Mismatch",
  "IncompleteBody",
  "NotImplemented",
  "InsufficientStorage",
  // everything else
  "InternalError",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
