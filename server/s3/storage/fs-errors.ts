import { AppError } from "../../errors/app-error.ts";

export function errnoCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

export function isNotFound(error: unknown): boolean {
  // ENOTDIR: a path component that should be a directory is a file, which for us also means "not there".
  const code = errnoCode(error);
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * A full disk is the one file system failure a client can do something about
 * (retry later, elsewhere), so it gets its own S3 code; everything else stays
 * the raw error and becomes InternalError at the edge.
 */
export function mapWriteError(error: unknown): unknown {
  const code = errnoCode(error);
  if (code === "ENOSPC" || code === "EDQUOT") {
    return new AppError("InsufficientStorage", "Insufficient storage to complete the request", { cause: error });
  }
  return error;
}

/** Runs `work`, turning a full disk into InsufficientStorage. */
export async function writing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw mapWriteError(error);
  }
}
