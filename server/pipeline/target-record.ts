import type { DeliveryOptions } from "../targets/delivery-options.ts";

/** A configured target as the engine needs it: parsed, validated config. */
export interface TargetRecord {
  id: string;
  type: string;
  name: string;
  arn: string;
  config: Record<string, unknown>;
  delivery: DeliveryOptions;
  enabled: boolean;
  paused: boolean;
}
