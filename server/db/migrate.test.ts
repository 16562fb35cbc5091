import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations, MIGRATIONS_DIR } from "./migrate.ts";
import { openDatabase, type SqliteDatabase } from "./open-database.ts";

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: string | null;
  migration_name: string;
  rolled_back_at: string | null;
  applied_steps_count: number;
}

let root: string;
let db: SqliteDatabase;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "herald-migrate-"));
  db = openDatabase(path.join(root, "herald.db"), { sync: "NORMAL", autoCheckpoint: true });
});

afterEach(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});

function tables(): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map(
    (r) => r.name,
  );
}

function migrationRows(): MigrationRow[] {
  return db.prepare(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`).all() as MigrationRow[];
}

function committedMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function sha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/** A migrations dir holding copies of the committed migrations, to add more to. */
function copyOfMigrations(): string {
  const dir = path.join(root, "migrations");
  cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function addMigration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name));
  writeFileSync(path.join(dir, name, "migration.sql"), sql);
}

describe("applyMigrations", () => {
  it("creates Herald's tables on an empty database", () => {
    expect(applyMigrations(db)).toEqual(committedMigrations());
    expect(tables()).toEqual(expect.arrayContaining(["Attempt", "Bucket", "Delivery", "Event", "Rule", "Target", "_prisma_migrations"]));
    // The tables are usable as the stores expect, not just present.
    db.prepare(`INSERT INTO Event (seq, id, bucket, key, eventName, eventTime, receivedAt, source, record, matched) VALUES (1, 'e1', 'b', 'k', 's3:ObjectCreated:Put', 0, 0, 'api', '{}', 0)`).run();
    expect(() =>
      db.prepare(`INSERT INTO Event (seq, id, bucket, key, eventName, eventTime, receivedAt, source, record, matched) VALUES (2, 'e1', 'b', 'k', 's3:ObjectCreated:Put', 0, 0, 'api', '{}', 0)`).run(),
    ).toThrow(/UNIQUE/);
  });

  it("records each migration the way Prisma does, with the sha256 of its script", () => {
    applyMigrations(db);
    const rows = migrationRows();
    expect(rows.map((r) => r.migration_name)).toEqual(committedMigrations());
    for (const row of rows) {
      expect(row.checksum).toBe(sha256(path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql")));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("applies nothing the second time", () => {
    applyMigrations(db);
    const before = migrationRows();
    expect(applyMigrations(db)).toEqual([]);
    expect(migrationRows()).toEqual(before);
  });

  it("applies only a migration added since the last start", () => {
    const dir = copyOfMigrations();
    applyMigrations(db, dir);
    addMigration(dir, "20991231000000_add_note", `ALTER TABLE "Event" ADD COLUMN "note" TEXT;`);
    // A directory without a migration.sql is not a migration.
    mkdirSync(path.join(dir, "20991231000001_empty"));

    expect(applyMigrations(db, dir)).toEqual(["20991231000000_add_note"]);
    const columns = (db.prepare(`PRAGMA table_info("Event")`).all() as { name: string }[]).map((c) => c.name);
    expect(columns).toContain("note");
    expect(migrationRows().map((r) => r.migration_name)).toEqual([...committedMigrations(), "20991231000000_add_note"]);
    expect(applyMigrations(db, dir)).toEqual([]);
  });

  it("applies migrations in name order, not creation order", () => {
    const dir = path.join(root, "ordered");
    mkdirSync(dir);
    // Each depends on the one before and they are created shuffled: only name order applies them all.
    addMigration(dir, "20990103000000_c", `ALTER TABLE "T" ADD COLUMN "c" TEXT;`);
    addMigration(dir, "20990101000000_a", `CREATE TABLE "T" ("a" TEXT);`);
    addMigration(dir, "20990104000000_d", `ALTER TABLE "T" ADD COLUMN "d" TEXT;`);
    addMigration(dir, "20990102000000_b", `ALTER TABLE "T" ADD COLUMN "b" TEXT;`);
    expect(applyMigrations(db, dir)).toEqual(["20990101000000_a", "20990102000000_b", "20990103000000_c", "20990104000000_d"]);
  });

  it("rolls a failing migration back whole and does not record it", () => {
    const dir = copyOfMigrations();
    applyMigrations(db, dir);
    addMigration(dir, "20991231000000_broken", `CREATE TABLE "Half" ("x" TEXT);\nALTER TABLE "NoSuchTable" ADD COLUMN "y" TEXT;`);

    expect(() => applyMigrations(db, dir)).toThrow(/NoSuchTable/);
    expect(tables()).not.toContain("Half");
    expect(migrationRows().map((r) => r.migration_name)).toEqual(committedMigrations());
  });
});
