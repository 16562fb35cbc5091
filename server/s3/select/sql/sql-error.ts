import { AppError } from "../../../errors/app-error.ts";
import type { ErrorCode } from "../../../errors/error-codes.ts";
import type { SourcePosition } from "./tokens.ts";

/** Builds the AppError of a query problem; the message and details name the position. */
export function sqlError(code: ErrorCode, pos: SourcePosition, message: string, token?: string): AppError {
  return new AppError(code, `at line ${pos.line}, column ${pos.column}: ${message}`, {
    details: { line: pos.line, column: pos.column, ...(token === undefined ? {} : { token }) },
  });
}
