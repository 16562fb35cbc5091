import type { TargetType } from "../target.ts";
import { NATS_SECRET_FIELDS, natsConfigSchema } from "./nats-config.ts";
import { NatsTarget } from "./nats-target.ts";

export const natsTargetType: TargetType<typeof natsConfigSchema> = {
  type: "nats",
  label: "NATS",
  configSchema: natsConfigSchema,
  secretFields: NATS_SECRET_FIELDS,
  create: (config, context) => new NatsTarget(config, context),
};
