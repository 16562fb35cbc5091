import { defineTargetType } from "../define-target-type.ts";
import { AMQP_SECRET_FIELDS, amqpConfigSchema } from "./amqp-config.ts";
import { AmqpTarget } from "./amqp-target.ts";

export const amqpTargetType = defineTargetType("amqp", "AMQP 0-9-1 (RabbitMQ)", amqpConfigSchema, AMQP_SECRET_FIELDS, AmqpTarget);
