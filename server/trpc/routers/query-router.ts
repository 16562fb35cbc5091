import { z } from "zod";
import { listObjectsInputSchema, queryTargetSchema, saveQueryInputSchema } from "../../query/query-input.ts";
import { protectedProcedure, router } from "../trpc.ts";

/** The query console's reads and writes besides running queries (those stream over the console socket). */
export const queryRouter = router({
  buckets: protectedProcedure.query(({ ctx }) => ctx.query.listBuckets()),
  /** One page of objects under a prefix; `nextCursor` pages on. */
  objects: protectedProcedure.input(listObjectsInputSchema).query(({ ctx, input }) => ctx.query.listObjects(input)),
  guessInput: protectedProcedure.input(queryTargetSchema).query(({ ctx, input }) => ctx.query.guessInput(input.bucket, input.key)),
  history: protectedProcedure.query(({ ctx }) => ctx.query.listHistory(ctx.session.user)),
  clearHistory: protectedProcedure.mutation(async ({ ctx }) => ({ removed: await ctx.query.clearHistory(ctx.session.user) })),
  saved: protectedProcedure.query(({ ctx }) => ctx.query.listSaved(ctx.session.user)),
  save: protectedProcedure.input(saveQueryInputSchema).mutation(({ ctx, input }) => ctx.query.saveQuery(ctx.session.user, input)),
  deleteSaved: protectedProcedure.input(z.object({ id: z.string().min(1) })).mutation(async ({ ctx, input }) => {
    await ctx.query.deleteSaved(ctx.session.user, input.id);
    return { ok: true };
  }),
});
