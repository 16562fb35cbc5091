import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";

export type SqliteDatabase = Database.Database;

export interface OpenDatabaseOptions {
  /**
   * FULL: a commit is on disk (fsync) before it returns. NORMAL: in WAL mode a
   * commit survives a process crash (kill -9) but not power loss, and costs
   * no fsync. The setting is per connection.
   */
  sync: "FULL" | "NORMAL";
  /**
   * Whether this connection checkpoints the WAL by itself. The event-loop
   * connection does not: a checkpoint is blocking I/O, so the commit thread
   * runs them instead.
   */
  autoCheckpoint: boolean;
}

/** Opens the SQLite file in WAL mode, so readers run beside the one writer at a time. */
export function openDatabase(file: string, options: OpenDatabaseOptions): SqliteDatabase {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${options.sync}`);
  db.pragma("busy_timeout = 10000");
  db.pragma("foreign_keys = ON");
  db.pragma(`wal_autocheckpoint = ${options.autoCheckpoint ? 4000 : 0}`);
  return db;
}
