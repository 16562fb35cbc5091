import { z } from "zod";
import type { HeraldConfig } from "../../config/config.ts";
import type { HeraldEngine } from "../../engine/herald-engine.ts";
import { targetInputSchema, targetUpdateSchema } from "../../settings/target-input.ts";
import { archiveQuerySchema } from "../../store/archive-query.ts";
import { readJsonBody } from "../read-body.ts";
import { parseInput } from "../parse-input.ts";
import type { Route } from "../router.ts";

const selectionSchema = z.union([
  z.object({ ids: z.array(z.number().int().positive()).min(1).max(100_000) }),
  z.object({ all: z.literal(true) }),
]);

const deadLetterPageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.coerce.number().int().min(0).optional(),
});

const replaySchema = archiveQuerySchema.omit({ limit: true, cursor: true });

/** Targets: CRUD, pause, health, dead letters and replay. The ARN is the path parameter. */
export function targetRoutes(engine: HeraldEngine, config: HeraldConfig): Route[] {
  const body = (req: Parameters<typeof readJsonBody>[0]) => readJsonBody(req, config.maxBodyBytes);
  return [
    { method: "GET", path: "/api/v1/targets", handler: async () => ({ json: { targets: await engine.listTargets() } }) },
    {
      method: "POST",
      path: "/api/v1/targets",
      handler: async ({ req }) => ({ status: 201, json: await engine.createTarget(parseInput(targetInputSchema, await body(req))) }),
    },
    { method: "GET", path: "/api/v1/targets/:arn", handler: async ({ params }) => ({ json: await engine.getTarget(params.arn!) }) },
    {
      method: "PATCH",
      path: "/api/v1/targets/:arn",
      handler: async ({ req, params }) => ({ json: await engine.updateTarget(params.arn!, parseInput(targetUpdateSchema, await body(req))) }),
    },
    {
      method: "DELETE",
      path: "/api/v1/targets/:arn",
      handler: async ({ params }) => {
        await engine.deleteTarget(params.arn!);
        return { status: 204 };
      },
    },
    { method: "POST", path: "/api/v1/targets/:arn/pause", handler: async ({ params }) => ({ json: await engine.setTargetPaused(params.arn!, true) }) },
    { method: "POST", path: "/api/v1/targets/:arn/resume", handler: async ({ params }) => ({ json: await engine.setTargetPaused(params.arn!, false) }) },
    { method: "POST", path: "/api/v1/targets/:arn/health", handler: async ({ params }) => ({ json: await engine.checkTargetHealth(params.arn!) }) },
    {
      method: "GET",
      path: "/api/v1/targets/:arn/dead-letters",
      handler: async ({ params, query }) => {
        const page = parseInput(deadLetterPageSchema, Object.fromEntries(query), "query");
        const deadLetters = await engine.deadLetters(params.arn!, { limit: page.limit, ...(page.after === undefined ? {} : { afterId: page.after }) });
        return { json: { deadLetters, nextAfter: deadLetters.length === page.limit ? deadLetters[deadLetters.length - 1]!.deliveryId : null } };
      },
    },
    {
      method: "POST",
      path: "/api/v1/targets/:arn/dead-letters/retry",
      handler: async ({ req, params }) => {
        const selection = parseInput(selectionSchema, await body(req));
        return { json: await engine.retryDeadLetters(params.arn!, "ids" in selection ? selection.ids : undefined) };
      },
    },
    {
      method: "POST",
      path: "/api/v1/targets/:arn/dead-letters/purge",
      handler: async ({ req, params }) => {
        const selection = parseInput(selectionSchema, await body(req));
        return { json: await engine.purgeDeadLetters(params.arn!, "ids" in selection ? selection.ids : undefined) };
      },
    },
    {
      method: "POST",
      path: "/api/v1/targets/:arn/replay",
      handler: async ({ req, params }) => ({ json: await engine.replay(params.arn!, parseInput(replaySchema, await body(req))) }),
    },
  ];
}
