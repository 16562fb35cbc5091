import { defineTargetType } from "../define-target-type.ts";
import { NATS_SECRET_FIELDS, natsConfigSchema } from "./nats-config.ts";
import { NatsTarget } from "./nats-target.ts";

export const natsTargetType = defineTargetType("nats", "NATS", natsConfigSchema, NATS_SECRET_FIELDS, NatsTarget);
