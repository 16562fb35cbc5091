import { z } from "zod";
import { notificationRuleInputSchema } from "../../rules/notification-config-schema.ts";
import { protectedProcedure, router } from "../trpc.ts";

const bucketName = z.string().min(1, "bucket is required").max(255);
const bucketInput = z.object({ bucket: bucketName });

export const bucketsRouter = router({
  list: protectedProcedure.query(({ ctx }) => ctx.engine.listBuckets()),

  config: protectedProcedure.input(bucketInput).query(({ ctx, input }) => ctx.engine.bucketConfig(input.bucket)),

  /** Creates the rule, or replaces rule `replacing` in place; errors name the rule's field. */
  saveRule: protectedProcedure
    .input(z.object({ bucket: bucketName, rule: notificationRuleInputSchema, replacing: z.string().min(1).optional() }))
    .mutation(({ ctx, input }) => ctx.engine.upsertRule(input.bucket, input.rule as never, input.replacing)),

  deleteRule: protectedProcedure
    .input(z.object({ bucket: bucketName, ruleId: z.string().min(1) }))
    .mutation(({ ctx, input }) => ctx.engine.deleteRule(input.bucket, input.ruleId)),

  deleteBucket: protectedProcedure.input(bucketInput).mutation(async ({ ctx, input }) => {
    await ctx.engine.deleteBucketConfig(input.bucket);
    return { ok: true };
  }),

  exportXml: protectedProcedure.input(bucketInput).query(async ({ ctx, input }) => ({ xml: await ctx.engine.bucketConfigXml(input.bucket) })),

  /** What an XML import would change, validated, without applying it. */
  previewXml: protectedProcedure
    .input(z.object({ bucket: bucketName, xml: z.string().min(1, "paste or choose a NotificationConfiguration XML").max(1_000_000) }))
    .mutation(({ ctx, input }) => ctx.engine.previewBucketConfigXml(input.bucket, input.xml)),

  importXml: protectedProcedure
    .input(z.object({ bucket: bucketName, xml: z.string().min(1, "paste or choose a NotificationConfiguration XML").max(1_000_000) }))
    .mutation(({ ctx, input }) => ctx.engine.putBucketConfigXml(input.bucket, input.xml)),

  /** "Test a key": the matching rules and targets, and why every other rule does not match. */
  dryRun: protectedProcedure
    .input(z.object({ bucket: bucketName, eventName: z.string().min(1, "choose an event name"), key: z.string().max(1024) }))
    .query(({ ctx, input }) => ctx.engine.dryRun(input.bucket, input.eventName, input.key)),
});
