import { LazyResource } from "../lazy-resource.ts";
import type { TargetContext } from "../target.ts";
import type { TlsFiles } from "../tls-files.ts";
import { TlsFileWatch, type TlsMaterial } from "../tls-file-watch.ts";

export interface SqlPoolOptions<P> {
  /** "postgres" or "mysql", for the log. */
  engine: string;
  context: TargetContext;
  tls: TlsFiles | undefined;
  /** A new pool connecting with the TLS material read just now. */
  create(tls: TlsMaterial | undefined): Promise<P> | P;
  /** Ends a pool; never rejects. */
  end(pool: P): Promise<void>;
  /** CREATE TABLE IF NOT EXISTS for the target's table and format. */
  createTable(pool: P): Promise<unknown>;
}

/**
 * A SQL target's connection pool, built on first use, rebuilt when the TLS
 * files change (certificate rotation without restarting Herald), with the
 * target's table created once per pool owner (and again after forgetTable(),
 * when a write found it dropped).
 */
export class SqlPool<P> {
  private pool: LazyResource<P>;
  private readonly tls: TlsFileWatch;
  private tableReady: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: SqlPoolOptions<P>) {
    this.tls = new TlsFileWatch(options.tls);
    this.pool = this.resource();
  }

  /** The pool, rebuilt first if the TLS files changed, with the table created once. */
  async ready(): Promise<P> {
    if (this.closed) throw new Error("target is closed");
    if (this.pool.current !== undefined && (await this.tls.changed())) {
      const old = this.pool;
      this.pool = this.resource();
      // In-flight queries finish on the old pool; new ones use connections made with the new files.
      void old.close().then((p) => (p === undefined ? undefined : this.options.end(p)));
      const { engine, context } = this.options;
      context.logger.info({ target: context.arn }, `${engine} target: TLS files changed; reconnecting with them`);
    }
    const pool = await this.pool.get();
    this.tableReady ??= this.options.createTable(pool).then(
      () => undefined,
      (error: unknown) => {
        this.tableReady = undefined;
        throw error;
      },
    );
    await this.tableReady;
    return pool;
  }

  /** The table was dropped under us: create it again on the next ready(). */
  forgetTable(): void {
    this.tableReady = undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = await this.pool.close();
    if (pool !== undefined) await this.options.end(pool);
  }

  private resource(): LazyResource<P> {
    return new LazyResource(
      async () => this.options.create(await this.tls.read()),
      (pool) => this.options.end(pool),
    );
  }
}
