import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";

export type SqliteDatabase = Database.Database;

/**
 * Opens the SQLite file the hot path writes with batched statements. WAL lets
 * readers (console, archive search) run beside the single writer; the
 * synchronous mode decides whether a commit survives power loss (FULL) or
 * only process crashes (NORMAL).
 */
export function openDatabase(file: string, options: { sync: "FULL" | "NORMAL" } = { sync: "FULL" }): SqliteDatabase {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${options.sync}`);
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  // Keep the WAL from growing without bound under a sustained write load.
  db.pragma("wal_autocheckpoint = 4000");
  return db;
}
