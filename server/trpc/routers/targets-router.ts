import { z } from "zod";
import { targetInputSchema, targetUpdateSchema } from "../../settings/target-input.ts";
import { SERIES_WINDOWS } from "../../store/attempt-series.ts";
import { archiveQuerySchema } from "../../store/archive-query.ts";
import { protectedProcedure, router } from "../trpc.ts";

const arnInput = z.object({ arn: z.string().min(1, "arn is required") });
const idsInput = z.object({ arn: z.string().min(1), ids: z.array(z.number().int().positive()).min(1).max(10_000).optional() });

export const targetsRouter = router({
  list: protectedProcedure.query(({ ctx }) => ctx.engine.listTargets()),
  get: protectedProcedure.input(arnInput).query(({ ctx, input }) => ctx.engine.getTarget(input.arn)),
  create: protectedProcedure.input(targetInputSchema).mutation(({ ctx, input }) => ctx.engine.createTarget(input)),
  update: protectedProcedure
    .input(z.object({ arn: z.string().min(1), update: targetUpdateSchema }))
    .mutation(({ ctx, input }) => ctx.engine.updateTarget(input.arn, input.update)),
  delete: protectedProcedure.input(arnInput).mutation(async ({ ctx, input }) => {
    await ctx.engine.deleteTarget(input.arn);
    return { ok: true };
  }),
  setPaused: protectedProcedure
    .input(z.object({ arn: z.string().min(1), paused: z.boolean() }))
    .mutation(({ ctx, input }) => ctx.engine.setTargetPaused(input.arn, input.paused)),
  checkHealth: protectedProcedure.input(arnInput).mutation(({ ctx, input }) => ctx.engine.checkTargetHealth(input.arn)),
  sendTestEvent: protectedProcedure.input(arnInput).mutation(({ ctx, input }) => ctx.engine.sendTestEvent(input.arn)),

  series: protectedProcedure
    .input(z.object({ arn: z.string().min(1), window: z.enum(Object.keys(SERIES_WINDOWS) as [keyof typeof SERIES_WINDOWS]) }))
    .query(({ ctx, input }) => ctx.engine.targetSeries(input.arn, input.window)),

  deadLetters: protectedProcedure
    .input(z.object({ arn: z.string().min(1), limit: z.number().int().min(1).max(500).default(50), afterId: z.number().int().positive().optional() }))
    .query(({ ctx, input }) => ctx.engine.deadLetters(input.arn, { limit: input.limit, ...(input.afterId ? { afterId: input.afterId } : {}) })),
  /** `ids` omitted: every dead letter of the target. */
  retryDeadLetters: protectedProcedure.input(idsInput).mutation(({ ctx, input }) => ctx.engine.retryDeadLetters(input.arn, input.ids)),
  purgeDeadLetters: protectedProcedure.input(idsInput).mutation(({ ctx, input }) => ctx.engine.purgeDeadLetters(input.arn, input.ids)),

  /** Starts a replay of archived events; progress arrives on the console socket as `replay`. */
  replay: protectedProcedure
    .input(z.object({ arn: z.string().min(1), filter: archiveQuerySchema.omit({ cursor: true, limit: true }) }))
    .mutation(({ ctx, input }) => ctx.engine.startReplay(input.arn, input.filter)),
  replays: protectedProcedure.input(arnInput).query(({ ctx, input }) => ctx.engine.replayJobs(input.arn)),
});
