import type { HeraldPrisma } from "../db/prisma-client.ts";
import type { EventPattern } from "../events/event-names.ts";
import type { BucketNotificationConfig, NotificationRule } from "../rules/notification-config.ts";

export interface BucketSummary {
  name: string;
  ruleCount: number;
  createdAt: string;
}

/** Buckets and their notification rules in the configuration database. */
export class BucketRepository {
  constructor(private readonly prisma: HeraldPrisma) {}

  async allConfigs(): Promise<BucketNotificationConfig[]> {
    const rules = await this.prisma.rule.findMany({ orderBy: [{ bucketName: "asc" }, { position: "asc" }] });
    const byBucket = new Map<string, NotificationRule[]>();
    for (const row of rules) {
      const list = byBucket.get(row.bucketName) ?? [];
      list.push(toRule(row));
      byBucket.set(row.bucketName, list);
    }
    return [...byBucket].map(([bucket, r]) => ({ bucket, rules: r }));
  }

  async list(): Promise<BucketSummary[]> {
    const buckets = await this.prisma.bucket.findMany({ orderBy: { name: "asc" }, include: { _count: { select: { rules: true } } } });
    return buckets.map((b) => ({ name: b.name, ruleCount: b._count.rules, createdAt: b.createdAt.toISOString() }));
  }

  async config(bucket: string): Promise<BucketNotificationConfig> {
    const rules = await this.prisma.rule.findMany({ where: { bucketName: bucket }, orderBy: { position: "asc" } });
    return { bucket, rules: rules.map(toRule) };
  }

  /** Replaces a bucket's whole configuration (S3 PutBucketNotificationConfiguration semantics). */
  async replace(config: BucketNotificationConfig): Promise<void> {
    await this.prisma.$transaction([
      this.prisma.bucket.upsert({ where: { name: config.bucket }, create: { name: config.bucket }, update: {} }),
      this.prisma.rule.deleteMany({ where: { bucketName: config.bucket } }),
      ...config.rules.map((rule, position) =>
        this.prisma.rule.create({
          data: {
            bucketName: config.bucket,
            ruleId: rule.id,
            events: JSON.stringify(rule.events),
            prefix: rule.prefix ?? null,
            suffix: rule.suffix ?? null,
            targetArns: JSON.stringify(rule.targetArns),
            position,
          },
        }),
      ),
    ]);
  }

  async deleteBucket(bucket: string): Promise<void> {
    await this.prisma.bucket.deleteMany({ where: { name: bucket } });
  }

  /** Rules (bucket and id) that send to a target ARN. */
  async rulesUsing(arn: string): Promise<{ bucket: string; ruleId: string }[]> {
    const rules = await this.prisma.rule.findMany({ where: { targetArns: { contains: JSON.stringify(arn) } } });
    return rules
      .filter((r) => (JSON.parse(r.targetArns) as string[]).includes(arn))
      .map((r) => ({ bucket: r.bucketName, ruleId: r.ruleId }));
  }
}

function toRule(row: { ruleId: string; events: string; prefix: string | null; suffix: string | null; targetArns: string }): NotificationRule {
  return {
    id: row.ruleId,
    events: JSON.parse(row.events) as EventPattern[],
    ...(row.prefix === null ? {} : { prefix: row.prefix }),
    ...(row.suffix === null ? {} : { suffix: row.suffix }),
    targetArns: JSON.parse(row.targetArns) as string[],
  };
}
