import { createHash } from "node:crypto";
import mysql from "mysql2/promise";
import type { DeliveryError } from "../delivery-error.ts";
import { OutageLog } from "../outage-log.ts";
import { runAtomically, type SqlStatement } from "../sql/atomic-statements.ts";
import { describeSqlError, sqlDeliveryError, type SqlErrorWording } from "../sql/sql-errors.ts";
import { SqlPool } from "../sql/sql-pool.ts";
import { accessRows, namespaceChanges } from "../sql/sql-rows.ts";
import { quoteTableName } from "../sql/sql-table-name.ts";
import type { DeliveryItem, HealthResult, SendResult, Target, TargetContext } from "../target.ts";
import { probeHealth } from "../target-health.ts";
import type { TlsMaterial } from "../tls-file-watch.ts";
import type { MysqlConfig } from "./mysql-config.ts";

/**
 * MinIO's tables. An S3 key (up to 1,024 bytes, plus the bucket) is too long
 * for an InnoDB index in utf8mb4, so the namespace table is keyed by the
 * SHA-256 of key_name, kept by the server in a stored generated column.
 */
export function mysqlCreateTableSql(table: string, format: MysqlConfig["format"]): string {
  const name = quoteTableName(table, "`");
  const charset = "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
  return format === "namespace"
    ? `CREATE TABLE IF NOT EXISTS ${name} (key_name VARCHAR(3072) NOT NULL, key_hash CHAR(64) AS (SHA2(key_name, 256)) STORED, value JSON, UNIQUE KEY key_hash (key_hash)) ${charset}`
    : `CREATE TABLE IF NOT EXISTS ${name} (event_time DATETIME(3) NOT NULL, event_data JSON) ${charset}`;
}

/** The same digest the server stores in key_hash, so deletes use the index. */
export function mysqlKeyHash(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

const ER_NO_SUCH_TABLE = 1146;

/**
 * Delivers to a MySQL or MariaDB table in MinIO's namespace or access format.
 * Pooled connections that die (server restart) leave the pool and new ones
 * are opened on the next send, so a restarted server is used again without
 * touching Herald; the pool is rebuilt when the TLS files change.
 */
export class MysqlTarget implements Target {
  readonly type = "mysql";
  readonly arn: string;
  private readonly pool: SqlPool<mysql.Pool>;
  private readonly outage: OutageLog;
  private readonly table: string;

  constructor(
    private readonly config: MysqlConfig,
    context: TargetContext,
  ) {
    this.arn = context.arn;
    this.table = quoteTableName(config.table, "`");
    this.outage = new OutageLog(context, "mysql target reconnected");
    this.pool = new SqlPool({
      engine: "mysql",
      context,
      tls: config.tls,
      create: (tls) => this.createPool(tls),
      end: (pool) => pool.end().catch(() => undefined),
      createTable: (pool) => pool.query({ sql: mysqlCreateTableSql(config.table, config.format), timeout: config.timeoutMs }),
    });
  }

  async init(): Promise<void> {
    try {
      await this.pool.ready();
    } catch (error) {
      throw new Error(describeMysqlError(error), { cause: error });
    }
  }

  async send(batch: readonly DeliveryItem[]): Promise<SendResult> {
    if (batch.length === 0) return {};
    try {
      const pool = await this.pool.ready();
      if (this.config.format === "access") {
        const rows = accessRows(batch).map((r) => [r.eventTime, r.data]);
        // One multi-row INSERT for the whole batch.
        await pool.query({ sql: `INSERT INTO ${this.table} (event_time, event_data) VALUES ?`, timeout: this.config.timeoutMs }, [rows]);
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
      await pool.query({ sql: "SELECT 1", timeout: this.config.timeoutMs });
    }, describeMysqlError);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Upserts and deletes of the batch in one transaction: the table never shows half a batch. */
  private async applyNamespace(pool: mysql.Pool, batch: readonly DeliveryItem[]): Promise<void> {
    const { upserts, deletes } = namespaceChanges(batch);
    const statements: SqlStatement[] = [];
    if (upserts.length > 0) {
      // VALUES(col) rather than an alias: MariaDB has no INSERT ... AS alias.
      statements.push([
        `INSERT INTO ${this.table} (key_name, value) VALUES ? ON DUPLICATE KEY UPDATE value = VALUES(value)`,
        [upserts.map((u) => [u.key, u.value])],
      ]);
    }
    if (deletes.length > 0) statements.push([`DELETE FROM ${this.table} WHERE key_hash IN (?)`, [deletes.map(mysqlKeyHash)]]);
    const timeout = this.config.timeoutMs;
    await runAtomically(
      statements,
      ([sql, values]) => pool.query({ sql, timeout }, values),
      async (all) => {
        const connection = await pool.getConnection();
        try {
          await connection.beginTransaction();
          for (const [sql, values] of all) await connection.query({ sql, timeout }, values);
          await connection.commit();
          connection.release();
        } catch (error) {
          // The connection's state is unknown after a failure mid-transaction: it is closed, not reused.
          connection.destroy();
          throw error;
        }
      },
    );
  }

  private createPool(tls: TlsMaterial | undefined): mysql.Pool {
    return mysql.createPool({
      ...mysqlConnectionOptions(this.config),
      connectionLimit: this.config.poolSize,
      maxIdle: this.config.poolSize,
      idleTimeout: 30_000,
      waitForConnections: true,
      queueLimit: 0,
      connectTimeout: this.config.timeoutMs,
      enableKeepAlive: true,
      charset: "utf8mb4",
      // DATETIME has no zone: event times are written in UTC, as MinIO does.
      timezone: "Z",
      ...(tls === undefined ? {} : { ssl: { ...tls } }),
    });
  }

  private deliveryError(error: unknown): DeliveryError {
    if ((error as { errno?: unknown } | null)?.errno === ER_NO_SUCH_TABLE) this.pool.forgetTable(); // dropped: create it again on the next try
    const failure = sqlDeliveryError(error, sqlStateOf(error), describeMysqlError(error));
    if (failure.retryable) this.outage.failed(error, "mysql target unavailable; retrying");
    return failure;
  }
}

/** Host, port, user, password and database from the fields or the connection string; the config's password wins. */
export function mysqlConnectionOptions(config: MysqlConfig): { host: string; port: number; user: string; password?: string; database?: string } {
  if (config.connectionString === undefined) {
    return {
      host: config.host,
      port: config.port,
      user: config.user,
      ...(config.database === undefined ? {} : { database: config.database }),
      ...(config.password === undefined ? {} : { password: config.password }),
    };
  }
  const url = new URL(config.connectionString);
  const password = config.password ?? (url.password === "" ? undefined : decodeURIComponent(url.password));
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? 3306 : Number(url.port),
    user: url.username === "" ? config.user : decodeURIComponent(url.username),
    ...(database === "" ? (config.database === undefined ? {} : { database: config.database }) : { database }),
    ...(password === undefined ? {} : { password }),
  };
}

function sqlStateOf(error: unknown): string | undefined {
  const state = (error as { sqlState?: unknown } | null)?.sqlState;
  return typeof state === "string" && state !== "" ? state : undefined;
}

const MYSQL_WORDING: SqlErrorWording = { engine: "mysql", sqlStateOf, codeLabel: String };

/** The server's own words when it answered ("Access denied for user ..."), else why it could not be reached. */
export function describeMysqlError(error: unknown): string {
  return describeSqlError(error, MYSQL_WORDING);
}
