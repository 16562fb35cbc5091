import type { ErrorCode } from "./error-codes.ts";

export interface AppErrorOptions {
  /** Dotted path of the input field at fault, e.g. `rules[2].filter.prefix`. */
  field?: string;
  /** Structured details safe to show to the caller. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type of Herald. Transports map `code` to their status in error-mapping.ts. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }

  toJSON(): { code: ErrorCode; message: string; field?: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
