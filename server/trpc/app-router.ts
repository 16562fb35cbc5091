import { authRouter } from "./routers/auth-router.ts";
import { bucketsRouter } from "./routers/buckets-router.ts";
import { eventsRouter } from "./routers/events-router.ts";
import { queryRouter } from "./routers/query-router.ts";
import { targetsRouter } from "./routers/targets-router.ts";
import { router } from "./trpc.ts";

/** Everything the console reads and writes. The browser imports only its type. */
export const appRouter = router({
  auth: authRouter,
  buckets: bucketsRouter,
  targets: targetsRouter,
  events: eventsRouter,
  query: queryRouter,
});

export type AppRouter = typeof appRouter;
