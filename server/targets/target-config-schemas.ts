import type { z } from "zod";
import { AMQP_SECRET_FIELDS, amqpConfigSchema } from "./amqp/amqp-config.ts";
import { KAFKA_SECRET_FIELDS, kafkaConfigSchema } from "./kafka/kafka-config.ts";
import { MQTT_SECRET_FIELDS, mqttConfigSchema } from "./mqtt/mqtt-config.ts";
import { MYSQL_SECRET_FIELDS, mysqlConfigSchema } from "./mysql/mysql-config.ts";
import { NATS_SECRET_FIELDS, natsConfigSchema } from "./nats/nats-config.ts";
import { POSTGRES_SECRET_FIELDS, postgresConfigSchema } from "./postgres/postgres-config.ts";
import { REDIS_SECRET_FIELDS, redisConfigSchema } from "./redis/redis-config.ts";
import { WEBHOOK_SECRET_FIELDS, webhookConfigSchema } from "./webhook/webhook-config.ts";

/** How a stored secret is shown; sent back unchanged, it keeps the stored value. */
export const SECRET_MASK = "********";

export interface TargetConfigSchema {
  /** What the console calls the type. */
  label: string;
  schema: z.ZodType;
  /** Config fields the server masks and never sends back. */
  secretFields: readonly string[];
}

/**
 * Each target type's config schema and nothing else, so the browser can import
 * it: the console generates a type's form from its schema and validates the
 * form with the very schema the server parses the config with. A new target
 * type adds its entry here and gets a form without a new page.
 */
export const TARGET_CONFIG_SCHEMAS = {
  webhook: { label: "Webhook", schema: webhookConfigSchema, secretFields: WEBHOOK_SECRET_FIELDS },
  redis: { label: "Redis", schema: redisConfigSchema, secretFields: REDIS_SECRET_FIELDS },
  kafka: { label: "Kafka", schema: kafkaConfigSchema, secretFields: KAFKA_SECRET_FIELDS },
  amqp: { label: "AMQP 0-9-1 (RabbitMQ)", schema: amqpConfigSchema, secretFields: AMQP_SECRET_FIELDS },
  nats: { label: "NATS", schema: natsConfigSchema, secretFields: NATS_SECRET_FIELDS },
  mqtt: { label: "MQTT v5", schema: mqttConfigSchema, secretFields: MQTT_SECRET_FIELDS },
  postgres: { label: "PostgreSQL", schema: postgresConfigSchema, secretFields: POSTGRES_SECRET_FIELDS },
  mysql: { label: "MySQL / MariaDB", schema: mysqlConfigSchema, secretFields: MYSQL_SECRET_FIELDS },
} as const satisfies Record<string, TargetConfigSchema>;

export type ConfigurableTargetType = keyof typeof TARGET_CONFIG_SCHEMAS;
