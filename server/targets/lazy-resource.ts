/**
 * A connection (pool, client, session) built on first use. A failed build is
 * retried on the next use, so fixing a TLS file or bringing a server back
 * needs no restart; one found dead (or built from TLS files that changed
 * since) is discarded and rebuilt on the next use; one that finishes after
 * close() is disposed of, never leaked.
 */
export class LazyResource<T> {
  private value: T | undefined;
  private building: Promise<T> | undefined;
  private closed = false;

  constructor(
    private readonly create: () => Promise<T>,
    private readonly dispose: (value: T) => Promise<void> | void,
    /** What get() rejects with once closed. */
    private readonly closedMessage = "target is closed",
  ) {}

  /** The resource if it is built, without building it. */
  get current(): T | undefined {
    return this.value;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get(): Promise<T> {
    if (this.closed) return Promise.reject(new Error(this.closedMessage));
    if (this.value !== undefined) return Promise.resolve(this.value);
    this.building ??= this.create()
      .then(async (value) => {
        // close() may have run while it was being built.
        if (this.closed) {
          await this.dispose(value);
          throw new Error(this.closedMessage);
        }
        this.value = value;
        return value;
      })
      .finally(() => {
        this.building = undefined;
      });
    return this.building;
  }

  /**
   * Forgets the built resource and hands it back for the caller to shut
   * down (without waiting: sends in flight on it finish or fail by
   * themselves); the next get() builds a new one.
   */
  discard(): T | undefined {
    const value = this.value;
    this.value = undefined;
    return value;
  }

  /** Marks it closed and hands back what was built (or is being built) for the caller to shut down. */
  async close(): Promise<T | undefined> {
    this.closed = true;
    const value = this.value ?? (await this.building?.catch(() => undefined));
    this.value = undefined;
    return value;
  }
}
