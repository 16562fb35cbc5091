import { z } from "zod";
import { SQL_FORMATS, sqlTableNameSchema } from "../sql/sql-table-name.ts";
import { tlsFilesSchema } from "../tls-files.ts";

function isMysqlUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "mysql:" || url.protocol === "mariadb:";
  } catch {
    return false;
  }
}

export const mysqlConfigSchema = z.strictObject({
  /** Wins over host, port, database and user when given. */
  connectionString: z
    .string()
    .max(4096)
    .refine(isMysqlUrl, "must be a mysql:// URL")
    .optional()
    .describe("mysql://user:password@host:port/database; overrides the fields below when given."),
  host: z.string().min(1).max(1024).default("localhost").describe("Server host name or address."),
  port: z.number().int().min(1).max(65_535).default(3306).describe("Server port."),
  database: z.string().min(1).max(64).optional().describe("Database (schema) the table lives in; required unless the connection string names one."),
  user: z.string().min(1).max(80).default("root").describe("User Herald logs in as; needs INSERT, UPDATE, DELETE (and CREATE for a missing table)."),
  password: z.string().min(1).max(4096).optional().describe("Password of the user; wins over one in the connection string."),
  table: sqlTableNameSchema,
  /** namespace: one row per object (upserted, deleted on removal); access: one row appended per event. */
  format: z.enum(SQL_FORMATS).default("access").describe("namespace: one row per object key, upserted on create and deleted on removal; access: one row appended per event."),
  poolSize: z.number().int().min(1).max(100).default(8).describe("Connections kept open at most."),
  /** Connect and per-statement timeout: a stalled server fails the send instead of holding it. */
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000).describe("Connect and per-statement timeout."),
  /** TLS is used when this is given (the server's certificate is verified unless skipVerify); the files are re-read when they change. */
  tls: tlsFilesSchema.optional().describe("Connect with TLS; files are re-read when they change."),
}).superRefine((config, ctx) => {
  // MySQL has no default database, and the table name must resolve to one.
  const urlDatabase = config.connectionString === undefined || !isMysqlUrl(config.connectionString) ? "" : new URL(config.connectionString).pathname.replace(/^\//, "");
  if (config.database === undefined && urlDatabase === "") ctx.addIssue({ code: "custom", path: ["database"], message: "database is required (here or in the connection string)" });
});

export type MysqlConfig = z.output<typeof mysqlConfigSchema>;
export type MysqlConfigInput = z.input<typeof mysqlConfigSchema>;

export const MYSQL_SECRET_FIELDS = ["password"] as const;
