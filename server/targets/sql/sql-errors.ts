import { DeliveryError } from "../delivery-error.ts";

// Retrying cannot fix the data itself (22: data exception, 23: integrity violation, e.g. JSON the server refuses): the batch goes to the failure policy at once.
// Auth and privilege problems and a missing database are retried: an operator fixes them and the queue drains.
const PERMANENT_CLASSES = ["22", "23"];

/** A failed write as the queue sees it: retryable unless the server's SQLSTATE says the data itself is wrong. */
export function sqlDeliveryError(error: unknown, sqlState: string | undefined, message: string): DeliveryError {
  const retryable = sqlState === undefined || !PERMANENT_CLASSES.includes(sqlState.slice(0, 2));
  return new DeliveryError(message, { retryable, cause: error });
}

export interface SqlErrorWording {
  /** "postgres" or "mysql": starts every message. */
  engine: string;
  /** The SQLSTATE when the server answered with one. */
  sqlStateOf(error: unknown): string | undefined;
  /** How the driver's error code is shown after the server's message, e.g. "SQLSTATE 28P01". */
  codeLabel(code: unknown): string;
}

/**
 * The server's own words when it answered ("password authentication failed
 * for user ..."), else why it could not be reached: what an operator reads
 * in the target's health and last error.
 */
export function describeSqlError(error: unknown, wording: SqlErrorWording): string {
  // Happy-eyeballs connects (IPv4 and IPv6 tried) fail with an AggregateError whose own message is empty.
  if (error instanceof AggregateError && error.errors.length > 0 && !error.message) return describeSqlError(error.errors[0], wording);
  if (!(error instanceof Error)) return `${wording.engine}: ${String(error)}`;
  const code = (error as { code?: unknown }).code;
  if (wording.sqlStateOf(error) !== undefined) return `${wording.engine}: ${error.message} (${wording.codeLabel(code)})`;
  const message = error.message || error.name;
  const prefix = typeof code === "string" && !message.includes(code) ? `${code}: ` : "";
  return `${wording.engine} unavailable: ${prefix}${message}`;
}
