import pg from "pg";
import { DeliveryError } from "../delivery-error.ts";
import { LazyResource } from "../lazy-resource.ts";
import { buildNotificationMessage } from "../notification-payload.ts";
import { namespaceChanges } from "../sql-rows.ts";
import { quoteTableName } from "../sql-table-name.ts";
import type { DeliveryItem, HealthResult, SendResult, Target, TargetContext } from "../target.ts";
import { TlsFileWatch } from "../tls-file-watch.ts";
import type { PostgresConfig } from "./postgres-config.ts";

/** The tables MinIO and RustFS create, so their consumers read Herald's rows unchanged. */
export function postgresCreateTableSql(table: string, format: PostgresConfig["format"]): string {
  const name = quoteTableName(table, '"');
  return format === "namespace"
    ? `CREATE TABLE IF NOT EXISTS ${name} (key_name TEXT PRIMARY KEY, value JSONB)`
    : `CREATE TABLE IF NOT EXISTS ${name} (event_time TIMESTAMPTZ NOT NULL, event_data JSONB)`;
}

/**
 * The access format's insert: the whole batch as one JSON array parameter
 * (`[[eventTime, message], ...]`), one statement of constant text whatever
 * the batch size. One JSON.stringify builds it, where a text[] parameter would
 * escape every message again into an array literal (the client's hottest
 * step), and there is no 65,535-parameter ceiling.
 */
export function postgresAccessInsertSql(table: string): string {
  return `INSERT INTO ${quoteTableName(table, '"')} (event_time, event_data) SELECT (r->>0)::timestamptz, r->1 FROM jsonb_array_elements($1::jsonb) AS r`;
}

export function postgresAccessInsertValues(batch: readonly DeliveryItem[]): [string] {
  return [JSON.stringify(batch.map((item) => [new Date(item.event.eventTime).toISOString(), buildNotificationMessage([item])]))];
}

// Retrying cannot fix the data itself (22: data exception, 23: integrity violation): the batch goes to the failure policy at once.
const PERMANENT_CLASSES = ["22", "23"];
// Auth and privilege problems (28, 42501) and a missing database (3D000) are retried: an operator fixes them and the queue drains.

/**
 * Delivers to a PostgreSQL table in MinIO's namespace or access format. The
 * pool reconnects on its own (a dead connection is dropped, the next query
 * opens a new one), so a restarted server is used again without touching
 * Herald; a pool is rebuilt when the TLS files change.
 */
export class PostgresTarget implements Target {
  readonly type = "postgres";
  readonly arn: string;
  private pool: LazyResource<pg.Pool>;
  private readonly tls: TlsFileWatch;
  private readonly table: string;
  private tableReady: Promise<void> | undefined;
  private closed = false;
  private down = false;

  constructor(
    private readonly config: PostgresConfig,
    private readonly context: TargetContext,
  ) {
    this.arn = context.arn;
    this.table = quoteTableName(config.table, '"');
    this.tls = new TlsFileWatch(config.tls);
    this.pool = this.poolResource();
  }

  async init(): Promise<void> {
    try {
      await this.ready();
    } catch (error) {
      throw new Error(describePostgresError(error), { cause: error });
    }
  }

  async send(batch: readonly DeliveryItem[]): Promise<SendResult> {
    if (batch.length === 0) return {};
    try {
      const pool = await this.ready();
      if (this.config.format === "access") {
        await pool.query(postgresAccessInsertSql(this.config.table), postgresAccessInsertValues(batch));
      } else {
        await this.applyNamespace(pool, batch);
      }
      this.markUp();
      return {};
    } catch (error) {
      throw this.deliveryError(error);
    }
  }

  async healthCheck(): Promise<HealthResult> {
    const started = performance.now();
    const result = (ok: boolean, error?: string): HealthResult => ({
      ok,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      ...(error === undefined ? {} : { error }),
      checkedAt: Date.now(),
    });
    try {
      const pool = await this.ready();
      await pool.query("SELECT 1");
      return result(true);
    } catch (error) {
      return result(false, describePostgresError(error));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = await this.pool.close();
    await pool?.end().catch(() => undefined);
  }

  /** Upserts and deletes of the batch in one transaction: the table never shows half a batch. */
  private async applyNamespace(pool: pg.Pool, batch: readonly DeliveryItem[]): Promise<void> {
    const { upserts, deletes } = namespaceChanges(batch);
    const statements: [string, unknown[]][] = [];
    if (upserts.length > 0) {
      statements.push([
        `INSERT INTO ${this.table} (key_name, value) SELECT * FROM unnest($1::text[], $2::jsonb[]) ON CONFLICT (key_name) DO UPDATE SET value = EXCLUDED.value`,
        [upserts.map((u) => u.key), upserts.map((u) => u.value)],
      ]);
    }
    if (deletes.length > 0) statements.push([`DELETE FROM ${this.table} WHERE key_name = ANY($1::text[])`, [deletes]]);
    const [only] = statements;
    // A single statement is atomic by itself: no BEGIN/COMMIT round trips.
    if (statements.length === 1 && only) {
      await pool.query(only[0], only[1]);
      return;
    }
    const client = await pool.connect();
    let failure: unknown;
    try {
      await client.query("BEGIN");
      for (const [sql, values] of statements) await client.query(sql, values);
      await client.query("COMMIT");
    } catch (error) {
      failure = error;
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      // A connection that failed mid-transaction is discarded rather than reused.
      client.release(failure instanceof Error && !isSqlError(failure) ? failure : undefined);
    }
  }

  /** The pool, rebuilt first if the TLS files changed, with the table created once. */
  private async ready(): Promise<pg.Pool> {
    if (this.closed) throw new Error("target is closed");
    if (this.pool.current !== undefined && (await this.tls.changed())) {
      const old = this.pool;
      this.pool = this.poolResource();
      // In-flight queries finish on the old pool; new ones use connections made with the new files.
      void old.close().then((p) => p?.end().catch(() => undefined));
      this.context.logger.info({ target: this.arn }, "postgres target: TLS files changed; reconnecting with them");
    }
    const pool = await this.pool.get();
    this.tableReady ??= pool.query(postgresCreateTableSql(this.config.table, this.config.format)).then(
      () => undefined,
      (error: unknown) => {
        this.tableReady = undefined;
        throw error;
      },
    );
    await this.tableReady;
    return pool;
  }

  private poolResource(): LazyResource<pg.Pool> {
    return new LazyResource(
      () => this.createPool(),
      (pool) => pool.end().catch(() => undefined),
    );
  }

  private async createPool(): Promise<pg.Pool> {
    const { config } = this;
    const tls = await this.tls.read();
    const pool = new pg.Pool({
      ...(config.connectionString === undefined
        ? { host: config.host, port: config.port, database: config.database, user: config.user, password: config.password }
        : { connectionString: postgresConnectionString(config.connectionString, config.password) }),
      max: config.poolSize,
      connectionTimeoutMillis: config.timeoutMs,
      query_timeout: config.timeoutMs,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: "herald",
      ...(tls === undefined ? {} : { ssl: { ...tls } }),
    });
    // An idle connection the server closed (restart, admin shutdown) is dropped by the pool; without a listener it would crash Herald.
    pool.on("error", (error) => this.markDown(error));
    return pool;
  }

  private deliveryError(error: unknown): DeliveryError {
    const code = sqlStateOf(error);
    if (code === "42P01") this.tableReady = undefined; // the table was dropped: create it again on the next try
    const message = describePostgresError(error);
    const retryable = code === undefined || !PERMANENT_CLASSES.includes(code.slice(0, 2));
    if (retryable) this.markDown(error);
    return new DeliveryError(message, { retryable, cause: error });
  }

  private markDown(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.context.logger.warn({ target: this.arn, err: error }, "postgres target unavailable; retrying");
  }

  private markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.context.logger.info({ target: this.arn }, "postgres target reconnected");
  }
}

/** pg lets a connection string's fields win over separate options, so the config's password is written into it. */
export function postgresConnectionString(connectionString: string, password: string | undefined): string {
  if (password === undefined) return connectionString;
  const url = new URL(connectionString);
  url.password = encodeURIComponent(password);
  return url.toString();
}

function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function isSqlError(error: unknown): boolean {
  return sqlStateOf(error) !== undefined;
}

/** The server's own words when it answered ("password authentication failed for user ..."), else why it could not be reached. */
export function describePostgresError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0 && !error.message) return describePostgresError(error.errors[0]);
  if (!(error instanceof Error)) return `postgres: ${String(error)}`;
  const code = (error as { code?: unknown }).code;
  if (sqlStateOf(error) !== undefined) return `postgres: ${error.message} (SQLSTATE ${String(code)})`;
  const message = error.message || error.name;
  const prefix = typeof code === "string" && !message.includes(code) ? `${code}: ` : "";
  return `postgres unavailable: ${prefix}${message}`;
}
