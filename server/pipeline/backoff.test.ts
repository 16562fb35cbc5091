import { describe, expect, it } from "vitest";
import { DEFAULT_DELIVERY_OPTIONS } from "../targets/delivery-options.ts";
import { backoffDelayMs, decideRetry } from "./backoff.ts";

const options = { initialDelayMs: 100, maxDelayMs: 5_000, jitter: 0 };

describe("backoffDelayMs", () => {
  it("doubles from the initial delay and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffDelayMs(a, options))).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it("randomises only the jitter fraction of each delay", () => {
    const jittered = { ...options, jitter: 0.5 };
    expect(backoffDelayMs(3, jittered, () => 0)).toBe(400);
    expect(backoffDelayMs(3, jittered, () => 0.999999)).toBe(200);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(4, jittered);
      expect(d).toBeGreaterThanOrEqual(400);
      expect(d).toBeLessThanOrEqual(800);
    }
  });

  it("honours a longer Retry-After but not a shorter one", () => {
    expect(backoffDelayMs(1, options, () => 0, 3000)).toBe(3000);
    expect(backoffDelayMs(3, options, () => 0, 10)).toBe(400);
  });

  it("does not overflow on huge attempt numbers", () => {
    expect(backoffDelayMs(10_000, options)).toBe(5000);
  });
});

describe("decideRetry", () => {
  const base = { ...DEFAULT_DELIVERY_OPTIONS, ...options, maxAttempts: 3, maxAgeMs: 60_000 };

  it("retries retryable failures until max attempts, then gives up", () => {
    expect(decideRetry({ attempt: 1, retryable: true, eventAgeMs: 0, options: base })).toEqual({ retry: true, delayMs: 100 });
    expect(decideRetry({ attempt: 2, retryable: true, eventAgeMs: 0, options: base })).toEqual({ retry: true, delayMs: 200 });
    expect(decideRetry({ attempt: 3, retryable: true, eventAgeMs: 0, options: base })).toEqual({ retry: false, reason: "max-attempts" });
  });

  it("gives up on permanent failures at once", () => {
    expect(decideRetry({ attempt: 1, retryable: false, eventAgeMs: 0, options: base })).toEqual({ retry: false, reason: "permanent" });
  });

  it("gives up when the next attempt would pass the max age", () => {
    expect(decideRetry({ attempt: 1, retryable: true, eventAgeMs: 59_950, options: base })).toEqual({ retry: false, reason: "max-age" });
  });

  it("never gives up under the block policy", () => {
    const block = { ...base, failurePolicy: "block" as const };
    expect(decideRetry({ attempt: 99, retryable: false, eventAgeMs: 10 ** 9, options: block }).retry).toBe(true);
  });
});
