/**
 * Serialises async work per name within this process. Used where two requests
 * on one multipart upload (complete and complete, complete and abort) would
 * otherwise both read parts that one of them is about to delete.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(name, tail);
    try {
      return await result;
    } finally {
      // Only the last waiter removes the entry, so the map does not grow with every upload ever seen.
      if (this.tails.get(name) === tail) this.tails.delete(name);
    }
  }
}
