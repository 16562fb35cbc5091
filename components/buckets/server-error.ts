/** What the console shows of a failed call: tRPC errors carry Herald's code and the input field at fault in `data`. */
export interface ServerError {
  message: string;
  field: string | null;
  appCode: string | null;
}

export function serverErrorOf(error: { message: string; data?: unknown } | null | undefined): ServerError | null {
  if (!error) return null;
  const data = typeof error.data === "object" && error.data !== null ? (error.data as Record<string, unknown>) : {};
  return {
    message: error.message,
    field: typeof data.field === "string" && data.field !== "" ? data.field : null,
    appCode: typeof data.appCode === "string" ? data.appCode : null,
  };
}
