import { randomUUID } from "node:crypto";
import type { HeraldPrisma } from "../db/prisma-client.ts";
import { AppError } from "../errors/app-error.ts";
import type { InputSerialization } from "../s3/select/io/input-options.ts";
import type { SaveQueryInput } from "./query-input.ts";

export interface SavedQueryRecord {
  id: string;
  name: string;
  expression: string;
  input: InputSerialization;
  bucket: string | null;
  key: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A user's named queries. Saving under an existing name replaces that query, as "Save" in an editor does. */
export class SavedQueries {
  constructor(
    private readonly prisma: HeraldPrisma,
    private readonly clock: () => number,
  ) {}

  async save(user: string, input: SaveQueryInput): Promise<SavedQueryRecord> {
    const now = BigInt(this.clock());
    const fields = { expression: input.expression, input: JSON.stringify(input.input), bucket: input.bucket ?? null, key: input.key ?? null, updatedAt: now };
    const row = await this.prisma.savedQuery.upsert({
      where: { user_name: { user, name: input.name } },
      create: { id: randomUUID(), user, name: input.name, createdAt: now, ...fields },
      update: fields,
    });
    return toRecord(row);
  }

  async list(user: string): Promise<SavedQueryRecord[]> {
    return (await this.prisma.savedQuery.findMany({ where: { user }, orderBy: { name: "asc" } })).map(toRecord);
  }

  /** NotFound when the user has no query with this id (another user's counts as none). */
  async delete(user: string, id: string): Promise<void> {
    const { count } = await this.prisma.savedQuery.deleteMany({ where: { user, id } });
    if (count === 0) throw new AppError("NotFound", `no saved query ${id}`, { field: "id" });
  }
}

function toRecord(row: { id: string; name: string; expression: string; input: string; bucket: string | null; key: string | null; createdAt: bigint; updatedAt: bigint }): SavedQueryRecord {
  return {
    id: row.id,
    name: row.name,
    expression: row.expression,
    input: JSON.parse(row.input) as InputSerialization,
    bucket: row.bucket,
    key: row.key,
    createdAt: Number(row.createdAt),
    updatedAt: Number(row.updatedAt),
  };
}
