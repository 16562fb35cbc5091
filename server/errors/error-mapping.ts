import type { ZodError } from "zod";
import { AppError } from "./app-error.ts";
import type { ErrorCode } from "./error-codes.ts";

interface Mapping {
  http: number;
  /** The S3 error code used when the error is answered in S3 XML. */
  s3: string;
  /** The tRPC error code (see @trpc/server TRPC_ERROR_CODE_KEY). */
  trpc: string;
}

const MAPPINGS: Record<ErrorCode, Mapping> = {
  ValidationError: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  InvalidEventName: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  DuplicateEventName: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  FilterNameInvalid: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  FilterValueTooLong: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  FilterValueInvalid: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  FilterDuplicate: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  TargetArnNotFound: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  DuplicateRuleId: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  UnsupportedConfiguration: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  MalformedXML: { http: 400, s3: "MalformedXML", trpc: "BAD_REQUEST" },
  InvalidTargetConfig: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  PayloadTooLarge: { http: 413, s3: "EntityTooLarge", trpc: "PAYLOAD_TOO_LARGE" },
  Unauthorized: { http: 401, s3: "AccessDenied", trpc: "UNAUTHORIZED" },
  Forbidden: { http: 403, s3: "AccessDenied", trpc: "FORBIDDEN" },
  NotFound: { http: 404, s3: "NoSuchKey", trpc: "NOT_FOUND" },
  Conflict: { http: 409, s3: "OperationAborted", trpc: "CONFLICT" },
  SlowDown: { http: 503, s3: "SlowDown", trpc: "TOO_MANY_REQUESTS" },
  ShuttingDown: { http: 503, s3: "ServiceUnavailable", trpc: "SERVICE_UNAVAILABLE" },
  NoSuchBucket: { http: 404, s3: "NoSuchBucket", trpc: "NOT_FOUND" },
  NoSuchKey: { http: 404, s3: "NoSuchKey", trpc: "NOT_FOUND" },
  NoSuchUpload: { http: 404, s3: "NoSuchUpload", trpc: "NOT_FOUND" },
  BucketAlreadyOwnedByYou: { http: 409, s3: "BucketAlreadyOwnedByYou", trpc: "CONFLICT" },
  BucketNotEmpty: { http: 409, s3: "BucketNotEmpty", trpc: "CONFLICT" },
  InvalidBucketName: { http: 400, s3: "InvalidBucketName", trpc: "BAD_REQUEST" },
  InvalidPart: { http: 400, s3: "InvalidPart", trpc: "BAD_REQUEST" },
  InvalidPartOrder: { http: 400, s3: "InvalidPartOrder", trpc: "BAD_REQUEST" },
  EntityTooSmall: { http: 400, s3: "EntityTooSmall", trpc: "BAD_REQUEST" },
  EntityTooLarge: { http: 400, s3: "EntityTooLarge", trpc: "PAYLOAD_TOO_LARGE" },
  BadDigest: { http: 400, s3: "BadDigest", trpc: "BAD_REQUEST" },
  InvalidDigest: { http: 400, s3: "InvalidDigest", trpc: "BAD_REQUEST" },
  InvalidRange: { http: 416, s3: "InvalidRange", trpc: "BAD_REQUEST" },
  PreconditionFailed: { http: 412, s3: "PreconditionFailed", trpc: "PRECONDITION_FAILED" },
  NotModified: { http: 304, s3: "NotModified", trpc: "BAD_REQUEST" },
  InvalidArgument: { http: 400, s3: "InvalidArgument", trpc: "BAD_REQUEST" },
  InvalidRequest: { http: 400, s3: "InvalidRequest", trpc: "BAD_REQUEST" },
  KeyTooLongError: { http: 400, s3: "KeyTooLongError", trpc: "BAD_REQUEST" },
  MissingContentLength: { http: 411, s3: "MissingContentLength", trpc: "BAD_REQUEST" },
  SignatureDoesNotMatch: { http: 403, s3: "SignatureDoesNotMatch", trpc: "FORBIDDEN" },
  InvalidAccessKeyId: { http: 403, s3: "InvalidAccessKeyId", trpc: "FORBIDDEN" },
  RequestTimeTooSkewed: { http: 403, s3: "RequestTimeTooSkewed", trpc: "FORBIDDEN" },
  AuthorizationHeaderMalformed: { http: 400, s3: "AuthorizationHeaderMalformed", trpc: "BAD_REQUEST" },
  XAmzContentSHA256Mismatch: { http: 400, s3: "XAmzContentSHA256Mismatch", trpc: "BAD_REQUEST" },
  IncompleteBody: { http: 400, s3: "IncompleteBody", trpc: "BAD_REQUEST" },
  NotImplemented: { http: 501, s3: "NotImplemented", trpc: "METHOD_NOT_SUPPORTED" },
  InsufficientStorage: { http: 507, s3: "InsufficientStorage", trpc: "INTERNAL_SERVER_ERROR" },
  ExpressionTooLong: { http: 400, s3: "ExpressionTooLong", trpc: "BAD_REQUEST" },
  OverMaxRecordSize: { http: 400, s3: "OverMaxRecordSize", trpc: "BAD_REQUEST" },
  ParseUnexpectedToken: { http: 400, s3: "ParseUnexpectedToken", trpc: "BAD_REQUEST" },
  ParseUnExpectedKeyword: { http: 400, s3: "ParseUnExpectedKeyword", trpc: "BAD_REQUEST" },
  ParseExpectedExpression: { http: 400, s3: "ParseExpectedExpression", trpc: "BAD_REQUEST" },
  ParseUnexpectedOperator: { http: 400, s3: "ParseUnexpectedOperator", trpc: "BAD_REQUEST" },
  ParseUnknownOperator: { http: 400, s3: "ParseUnknownOperator", trpc: "BAD_REQUEST" },
  ParseInvalidPathComponent: { http: 400, s3: "ParseInvalidPathComponent", trpc: "BAD_REQUEST" },
  ParseExpectedTokenType: { http: 400, s3: "ParseExpectedTokenType", trpc: "BAD_REQUEST" },
  ParseUnsupportedSyntax: { http: 400, s3: "ParseUnsupportedSyntax", trpc: "BAD_REQUEST" },
  LexerInvalidChar: { http: 400, s3: "LexerInvalidChar", trpc: "BAD_REQUEST" },
  LexerInvalidLiteral: { http: 400, s3: "LexerInvalidLiteral", trpc: "BAD_REQUEST" },
  EvaluatorBindingDoesNotExist: { http: 400, s3: "EvaluatorBindingDoesNotExist", trpc: "BAD_REQUEST" },
  AmbiguousFieldName: { http: 400, s3: "AmbiguousFieldName", trpc: "BAD_REQUEST" },
  CastFailed: { http: 400, s3: "CastFailed", trpc: "BAD_REQUEST" },
  InvalidCast: { http: 400, s3: "InvalidCast", trpc: "BAD_REQUEST" },
  InvalidFileHeaderInfo: { http: 400, s3: "InvalidFileHeaderInfo", trpc: "BAD_REQUEST" },
  InvalidCompressionFormat: { http: 400, s3: "InvalidCompressionFormat", trpc: "BAD_REQUEST" },
  UnsupportedSqlOperation: { http: 400, s3: "UnsupportedSqlOperation", trpc: "BAD_REQUEST" },
  IncorrectSqlFunctionArgumentType: { http: 400, s3: "IncorrectSqlFunctionArgumentType", trpc: "BAD_REQUEST" },
  EvaluatorInvalidArguments: { http: 400, s3: "EvaluatorInvalidArguments", trpc: "BAD_REQUEST" },
  MissingRequiredParameter: { http: 400, s3: "MissingRequiredParameter", trpc: "BAD_REQUEST" },
  InvalidExpressionType: { http: 400, s3: "InvalidExpressionType", trpc: "BAD_REQUEST" },
  InvalidQuoteFields: { http: 400, s3: "InvalidQuoteFields", trpc: "BAD_REQUEST" },
  InvalidJsonType: { http: 400, s3: "InvalidJsonType", trpc: "BAD_REQUEST" },
  InvalidRequestParameter: { http: 400, s3: "InvalidRequestParameter", trpc: "BAD_REQUEST" },
  QueryCancelled: { http: 400, s3: "RequestCancelled", trpc: "CLIENT_CLOSED_REQUEST" },
  InvalidDataType: { http: 400, s3: "InvalidDataType", trpc: "BAD_REQUEST" },
  ParquetParsingError: { http: 400, s3: "ParquetParsingError", trpc: "BAD_REQUEST" },
  InternalError: { http: 500, s3: "InternalError", trpc: "INTERNAL_SERVER_ERROR" },
};

export function httpStatusOf(code: ErrorCode): number {
  return MAPPINGS[code].http;
}

export function s3CodeOf(code: ErrorCode): string {
  return MAPPINGS[code].s3;
}

export function trpcCodeOf(code: ErrorCode): string {
  return MAPPINGS[code].trpc;
}

/** Turns a zod failure into a ValidationError naming the first field and rule at fault. */
export function fromZodError(error: ZodError, fieldPrefix?: string): AppError {
  const issue = error.issues[0];
  const path = [fieldPrefix, ...(issue?.path ?? []).map(String)].filter((p) => p !== undefined && p !== "");
  const field = path.join(".").replace(/\.(\d+)(?=\.|$)/g, "[$1]");
  const message = issue ? `${field || "input"}: ${issue.message}` : "invalid input";
  return new AppError("ValidationError", message, {
    ...(field ? { field } : {}),
    details: { issues: error.issues.map((i) => ({ path: i.path.map(String), message: i.message, code: i.code })) },
  });
}

/** Anything thrown becomes an AppError; unknown failures become InternalError without leaking internals. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError("InternalError", "internal error", { cause: error });
}
