import { defineTargetType } from "../define-target-type.ts";
import { KAFKA_SECRET_FIELDS, kafkaConfigSchema } from "./kafka-config.ts";
import { KafkaTarget } from "./kafka-target.ts";

export const kafkaTargetType = defineTargetType("kafka", "Kafka", kafkaConfigSchema, KAFKA_SECRET_FIELDS, KafkaTarget);
