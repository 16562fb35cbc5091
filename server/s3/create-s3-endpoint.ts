import type http from "node:http";
import type { Herald } from "../app/create-herald.ts";
import { Emitter } from "../events/emitter.ts";
import { createS3Server } from "./http/s3-server.ts";
import { resolveS3AccessKeys, type S3AccessKeys } from "./s3-credentials.ts";
import type { ObjectStore } from "./storage/object-store.ts";

export interface S3Endpoint {
  server: http.Server;
  store: ObjectStore;
  keys: S3AccessKeys;
  close(): Promise<void>;
}

/**
 * Wires the S3 endpoint from the configuration: access keys and server, over
 * Herald's one object store (the composition root opens it, since the query
 * console reads it too). Closing the endpoint leaves the store open: Herald owns it.
 */
export async function createS3Endpoint(herald: Herald): Promise<S3Endpoint> {
  const { config, engine, logger, store, duckdb } = herald;
  const s3 = config.s3;
  const keys = resolveS3AccessKeys(s3.accessKeys, config.dataDir);
  // The endpoint's own emitter, so HERALD_S3_EVENTS=off silences the endpoint and nothing else.
  const emitter = new Emitter({ sink: engine, region: config.region, clock: Date.now, enabled: s3.events !== "off" });
  const server = createS3Server({
    store,
    duckdb,
    credentials: keys,
    emitter,
    engine,
    logger: logger.child({ component: "s3" }),
    clock: Date.now,
    options: { domain: s3.domain, accessEvents: s3.accessEvents, asyncEvents: s3.events === "async", region: config.region },
  });
  return {
    server,
    store,
    keys,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
