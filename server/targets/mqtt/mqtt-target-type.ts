import { defineTargetType } from "../define-target-type.ts";
import { MQTT_SECRET_FIELDS, mqttConfigSchema } from "./mqtt-config.ts";
import { MqttTarget } from "./mqtt-target.ts";

export const mqttTargetType = defineTargetType("mqtt", "MQTT v5", mqttConfigSchema, MQTT_SECRET_FIELDS, MqttTarget);
