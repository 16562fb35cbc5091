/**
 * Retries `attempt` every 100 ms until it resolves and returns its value;
 * after `timeoutMs` rethrows its last error, so a test (or a server that never
 * came up) fails with the real reason rather than "timed out".
 */
export async function eventually<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
