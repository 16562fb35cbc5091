import { AppError } from "../errors/app-error.ts";
import type { HeraldPrisma } from "../db/prisma-client.ts";
import type { TargetRecord } from "../pipeline/target-record.ts";
import { DEFAULT_DELIVERY_OPTIONS, deliveryOptionsSchema } from "../targets/delivery-options.ts";
import { buildTargetArn } from "../targets/target-arn.ts";
import { maskTargetConfig, mergeMaskedSecrets, parseTargetConfig } from "../targets/target-registry.ts";
import { fromZodError } from "../errors/error-mapping.ts";
import type { TargetInput, TargetUpdate } from "./target-input.ts";

/** A target as it may leave the server: secrets masked. */
export interface TargetView extends Omit<TargetRecord, "config"> {
  config: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

type Row = Awaited<ReturnType<HeraldPrisma["target"]["findMany"]>>[number];

/** Targets in the configuration database, validated on the way in and out. */
export class TargetRepository {
  constructor(
    private readonly prisma: HeraldPrisma,
    private readonly region: string,
  ) {}

  async listRecords(): Promise<TargetRecord[]> {
    const rows = await this.prisma.target.findMany({ orderBy: [{ createdAt: "asc" }] });
    return rows.map((row) => toRecord(row));
  }

  async list(): Promise<TargetView[]> {
    const rows = await this.prisma.target.findMany({ orderBy: [{ createdAt: "asc" }] });
    return rows.map((row) => toView(row));
  }

  async getByArn(arn: string): Promise<TargetView> {
    return toView(await this.findRow(arn));
  }

  async recordByArn(arn: string): Promise<TargetRecord> {
    return toRecord(await this.findRow(arn));
  }

  async arns(): Promise<Set<string>> {
    const rows = await this.prisma.target.findMany({ select: { arn: true } });
    return new Set(rows.map((r) => r.arn));
  }

  async create(input: TargetInput): Promise<TargetView> {
    const config = parseTargetConfig(input.type, input.config);
    const delivery = parseDelivery(input.delivery ?? {});
    const arn = buildTargetArn({ region: this.region, id: input.id, type: input.type });
    const existing = await this.prisma.target.findUnique({ where: { arn } });
    if (existing) throw new AppError("Conflict", `target ${arn} already exists`, { field: "id" });
    const row = await this.prisma.target.create({
      data: {
        id: input.id,
        type: input.type,
        name: input.name ?? input.id,
        arn,
        config: JSON.stringify(config),
        delivery: JSON.stringify(delivery),
        enabled: input.enabled ?? true,
        paused: input.paused ?? false,
      },
    });
    return toView(row);
  }

  async update(arn: string, update: TargetUpdate): Promise<TargetView> {
    const row = await this.findRow(arn);
    const data: Record<string, unknown> = {};
    if (update.config !== undefined) {
      const merged = mergeMaskedSecrets(row.type, update.config, JSON.parse(row.config) as Record<string, unknown>);
      data.config = JSON.stringify(parseTargetConfig(row.type, merged));
    }
    if (update.delivery !== undefined) {
      data.delivery = JSON.stringify(parseDelivery({ ...(JSON.parse(row.delivery) as object), ...update.delivery }));
    }
    if (update.name !== undefined) data.name = update.name;
    if (update.enabled !== undefined) data.enabled = update.enabled;
    if (update.paused !== undefined) data.paused = update.paused;
    const updated = await this.prisma.target.update({ where: { arn }, data });
    return toView(updated);
  }

  async setPaused(arn: string, paused: boolean): Promise<TargetView> {
    await this.findRow(arn);
    return toView(await this.prisma.target.update({ where: { arn }, data: { paused } }));
  }

  async delete(arn: string): Promise<void> {
    await this.findRow(arn);
    await this.prisma.target.delete({ where: { arn } });
  }

  private async findRow(arn: string): Promise<Row> {
    const row = await this.prisma.target.findUnique({ where: { arn } });
    if (!row) throw new AppError("NotFound", `no target with ARN ${arn}`, { field: "arn" });
    return row;
  }
}

function parseDelivery(raw: unknown) {
  const parsed = deliveryOptionsSchema.safeParse(raw);
  if (!parsed.success) throw fromZodError(parsed.error, "delivery");
  return parsed.data;
}

function toRecord(row: Row): TargetRecord {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    arn: row.arn,
    config: JSON.parse(row.config) as Record<string, unknown>,
    delivery: { ...DEFAULT_DELIVERY_OPTIONS, ...(JSON.parse(row.delivery) as object) },
    enabled: row.enabled,
    paused: row.paused,
  };
}

function toView(row: Row): TargetView {
  const record = toRecord(row);
  return {
    ...record,
    config: maskTargetConfig(record.type, record.config),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
