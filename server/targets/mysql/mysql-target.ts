import { createHash } from "node:crypto";
import mysql from "mysql2/promise";
import { DeliveryError } from "../delivery-error.ts";
import { LazyResource } from "../lazy-resource.ts";
import { accessRows, namespaceChanges } from "../sql-rows.ts";
import { quoteTableName } from "../sql-table-name.ts";
import type { DeliveryItem, HealthResult, SendResult, Target, TargetContext } from "../target.ts";
import { TlsFileWatch } from "../tls-file-watch.ts";
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

// Retrying cannot fix the data itself (22: data exception, 23: integrity, e.g. JSON the server refuses): the batch goes to the failure policy at once.
const PERMANENT_CLASSES = ["22", "23"];
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
  private pool: LazyResource<mysql.Pool>;
  private readonly tls: TlsFileWatch;
  private readonly table: string;
  private tableReady: Promise<void> | undefined;
  private closed = false;
  private down = false;

  constructor(
    private readonly config: MysqlConfig,
    private readonly context: TargetContext,
  ) {
    this.arn = context.arn;
    this.table = quoteTableName(config.table, "`");
    this.tls = new TlsFileWatch(config.tls);
    this.pool = this.poolResource();
  }

  async init(): Promise<void> {
    try {
      await this.ready();
    } catch (error) {
      throw new Error(describeMysqlError(error), { cause: error });
    }
  }

  async send(batch: readonly DeliveryItem[]): Promise<SendResult> {
    if (batch.length === 0) return {};
    try {
      const pool = await this.ready();
      if (this.config.format === "access") {
        const rows = accessRows(batch).map((r) => [r.eventTime, r.data]);
        // One multi-row INSERT for the whole batch.
        await pool.query({ sql: `INSERT INTO ${this.table} (event_time, event_data) VALUES ?`, timeout: this.config.timeoutMs }, [rows]);
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
      await pool.query({ sql: "SELECT 1", timeout: this.config.timeoutMs });
      return result(true);
    } catch (error) {
      return result(false, describeMysqlError(error));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = await this.pool.close();
    await pool?.end().catch(() => undefined);
  }

  /** Upserts and deletes of the batch in one transaction: the table never shows half a batch. */
  private async applyNamespace(pool: mysql.Pool, batch: readonly DeliveryItem[]): Promise<void> {
    const { upserts, deletes } = namespaceChanges(batch);
    const statements: [string, unknown[]][] = [];
    if (upserts.length > 0) {
      // VALUES(col) rather than an alias: MariaDB has no INSERT ... AS alias.
      statements.push([
        `INSERT INTO ${this.table} (key_name, value) VALUES ? ON DUPLICATE KEY UPDATE value = VALUES(value)`,
        [upserts.map((u) => [u.key, u.value])],
      ]);
    }
    if (deletes.length > 0) statements.push([`DELETE FROM ${this.table} WHERE key_hash IN (?)`, [deletes.map(mysqlKeyHash)]]);
    const timeout = this.config.timeoutMs;
    const [only] = statements;
    if (statements.length === 1 && only) {
      await pool.query({ sql: only[0], timeout }, only[1]);
      return;
    }
    const connection = await pool.getConnection();
    try {
      await connection.beginTransaction();
      for (const [sql, values] of statements) await connection.query({ sql, timeout }, values);
      await connection.commit();
      connection.release();
    } catch (error) {
      // The connection's state is unknown after a failure mid-transaction: it is closed, not reused.
      connection.destroy();
      throw error;
    }
  }

  /** The pool, rebuilt first if the TLS files changed, with the table created once. */
  private async ready(): Promise<mysql.Pool> {
    if (this.closed) throw new Error("target is closed");
    if (this.pool.current !== undefined && (await this.tls.changed())) {
      const old = this.pool;
      this.pool = this.poolResource();
      // In-flight queries finish on the old pool; new ones use connections made with the new files.
      void old.close().then((p) => p?.end().catch(() => undefined));
      this.context.logger.info({ target: this.arn }, "mysql target: TLS files changed; reconnecting with them");
    }
    const pool = await this.pool.get();
    this.tableReady ??= pool.query({ sql: mysqlCreateTableSql(this.config.table, this.config.format), timeout: this.config.timeoutMs }).then(
      () => undefined,
      (error: unknown) => {
        this.tableReady = undefined;
        throw error;
      },
    );
    await this.tableReady;
    return pool;
  }

  private poolResource(): LazyResource<mysql.Pool> {
    return new LazyResource(
      () => this.createPool(),
      (pool) => pool.end().catch(() => undefined),
    );
  }

  private async createPool(): Promise<mysql.Pool> {
    const tls = await this.tls.read();
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
    if ((error as { errno?: unknown } | null)?.errno === ER_NO_SUCH_TABLE) this.tableReady = undefined; // dropped: create it again on the next try
    const sqlState = sqlStateOf(error);
    const retryable = sqlState === undefined || !PERMANENT_CLASSES.includes(sqlState.slice(0, 2));
    if (retryable) this.markDown(error);
    return new DeliveryError(describeMysqlError(error), { retryable, cause: error });
  }

  private markDown(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.context.logger.warn({ target: this.arn, err: error }, "mysql target unavailable; retrying");
  }

  private markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.context.logger.info({ target: this.arn }, "mysql target reconnected");
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

/** The server's own words when it answered ("Access denied for user ..."), else why it could not be reached. */
export function describeMysqlError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0 && !error.message) return describeMysqlError(error.errors[0]);
  if (!(error instanceof Error)) return `mysql: ${String(error)}`;
  const code = (error as { code?: unknown }).code;
  if (sqlStateOf(error) !== undefined) return `mysql: ${error.message} (${String(code)})`;
  const message = error.message || error.name;
  const prefix = typeof code === "string" && !message.includes(code) ? `${code}: ` : "";
  return `mysql unavailable: ${prefix}${message}`;
}
