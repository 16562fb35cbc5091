import type { inferRouterInputs } from "@trpc/server";
import { archiveQuerySchema } from "@/server/store/archive-query.ts";
import type { AppRouter } from "@/server/trpc/app-router.ts";

export type ReplayFilter = inferRouterInputs<AppRouter>["targets"]["replay"]["filter"];

/** The replay form's raw values, as the inputs hold them. */
export interface ReplayFields {
  from: string;
  to: string;
  bucket: string;
  keyPrefix: string;
  eventName: string;
  outcome: string;
}

export type ReplayFieldErrors = Partial<Record<keyof ReplayFields, string>>;

export const EMPTY_REPLAY_FIELDS: ReplayFields = { from: "", to: "", bucket: "", keyPrefix: "", eventName: "", outcome: "" };

const FIELD_NAMES = Object.keys(EMPTY_REPLAY_FIELDS) as (keyof ReplayFields)[];

/** The server's own replay selection schema, plus the one rule a time window needs. */
const replayFilterSchema = archiveQuerySchema
  .omit({ cursor: true, limit: true })
  .refine((f) => !f.from || !f.to || f.from.getTime() <= f.to.getTime(), { path: ["to"], message: "must not be before From" });

export function isReplayField(name: string): name is keyof ReplayFields {
  return (FIELD_NAMES as string[]).includes(name);
}

/**
 * Validates the form with the server's schema. Empty inputs are left out
 * (no constraint). datetime-local values are the browser's local time; they
 * travel as ISO instants so the server does not read them in its own zone.
 */
export function parseReplayFields(fields: ReplayFields): { ok: true; filter: ReplayFilter; empty: boolean } | { ok: false; errors: ReplayFieldErrors } {
  const raw = Object.fromEntries(FIELD_NAMES.filter((name) => fields[name].trim() !== "").map((name) => [name, fields[name]]));
  const parsed = replayFilterSchema.safeParse(raw);
  if (!parsed.success) {
    const errors: ReplayFieldErrors = {};
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? "");
      // zod's coercion failure reads "expected date, received Date"; say what to do instead.
      if (isReplayField(name)) errors[name] ??= (name === "from" || name === "to") && issue.code === "invalid_type" ? "enter a valid date and time" : issue.message;
    }
    return { ok: false, errors };
  }
  const { from, to, ...rest } = parsed.data;
  const filter: ReplayFilter = { ...rest, ...(from ? { from: from.toISOString() } : {}), ...(to ? { to: to.toISOString() } : {}) };
  return { ok: true, filter, empty: Object.keys(raw).length === 0 };
}
