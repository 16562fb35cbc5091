import { z } from "zod";
import { archiveQuerySchema } from "../../store/archive-query.ts";
import { protectedProcedure, router } from "../trpc.ts";

export const eventsRouter = router({
  /** Archive search, newest first; `nextCursor` pages further back. */
  search: protectedProcedure.input(archiveQuerySchema).query(({ ctx, input }) => ctx.engine.searchArchive(input)),
  /** An event's full record with every delivery and attempt, by id or seq. */
  detail: protectedProcedure.input(z.object({ id: z.string().min(1) })).query(({ ctx, input }) => ctx.engine.eventDetail(input.id)),
});
