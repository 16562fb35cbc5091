import { z } from "zod";
import { tlsFilesSchema } from "../tls-files.ts";

function isMqttUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return ["mqtt:", "mqtts:", "tcp:", "tls:", "ws:", "wss:"].includes(url.protocol) && url.hostname !== "";
  } catch {
    return false;
  }
}

export const mqttConfigSchema = z.strictObject({
  /** mqtt:// (or tcp://), mqtts:// (or tls://), ws://, wss://. */
  url: z.string().max(4096).refine(isMqttUrl, "must be an mqtt://, mqtts://, tcp://, tls://, ws:// or wss:// URL").describe("Broker URL: mqtt:// (tcp), mqtts:// (tls), ws:// or wss://."),
  /** `{bucket}` and `{eventName}` are replaced per event. */
  topic: z.string().min(1).max(1024).regex(/^[^#+]+$/, "must not contain wildcards").default("s3/events/{bucket}").describe("Topic; {bucket} and {eventName} are replaced per event."),
  /** 0: at most once (counts when written); 1: at least once (counts when the broker's PUBACK arrives). */
  qos: z.union([z.literal(0), z.literal(1)]).default(1).describe("0: at most once; 1: a delivery counts when the broker acknowledges it (PUBACK)."),
  retain: z.boolean().default(false).describe("Ask the broker to keep the last message per topic for new subscribers."),
  username: z.string().min(1).max(1024).optional().describe("User name."),
  password: z.string().min(1).max(4096).optional().describe("Password."),
  clientId: z.string().min(1).max(256).optional().describe("Client id; a random one when empty."),
  timeoutMs: z.number().int().min(100).max(300_000).default(5_000).describe("Connect timeout and how long the broker may take to acknowledge a batch."),
  /** Applies to mqtts://, tls:// and wss:// URLs. */
  tls: tlsFilesSchema.optional(),
});

export type MqttConfig = z.output<typeof mqttConfigSchema>;
export type MqttConfigInput = z.input<typeof mqttConfigSchema>;

export const MQTT_SECRET_FIELDS = ["password"] as const;
