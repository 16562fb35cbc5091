import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { applyMigrations } from "../db/migrate.ts";
import { openDatabase } from "../db/open-database.ts";
import { createPrismaClient, type HeraldPrisma } from "../db/prisma-client.ts";
import { silentLogger } from "../logging/logger.ts";
import { LocalDiskStore } from "../s3/storage/local-disk-store.ts";
import { QueryService, type QueryServiceDeps } from "./query-service.ts";

export interface QueryFixture {
  store: LocalDiskStore;
  prisma: HeraldPrisma;
  service: QueryService;
  put(bucket: string, key: string, body: string | Buffer | Iterable<Buffer>): Promise<void>;
  remove(): Promise<void>;
}

/** A real migrated SQLite database and a real local-disk store in a temp directory, with a QueryService over them. */
export async function createQueryFixture(options: Partial<QueryServiceDeps> = {}): Promise<QueryFixture> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "herald-query-"));
  const file = path.join(dir, "herald.db");
  const db = openDatabase(file, { sync: "NORMAL", autoCheckpoint: true });
  applyMigrations(db);
  const prisma = createPrismaClient(file);
  const store = await LocalDiskStore.open({ root: path.join(dir, "objects") });
  const service = new QueryService({ store, prisma, clock: Date.now, logger: silentLogger(), ...options });
  const buckets = new Set<string>();
  return {
    store,
    prisma,
    service,
    async put(bucket, key, body) {
      if (!buckets.has(bucket)) {
        await store.createBucket(bucket).catch(() => undefined);
        buckets.add(bucket);
      }
      const source = typeof body === "string" || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : Readable.from(body);
      await store.putObject(bucket, key, source, {});
    },
    async remove() {
      await prisma.$disconnect();
      await store.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Rows of CSV, `count` of them, with a header: id,name,score,active,joined. */
export function* csvRows(count: number, chunkRows = 10_000): Generator<Buffer> {
  yield Buffer.from("id,name,score,active,joined\n");
  for (let start = 0; start < count; start += chunkRows) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(count, start + chunkRows); i += 1) {
      lines.push(`${i},user-${i},${(i % 100) / 4},${i % 2 === 0},2026-01-${String((i % 28) + 1).padStart(2, "0")}`);
    }
    yield Buffer.from(`${lines.join("\n")}\n`);
  }
}
