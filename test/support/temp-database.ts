import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { applyMigrations } from "../../server/db/migrate.ts";
import { openDatabase, type SqliteDatabase } from "../../server/db/open-database.ts";

export interface TempDatabase {
  db: SqliteDatabase;
  /** Closes the database and deletes its directory. */
  remove(): void;
}

/** A real, migrated SQLite database in a fresh temporary directory. */
export function createTempDatabase(name = "herald"): TempDatabase {
  const root = mkdtempSync(path.join(tmpdir(), `${name}-`));
  const db = openDatabase(path.join(root, "herald.db"), { sync: "NORMAL", autoCheckpoint: true });
  applyMigrations(db);
  return {
    db,
    remove() {
      db.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
