import { defineTargetType } from "../define-target-type.ts";
import { REDIS_SECRET_FIELDS, redisConfigSchema } from "./redis-config.ts";
import { RedisTarget } from "./redis-target.ts";

export const redisTargetType = defineTargetType("redis", "Redis (PUBLISH / Streams)", redisConfigSchema, REDIS_SECRET_FIELDS, RedisTarget);
