import { AppError } from "../errors/app-error.ts";
import { toAppError } from "../errors/error-mapping.ts";

export interface QueryPosition {
  line: number;
  column: number;
}

/** What the console shows of a failed query: the S3 Select code, the message and, for SQL errors, where. */
export interface QueryErrorInfo {
  code: string;
  message: string;
  position?: QueryPosition;
}

const POSITION_TEXT = /at line (\d+), column (\d+)/;

/** The position of a SQL error: its details when thrown, its message when it arrived as an event-stream error. */
function positionOf(error: AppError | { message: string }): QueryPosition | undefined {
  if (error instanceof AppError && typeof error.details?.line === "number" && typeof error.details.column === "number") {
    return { line: error.details.line, column: error.details.column };
  }
  const match = POSITION_TEXT.exec(error.message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

export function queryErrorOf(error: unknown): QueryErrorInfo {
  const app = toAppError(error);
  const position = positionOf(app);
  return { code: app.code, message: app.message, ...(position ? { position } : {}) };
}

export function queryErrorFromStream(code: string, message: string): QueryErrorInfo {
  const position = positionOf({ message });
  return { code, message, ...(position ? { position } : {}) };
}
