import type { HeraldPrisma } from "../db/prisma-client.ts";
import type { InputSerialization } from "../s3/select/io/input-options.ts";

export type QueryRunStatus = "ok" | "error" | "cancelled";

export interface QueryRunRecord {
  id: string;
  user: string;
  bucket: string;
  key: string;
  expression: string;
  input: InputSerialization;
  status: QueryRunStatus;
  rows: number;
  bytesScanned: number;
  durationMs: number;
  errorCode: string | null;
  errorMessage: string | null;
  startedAt: number;
}

/** Runs kept per user: older ones are dropped as new ones are recorded. */
export const HISTORY_LIMIT = 200;

/** Every query a console user ran, newest first. */
export class QueryHistory {
  constructor(private readonly prisma: HeraldPrisma) {}

  async record(run: QueryRunRecord): Promise<void> {
    await this.prisma.queryRun.create({
      data: {
        ...run,
        input: JSON.stringify(run.input),
        bytesScanned: BigInt(run.bytesScanned),
        durationMs: Math.round(run.durationMs),
        startedAt: BigInt(run.startedAt),
      },
    });
    const stale = await this.prisma.queryRun.findMany({
      where: { user: run.user },
      orderBy: { startedAt: "desc" },
      skip: HISTORY_LIMIT,
      select: { id: true },
    });
    if (stale.length > 0) await this.prisma.queryRun.deleteMany({ where: { id: { in: stale.map((r) => r.id) } } });
  }

  async list(user: string, limit = 50): Promise<QueryRunRecord[]> {
    const rows = await this.prisma.queryRun.findMany({ where: { user }, orderBy: { startedAt: "desc" }, take: limit });
    return rows.map((row) => ({
      ...row,
      input: JSON.parse(row.input) as InputSerialization,
      status: row.status as QueryRunStatus,
      bytesScanned: Number(row.bytesScanned),
      startedAt: Number(row.startedAt),
    }));
  }

  async clear(user: string): Promise<number> {
    return (await this.prisma.queryRun.deleteMany({ where: { user } })).count;
  }
}
