import pg from "pg";
import type { DeliveryError } from "../delivery-error.ts";
import { buildNotificationMessage } from "../notification-payload.ts";
import { OutageLog } from "../outage-log.ts";
import { runAtomically, type SqlStatement } from "../sql/atomic-statements.ts";
import { describeSqlError, sqlDeliveryError, type SqlErrorWording } from "../sql/sql-errors.ts";
import { SqlPool } from "../sql/sql-pool.ts";
import { namespaceChanges } from "../sql/sql-rows.ts";
import { quoteTableName } from "../sql/sql-table-name.ts";
import type { DeliveryItem, HealthResult, SendResult, Target, TargetContext } from "../target.ts";
import { probeHealth } from "../target-health.ts";
import type { TlsMaterial } from "../tls-file-watch.ts";
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

/**
 * Delivers to a PostgreSQL table in MinIO's namespace or access format. The
 * pool reconnects on its own (a dead connection is dropped, the next query
 * opens a new one), so a restarted server is used again without touching
 * Herald; a pool is rebuilt when the TLS files change.
 */
export class PostgresTarget implements Target {
  readonly type = "postgres";
  readonly arn: string;
  private readonly pool: SqlPool<pg.Pool>;
  private readonly outage: OutageLog;
  private readonly table: string;

  constructor(
    private readonly config: PostgresConfig,
    context: TargetContext,
  ) {
    this.arn = context.arn;
    this.table = quoteTableName(config.table, '"');
    this.outage = new OutageLog(context, "postgres target reconnected");
    this.pool = new SqlPool({
      engine: "postgres",
      context,
      tls: config.tls,
      create: (tls) => this.createPool(tls),
      end: (pool) => pool.end().catch(() => undefined),
      createTable: (pool) => pool.query(postgresCreateTableSql(config.table, config.format)),
    });
  }

  async init(): Promise<void> {
    try {
      await this.pool.ready();
    } catch (error) {
      throw new Error(describePostgresError(error), { cause: error });
    }
  }

  async send(batch: readonly DeliveryItem[]): Promise<SendResult> {
    if (batch.length === 0) return {};
    try {
      const pool = await this.pool.ready();
      if (this.config.format === "access") {
        await pool.query(postgresAccessInsertSql(this.config.table), postgresAccessInsertValues(batch));
      } else {
        await this.applyNamespace(pool, batch);
      }
      this.outage.recovered();
      return {};
    } catch (error) {
      throw this.deliveryError(error);
    }
  }

  async healthCheck(): Promise<HealthResult> {
    return probeHealth(async () => {
      const pool = await this.pool.ready();
      await pool.query("SELECT 1");
    }, describePostgresError);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Upserts and deletes of the batch in one transaction: the table never shows half a batch. */
  private async applyNamespace(pool: pg.Pool, batch: readonly DeliveryItem[]): Promise<void> {
    const { upserts, deletes } = namespaceChanges(batch);
    const statements: SqlStatement[] = [];
    if (upserts.length > 0) {
      statements.push([
        `INSERT INTO ${this.table} (key_name, value) SELECT * FROM unnest($1::text[], $2::jsonb[]) ON CONFLICT (key_name) DO UPDATE SET value = EXCLUDED.value`,
        [upserts.map((u) => u.key), upserts.map((u) => u.value)],
      ]);
    }
    if (deletes.length > 0) statements.push([`DELETE FROM ${this.table} WHERE key_name = ANY($1::text[])`, [deletes]]);
    await runAtomically(
      statements,
      ([sql, values]) => pool.query(sql, values),
      async (all) => {
        const client = await pool.connect();
        let failure: unknown;
        try {
          await client.query("BEGIN");
          for (const [sql, values] of all) await client.query(sql, values);
          await client.query("COMMIT");
        } catch (error) {
          failure = error;
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        } finally {
          // A connection that failed mid-transaction is discarded rather than reused.
          client.release(failure instanceof Error && !isSqlError(failure) ? failure : undefined);
        }
      },
    );
  }

  private createPool(tls: TlsMaterial | undefined): pg.Pool {
    const { config } = this;
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
    if (code === "42P01") this.pool.forgetTable(); // the table was dropped: create it again on the next try
    const failure = sqlDeliveryError(error, code, describePostgresError(error));
    if (failure.retryable) this.markDown(error);
    return failure;
  }

  private markDown(error: unknown): void {
    this.outage.failed(error, "postgres target unavailable; retrying");
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

const POSTGRES_WORDING: SqlErrorWording = { engine: "postgres", sqlStateOf, codeLabel: (code) => `SQLSTATE ${String(code)}` };

/** The server's own words when it answered ("password authentication failed for user ..."), else why it could not be reached. */
export function describePostgresError(error: unknown): string {
  return describeSqlError(error, POSTGRES_WORDING);
}
