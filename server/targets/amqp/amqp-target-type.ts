import type { TargetType } from "../target.ts";
import { AMQP_SECRET_FIELDS, amqpConfigSchema } from "./amqp-config.ts";
import { AmqpTarget } from "./amqp-target.ts";

export const amqpTargetType: TargetType<typeof amqpConfigSchema> = {
  type: "amqp",
  label: "AMQP 0-9-1 (RabbitMQ)",
  configSchema: amqpConfigSchema,
  secretFields: AMQP_SECRET_FIELDS,
  create: (config, context) => new AmqpTarget(config, context),
};
