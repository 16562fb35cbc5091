import type { TargetType } from "../target.ts";
import { MQTT_SECRET_FIELDS, mqttConfigSchema } from "./mqtt-config.ts";
import { MqttTarget } from "./mqtt-target.ts";

export const mqttTargetType: TargetType<typeof mqttConfigSchema> = {
  type: "mqtt",
  label: "MQTT v5",
  configSchema: mqttConfigSchema,
  secretFields: MQTT_SECRET_FIELDS,
  create: (config, context) => new MqttTarget(config, context),
};
