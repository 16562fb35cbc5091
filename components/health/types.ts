import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/app-router.ts";

type TargetsOutputs = inferRouterOutputs<AppRouter>["targets"];

/** A target as the console receives it (JSON), with its stats at load time. */
export type HealthTarget = TargetsOutputs["get"];
export type TargetStats = NonNullable<HealthTarget["stats"]>;
export type SeriesPoint = TargetsOutputs["series"][number];
export type DeadLetterRow = TargetsOutputs["deadLetters"][number];
export type ReplayJobView = TargetsOutputs["replays"][number];
