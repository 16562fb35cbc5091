/**
 * A connection (pool, client) built on first use. A failed build is retried
 * on the next use, so fixing a TLS file or bringing a server back needs no
 * restart; one that finishes after close() is disposed of, never leaked.
 */
export class LazyResource<T> {
  private value: T | undefined;
  private building: Promise<T> | undefined;
  private closed = false;

  constructor(
    private readonly create: () => Promise<T>,
    private readonly dispose: (value: T) => Promise<void> | void,
  ) {}

  /** The resource if it is built, without building it. */
  get current(): T | undefined {
    return this.value;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get(): Promise<T> {
    if (this.closed) return Promise.reject(new Error("target is closed"));
    if (this.value !== undefined) return Promise.resolve(this.value);
    this.building ??= this.create()
      .then(async (value) => {
        // close() may have run while it was being built.
        if (this.closed) {
          await this.dispose(value);
          throw new Error("target is closed");
        }
        this.value = value;
        return value;
      })
      .finally(() => {
        this.building = undefined;
      });
    return this.building;
  }

  /** Marks it closed and hands back what was built (or is being built) for the caller to shut down. */
  async close(): Promise<T | undefined> {
    this.closed = true;
    const value = this.value ?? (await this.building?.catch(() => undefined));
    this.value = undefined;
    return value;
  }
}
