/** Error messages by dot-joined field path ("config.endpoint", "delivery.maxAttempts", "id"). */
export type FieldErrors = Record<string, string>;

interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  origin?: string;
  minimum?: unknown;
}

function friendly(issue: IssueLike): string {
  // zod words a missing value as a type or length problem; the operator just left the field empty.
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) return "required";
  if (issue.code === "too_small" && issue.origin === "string" && issue.minimum === 1) return "required";
  return issue.message;
}

/** Keeps the first message per field, as the server reports one per request too. */
export function addIssues(errors: FieldErrors, issues: readonly IssueLike[], prefix: readonly string[] = []): void {
  for (const issue of issues) {
    const key = [...prefix, ...issue.path.map(String)].join(".");
    errors[key] ??= friendly(issue);
  }
}

/**
 * A server error as a field error. The field comes as `config.tls.keyFile`,
 * `rules[0].x` or, for a rejected update input, `update.name`; the message
 * repeats the field as a prefix that is noise once shown next to it.
 */
export function serverFieldError(error: { message: string; data?: { field?: string | null } | null }): { field: string; message: string } {
  const raw = error.data?.field ?? "";
  const field = raw.replace(/^update\./, "").replace(/\[(\d+)\]/g, ".$1");
  const message = raw && error.message.startsWith(`${raw}: `) ? error.message.slice(raw.length + 2) : error.message;
  return { field, message };
}

/** Errors about the children of `path` (array items, map keys), for controls that edit them as one. */
export function errorsUnder(errors: FieldErrors, path: string): [string, string][] {
  return Object.entries(errors).filter(([key]) => key.startsWith(`${path}.`));
}
