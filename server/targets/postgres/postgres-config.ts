import { z } from "zod";
import { SQL_FORMATS, sqlTableNameSchema } from "../sql/sql-table-name.ts";
import { tlsFilesSchema } from "../tls-files.ts";

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "postgres:" || url.protocol === "postgresql:";
  } catch {
    return false;
  }
}

export const postgresConfigSchema = z.strictObject({
  /** Wins over host, port, database, user and password when given. */
  connectionString: z
    .string()
    .max(4096)
    .refine(isPostgresUrl, "must be a postgres:// or postgresql:// URL")
    .optional()
    .describe("postgres://user:password@host:port/database; overrides the fields below when given."),
  host: z.string().min(1).max(1024).default("localhost").describe("Server host name or address."),
  port: z.number().int().min(1).max(65_535).default(5432).describe("Server port."),
  database: z.string().min(1).max(63).default("postgres").describe("Database the table lives in."),
  user: z.string().min(1).max(63).default("postgres").describe("Role Herald logs in as; needs INSERT, UPDATE, DELETE (and CREATE for a missing table)."),
  password: z.string().min(1).max(4096).optional().describe("Password of the role."),
  table: sqlTableNameSchema,
  /** namespace: one row per object (upserted, deleted on removal); access: one row appended per event. */
  format: z.enum(SQL_FORMATS).default("access").describe("namespace: one row per object key, upserted on create and deleted on removal; access: one row appended per event."),
  poolSize: z.number().int().min(1).max(100).default(8).describe("Connections kept open at most."),
  /** Connect and per-statement timeout: a stalled server fails the send instead of holding it. */
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000).describe("Connect and per-statement timeout."),
  /** TLS is used when this is given (verify-full unless skipVerify); the files are re-read when they change. */
  tls: tlsFilesSchema.optional().describe("Connect with TLS; files are re-read when they change."),
});

export type PostgresConfig = z.output<typeof postgresConfigSchema>;
export type PostgresConfigInput = z.input<typeof postgresConfigSchema>;

export const POSTGRES_SECRET_FIELDS = ["password"] as const;
