import type { TargetType } from "../target.ts";
import { REDIS_SECRET_FIELDS, redisConfigSchema } from "./redis-config.ts";
import { RedisTarget } from "./redis-target.ts";

export const redisTargetType: TargetType<typeof redisConfigSchema> = {
  type: "redis",
  label: "Redis (PUBLISH / Streams)",
  configSchema: redisConfigSchema,
  secretFields: REDIS_SECRET_FIELDS,
  create: (config, context) => new RedisTarget(config, context),
};
