import { z } from "zod";
import { addEventNameIssue, toInputError } from "../events/emit-input.ts";
import { expandEventPattern, isEventPattern, type EventName, type EventPattern } from "../events/event-names.ts";
import type { HeraldEvent } from "../events/s3-record.ts";

const eventPatternSchema = z.string().transform((value, ctx): EventPattern => {
  if (isEventPattern(value)) return value;
  addEventNameIssue(ctx, value);
  return z.NEVER;
});

/** What a live subscriber wants to see; every field given must match. */
export const liveFilterSchema = z.strictObject({
  bucket: z.string().min(1).max(255).optional(),
  /** A single name or a compound pattern (`s3:ObjectCreated:*`, `Everything`). */
  eventPattern: eventPatternSchema.optional(),
  keyPrefix: z.string().max(1024).optional(),
  /** Whether the event matched a rule (and so was queued for delivery) when it was accepted. */
  outcome: z.enum(["matched", "unmatched"]).optional(),
});

export type LiveFilter = z.output<typeof liveFilterSchema>;

/** Validates a filter; errors are AppErrors naming the field (InvalidEventName for patterns). */
export function parseLiveFilter(value: unknown, fieldPrefix?: string): LiveFilter {
  const parsed = liveFilterSchema.safeParse(value);
  if (!parsed.success) throw toInputError(parsed.error, fieldPrefix);
  return parsed.data;
}

/**
 * Compiles a filter once per subscription: the live stream runs it for every
 * event and every client, so the pattern is expanded to a set up front.
 */
export function compileLiveFilter(filter: LiveFilter): (event: HeraldEvent) => boolean {
  const { bucket, keyPrefix, outcome } = filter;
  const names: ReadonlySet<EventName> | undefined =
    filter.eventPattern === undefined ? undefined : new Set(expandEventPattern(filter.eventPattern));
  return (event) =>
    (bucket === undefined || event.bucket === bucket) &&
    (names === undefined || names.has(event.eventName)) &&
    (keyPrefix === undefined || event.key.startsWith(keyPrefix)) &&
    (outcome === undefined || (outcome === "matched") === (event.matched ?? 0) > 0);
}

export function matchesLiveFilter(filter: LiveFilter, event: HeraldEvent): boolean {
  return compileLiveFilter(filter)(event);
}
