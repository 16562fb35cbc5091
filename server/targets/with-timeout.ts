/**
 * Races a client call against the target's timeout. Client libraries wait
 * forever on a broker that stops answering; a send must fail instead, so the
 * pipeline's retry takes over. `onTimeout` builds the error (and may mark the
 * connection as dead first).
 */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
