import type { z } from "zod";
import type { Logger } from "../logging/logger.ts";
import type { HeraldEvent } from "../events/s3-record.ts";

/** One queued event on its way to one target. */
export interface DeliveryItem {
  deliveryId: number;
  event: HeraldEvent;
  /** The rule that matched; delivered as s3.configurationId. */
  ruleId: string;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface SendResult {
  /** Protocol status when there is one (HTTP status for webhooks). */
  statusCode?: number;
}

export interface HealthResult {
  ok: boolean;
  latencyMs: number;
  error?: string;
  checkedAt: number;
}

/**
 * A live connection to one configured target. `send` resolves when the whole
 * batch is acknowledged by the target and rejects with a DeliveryError that
 * says whether to retry.
 */
export interface Target {
  readonly arn: string;
  readonly type: string;
  init(): Promise<void>;
  healthCheck(): Promise<HealthResult>;
  send(batch: readonly DeliveryItem[]): Promise<SendResult>;
  close(): Promise<void>;
}

export interface TargetContext {
  id: string;
  arn: string;
  logger: Logger;
}

/**
 * A kind of target (webhook, redis, ...). The config schema drives validation
 * on the server and, later, the generated forms in the console.
 */
export interface TargetType<Schema extends z.ZodType = z.ZodType> {
  type: string;
  label: string;
  configSchema: Schema;
  /** Top-level config fields that hold secrets: masked before anything leaves the server. */
  secretFields: readonly string[];
  create(config: z.infer<Schema>, context: TargetContext): Target;
}
