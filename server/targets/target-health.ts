import type { HealthResult } from "./target.ts";

/**
 * Runs a target's health probe and reports it in the one shape the console
 * and the pipeline read: every target times its check the same way (from
 * before connecting, so a slow connect shows as latency) and words its error
 * its own way.
 */
export async function probeHealth(probe: () => Promise<void>, describe: (error: unknown) => string): Promise<HealthResult> {
  const started = performance.now();
  const result = (ok: boolean, error?: string): HealthResult => ({
    ok,
    latencyMs: Math.round((performance.now() - started) * 100) / 100,
    ...(error === undefined ? {} : { error }),
    checkedAt: Date.now(),
  });
  try {
    await probe();
    return result(true);
  } catch (error) {
    return result(false, describe(error));
  }
}
