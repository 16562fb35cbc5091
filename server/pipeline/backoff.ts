import type { DeliveryOptions } from "../targets/delivery-options.ts";

/**
 * Delay before attempt `attempt + 1`, after `attempt` failures: exponential
 * from initialDelayMs, capped at maxDelayMs, with the top `jitter` fraction
 * randomised so that a fleet of retries does not arrive in lockstep.
 * A Retry-After hint is honoured when it asks for longer.
 */
export function backoffDelayMs(
  attempt: number,
  options: Pick<DeliveryOptions, "initialDelayMs" | "maxDelayMs" | "jitter">,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.min(exponent, 52));
  const jittered = base - base * options.jitter * random();
  const delay = Math.round(jittered);
  return retryAfterMs !== undefined ? Math.max(delay, Math.min(retryAfterMs, options.maxDelayMs * 10)) : delay;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: "max-attempts" | "max-age" | "permanent" };

/** Whether a failed attempt is retried, and when. Pure: the queue persists the answer. */
export function decideRetry(input: {
  attempt: number;
  retryable: boolean;
  eventAgeMs: number;
  options: Pick<DeliveryOptions, "initialDelayMs" | "maxDelayMs" | "jitter" | "maxAttempts" | "maxAgeMs" | "failurePolicy">;
  retryAfterMs?: number;
  random?: () => number;
}): RetryDecision {
  const { attempt, options } = input;
  const delayMs = backoffDelayMs(attempt, options, input.random, input.retryAfterMs);
  // `block` never gives up: the head of the queue is retried until it succeeds.
  if (options.failurePolicy === "block") return { retry: true, delayMs };
  if (!input.retryable) return { retry: false, reason: "permanent" };
  if (attempt >= options.maxAttempts) return { retry: false, reason: "max-attempts" };
  if (input.eventAgeMs + delayMs > options.maxAgeMs) return { retry: false, reason: "max-age" };
  return { retry: true, delayMs };
}
