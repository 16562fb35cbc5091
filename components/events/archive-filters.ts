import { isEventPattern } from "@/server/events/event-names.ts";
import { archiveQuerySchema, type EventOutcome } from "@/server/store/archive-query.ts";

export const ARCHIVE_FIELDS = ["bucket", "keyPrefix", "eventName", "from", "to", "outcome"] as const;
export type ArchiveField = (typeof ARCHIVE_FIELDS)[number];

/**
 * The archive filters as the URL holds them: "" means unset, `from` and `to`
 * are ISO instants (UTC), so a shared link means the same time in every
 * time zone.
 */
export type ArchiveFilters = Record<ArchiveField, string>;
/** The same filters as the form edits them: `from`/`to` in datetime-local form, local time. */
export type ArchiveDraft = ArchiveFilters;
export type FilterErrors = Partial<Record<ArchiveField, string>>;

/** What events.search takes besides paging. */
export interface ArchiveSearchInput {
  bucket?: string;
  keyPrefix?: string;
  eventName?: string;
  from?: string;
  to?: string;
  outcome?: EventOutcome;
}

export const EMPTY_FILTERS: ArchiveFilters = { bucket: "", keyPrefix: "", eventName: "", from: "", to: "", outcome: "" };

export function isArchiveField(value: unknown): value is ArchiveField {
  return typeof value === "string" && (ARCHIVE_FIELDS as readonly string[]).includes(value);
}

export function filtersFromParams(params: { get(name: string): string | null }): ArchiveFilters {
  const filters = { ...EMPTY_FILTERS };
  for (const field of ARCHIVE_FIELDS) filters[field] = params.get(field) ?? "";
  return filters;
}

/** The URL query (without `?`), fields in a fixed order so equal searches have equal URLs. */
export function filtersToQuery(filters: ArchiveFilters): string {
  const params = new URLSearchParams();
  for (const field of ARCHIVE_FIELDS) if (filters[field] !== "") params.set(field, filters[field]);
  return params.toString();
}

export const hasFilters = (filters: ArchiveFilters): boolean => ARCHIVE_FIELDS.some((field) => filters[field] !== "");

/** An ISO instant as a datetime-local value in the browser's time zone. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString();
  return date.getSeconds() === 0 && date.getMilliseconds() === 0 ? local.slice(0, 16) : local.slice(0, 19);
}

export const draftOf = (filters: ArchiveFilters): ArchiveDraft => ({ ...filters, from: toLocalInput(filters.from), to: toLocalInput(filters.to) });

function parseInstant(value: string): Date | undefined {
  if (value === "") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Checks filters (from the URL, which anyone may edit) and builds the search input. */
export function checkFilters(filters: ArchiveFilters): { input: ArchiveSearchInput; errors: FilterErrors } {
  const errors: FilterErrors = {};
  const from = parseInstant(filters.from);
  const to = parseInstant(filters.to);
  if (filters.from !== "" && !from) errors.from = "Enter a valid date and time";
  if (filters.to !== "" && !to) errors.to = "Enter a valid date and time";
  if (from && to && from > to) errors.to = "Must not be before From";
  if (filters.eventName !== "" && !isEventPattern(filters.eventName)) errors.eventName = `Unknown S3 event name ${JSON.stringify(filters.eventName)}`;

  const input: ArchiveSearchInput = {};
  if (filters.bucket !== "") input.bucket = filters.bucket;
  if (filters.keyPrefix !== "") input.keyPrefix = filters.keyPrefix;
  if (filters.eventName !== "") input.eventName = filters.eventName;
  if (from) input.from = from.toISOString();
  if (to) input.to = to.toISOString();
  // The server's own schema catches the rest (an outcome it does not know, lengths...).
  const parsed = archiveQuerySchema.safeParse({ ...input, outcome: filters.outcome === "" ? undefined : filters.outcome });
  if (parsed.success) {
    if (parsed.data.outcome) input.outcome = parsed.data.outcome;
  } else {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (isArchiveField(field)) errors[field] ??= issue.message;
    }
  }
  return { input, errors };
}

/** The form's values as URL filters: the datetime-local values become ISO instants. */
export function filtersOfDraft(draft: ArchiveDraft): { filters: ArchiveFilters; errors: FilterErrors } {
  const filters = { ...draft };
  const errors: FilterErrors = {};
  for (const field of ["from", "to"] as const) {
    if (draft[field] === "") continue;
    const date = parseInstant(draft[field]);
    if (date) filters[field] = date.toISOString();
    else errors[field] = "Enter a valid date and time";
  }
  return { filters, errors: { ...checkFilters(filters).errors, ...errors } };
}
