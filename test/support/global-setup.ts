import type { TestProject } from "vitest/node";
import { startRedisServer } from "./redis-server.ts";
import { installRequiredServers } from "./required-servers.ts";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** Starts the real servers the suite needs, once, and stops them after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  installRequiredServers();
  const redis = await startRedisServer();
  project.provide("redisUrl", redis.url);
  return async () => {
    await redis.stop();
  };
}
