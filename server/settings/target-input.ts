import { z } from "zod";
import { deliveryOptionsSchema } from "../targets/delivery-options.ts";

/** What an operator sends to create or edit a target (HTTP and, later, tRPC). */
export const targetInputSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '-' and '_' only"),
  type: z.string().min(1),
  name: z.string().min(1).max(200).optional(),
  config: z.record(z.string(), z.unknown()),
  delivery: deliveryOptionsSchema.partial().optional(),
  enabled: z.boolean().optional(),
  paused: z.boolean().optional(),
});

export type TargetInput = z.infer<typeof targetInputSchema>;

export const targetUpdateSchema = targetInputSchema.omit({ id: true, type: true }).partial();
export type TargetUpdate = z.infer<typeof targetUpdateSchema>;
