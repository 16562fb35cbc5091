import { z } from "zod";
import type { HeraldConfig } from "../../config/config.ts";
import type { HeraldEngine } from "../../engine/herald-engine.ts";
import { readBody, readJsonBody } from "../read-body.ts";
import { parseInput } from "../parse-input.ts";
import type { Route } from "../router.ts";

const dryRunSchema = z.object({ eventName: z.string().min(1), key: z.string() });

function wantsXml(contentType: string | undefined): boolean {
  return /\b(application|text)\/xml\b/i.test(contentType ?? "");
}

/** Bucket notification configurations, as JSON or as S3 NotificationConfiguration XML. */
export function bucketRoutes(engine: HeraldEngine, config: HeraldConfig): Route[] {
  return [
    { method: "GET", path: "/api/v1/buckets", handler: async () => ({ json: { buckets: await engine.listBuckets() } }) },
    {
      method: "GET",
      path: "/api/v1/buckets/:bucket/notification",
      handler: async ({ req, params, query }) => {
        if (query.get("format") === "xml" || wantsXml(req.headers.accept)) {
          return { body: await engine.bucketConfigXml(params.bucket!), contentType: "application/xml" };
        }
        return { json: await engine.bucketConfig(params.bucket!) };
      },
    },
    {
      method: "PUT",
      path: "/api/v1/buckets/:bucket/notification",
      handler: async ({ req, params }) => {
        if (wantsXml(req.headers["content-type"])) {
          const xml = (await readBody(req, config.maxBodyBytes)).toString("utf8");
          return { json: await engine.putBucketConfigXml(params.bucket!, xml) };
        }
        return { json: await engine.putBucketConfig(params.bucket!, await readJsonBody(req, config.maxBodyBytes)) };
      },
    },
    {
      method: "POST",
      path: "/api/v1/buckets/:bucket/notification/preview",
      handler: async ({ req, params }) => {
        const xml = (await readBody(req, config.maxBodyBytes)).toString("utf8");
        return { json: await engine.previewBucketConfigXml(params.bucket!, xml) };
      },
    },
    {
      method: "DELETE",
      path: "/api/v1/buckets/:bucket/notification",
      handler: async ({ params }) => {
        await engine.deleteBucketConfig(params.bucket!);
        return { status: 204 };
      },
    },
    {
      method: "POST",
      path: "/api/v1/buckets/:bucket/dry-run",
      handler: async ({ req, params }) => {
        const input = parseInput(dryRunSchema, await readJsonBody(req, config.maxBodyBytes));
        return { json: engine.dryRun(params.bucket!, input.eventName, input.key) };
      },
    },
  ];
}
