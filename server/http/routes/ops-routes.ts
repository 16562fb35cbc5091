import type { HeraldEngine } from "../../engine/herald-engine.ts";
import type { HeraldMetrics } from "../../metrics/herald-metrics.ts";
import type { Route } from "../router.ts";

/** Liveness, readiness and Prometheus metrics: public, for probes and scrapers. */
export function opsRoutes(engine: HeraldEngine, metrics: HeraldMetrics, isReady: () => boolean): Route[] {
  return [
    { method: "GET", path: "/healthz", public: true, handler: () => ({ json: { status: "ok" } }) },
    {
      method: "GET",
      path: "/readyz",
      public: true,
      handler: () => {
        const ready = isReady() && engine.isStorageReady();
        return { status: ready ? 200 : 503, json: { status: ready ? "ready" : "not ready" } };
      },
    },
    {
      method: "GET",
      path: "/metrics",
      public: true,
      handler: async () => ({ body: await metrics.registry.metrics(), contentType: metrics.registry.contentType }),
    },
  ];
}
