import type { TargetType } from "../target.ts";
import { KAFKA_SECRET_FIELDS, kafkaConfigSchema } from "./kafka-config.ts";
import { KafkaTarget } from "./kafka-target.ts";

export const kafkaTargetType: TargetType<typeof kafkaConfigSchema> = {
  type: "kafka",
  label: "Kafka",
  configSchema: kafkaConfigSchema,
  secretFields: KAFKA_SECRET_FIELDS,
  create: (config, context) => new KafkaTarget(config, context),
};
