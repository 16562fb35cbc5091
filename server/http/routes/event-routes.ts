import type { HeraldConfig } from "../../config/config.ts";
import type { HeraldEngine } from "../../engine/herald-engine.ts";
import { parseEmitBody } from "../../events/emit-input.ts";
import { toNewEvent } from "../../events/build-record.ts";
import { parseS3Notification } from "../../events/ingest-s3.ts";
import { archiveQuerySchema } from "../../store/archive-query.ts";
import { readJsonBody } from "../read-body.ts";
import { parseInput } from "../parse-input.ts";
import type { Route } from "../router.ts";

/** Emitting, ingesting and reading back events. */
export function eventRoutes(engine: HeraldEngine, config: HeraldConfig): Route[] {
  return [
    {
      method: "POST",
      path: "/api/v1/events",
      async handler({ req }) {
        const body = await readJsonBody(req, config.maxBodyBytes);
        const inputs = parseEmitBody(body, { maxEvents: config.maxEventsPerRequest });
        const now = Date.now();
        const accepted = await engine.submit(inputs.map((input) => toNewEvent(input, { region: config.region, now, source: "api" })));
        return { status: 202, json: { accepted: accepted.length, events: accepted } };
      },
    },
    {
      method: "POST",
      path: "/api/v1/ingest/s3",
      async handler({ req }) {
        const body = await readJsonBody(req, config.maxBodyBytes);
        const accepted = await engine.submit(parseS3Notification(body));
        return { status: 202, json: { accepted: accepted.length, events: accepted } };
      },
    },
    {
      method: "GET",
      path: "/api/v1/events",
      handler({ query }) {
        return { json: engine.searchArchive(parseInput(archiveQuerySchema, Object.fromEntries(query), "query")) };
      },
    },
    {
      method: "GET",
      path: "/api/v1/events/:id",
      handler({ params }) {
        return { json: engine.eventDetail(params.id ?? "") };
      },
    },
  ];
}
