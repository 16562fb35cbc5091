import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/client.ts";

export type HeraldPrisma = InstanceType<typeof PrismaClient>;

/** The ORM client, for configuration (buckets, rules, targets) only. */
export function createPrismaClient(databaseFile: string): HeraldPrisma {
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${databaseFile}`, timeout: 5000 }) });
}
