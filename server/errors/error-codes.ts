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
  // everything else
  "InternalError",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
