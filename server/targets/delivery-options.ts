import { z } from "zod";

/**
 * Per-target delivery behaviour, common to every target type. Defaults are
 * listed in the README; the console renders this schema as a form section.
 */
export const FAILURE_POLICIES = ["retry-then-dead-letter", "block", "discard"] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

export const deliveryOptionsSchema = z.object({
  maxAttempts: z.number().int().min(1).max(1000).default(8).describe("Attempts before the failure policy applies."),
  initialDelayMs: z.number().int().min(0).max(3_600_000).default(500).describe("Delay before the first retry; doubled each time."),
  maxDelayMs: z.number().int().min(1).max(86_400_000).default(60_000).describe("Longest delay between attempts."),
  /** Fraction of each delay that is randomised (0 = none, 1 = full jitter). */
  jitter: z.number().min(0).max(1).default(0.2).describe("Fraction of each delay that is randomised (0 to 1)."),
  /** An event older than this is not retried again. */
  maxAgeMs: z.number().int().min(1000).max(30 * 86_400_000).default(86_400_000).describe("An event older than this is not retried again."),
  failurePolicy: z.enum(FAILURE_POLICIES).default("retry-then-dead-letter").describe("block: retry the oldest until it succeeds; discard: drop instead of dead-lettering."),
  inFlightLimit: z.number().int().min(1).max(10_000).default(64).describe("Concurrent sends to the target."),
  /** Deliver one object key's events in sequence order; other keys are not held back. */
  orderByKey: z.boolean().default(false).describe("Deliver one key's events in order; other keys are not held back."),
  batchSize: z.number().int().min(1).max(10_000).default(1).describe("Events per send."),
  batchTimeoutMs: z.number().int().min(0).max(60_000).default(0).describe("How long a partial batch waits for more events."),
  queueLimit: z.number().int().min(1).max(100_000_000).default(1_000_000).describe("Queued deliveries at which the queue limit policy applies."),
  /** At the limit: refuse new events with 503 SlowDown, or accept and raise an alarm. */
  queueLimitPolicy: z.enum(["reject", "alarm"]).default("reject").describe("reject: refuse new events with 503 SlowDown; alarm: accept and raise an alarm."),
});

export type DeliveryOptions = z.infer<typeof deliveryOptionsSchema>;

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = deliveryOptionsSchema.parse({});
