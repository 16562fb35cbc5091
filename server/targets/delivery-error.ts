/**
 * What a failed send means for the queue is decided by the error's type, not
 * by parsing messages: retry later, or give up (dead letter) now.
 */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  readonly statusCode: number | undefined;
  /** From Retry-After or the protocol's own throttling hint. */
  readonly retryAfterMs: number | undefined;
  /** The target says it is gone (HTTP 410): pause it until an operator resumes it. */
  readonly pauseTarget: boolean;

  constructor(
    message: string,
    options: { retryable: boolean; statusCode?: number; retryAfterMs?: number; pauseTarget?: boolean; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DeliveryError";
    this.retryable = options.retryable;
    this.statusCode = options.statusCode;
    this.retryAfterMs = options.retryAfterMs;
    this.pauseTarget = options.pauseTarget ?? false;
  }
}

/** Unknown failures (connection resets, driver errors) are worth retrying. */
export function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryError(message || "delivery failed", { retryable: true, cause: error });
}
