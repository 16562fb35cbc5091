import { z } from "zod";

export const EVENT_OUTCOMES = ["unmatched", "pending", "delivered", "dead", "discarded"] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

/** Archive search filters (HTTP query, tRPC input, replay selection). */
export const archiveQuerySchema = z.object({
  bucket: z.string().min(1).optional(),
  keyPrefix: z.string().min(1).optional(),
  eventName: z.string().min(1).optional(),
  /** Inclusive lower bound, ISO time or epoch ms, on the time Herald received the event. */
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  outcome: z.enum(EVENT_OUTCOMES).optional(),
  /** Return events with seq below this (the previous page's nextCursor). */
  cursor: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

export type ArchiveQuery = z.infer<typeof archiveQuerySchema>;
