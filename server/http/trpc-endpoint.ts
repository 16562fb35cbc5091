import type http from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import type { ConsoleAuth } from "../auth/console-auth.ts";
import { isSameOrigin } from "../auth/console-auth.ts";
import { CSRF_HEADER, SESSION_COOKIE, parseCookies } from "../auth/cookies.ts";
import type { HeraldEngine } from "../engine/herald-engine.ts";
import type { Logger } from "../logging/logger.ts";
import type { QueryService } from "../query/query-service.ts";
import { appRouter } from "../trpc/app-router.ts";
import type { ConsoleContext } from "../trpc/trpc.ts";

export const TRPC_PATH = "/trpc";

export interface TrpcEndpointDeps {
  engine: HeraldEngine;
  auth: ConsoleAuth;
  query: QueryService;
  sessionTtlMs: number;
  maxBodyBytes: number;
  logger: Logger;
}

/** The console's tRPC API at /trpc, with the session read from the cookie. */
export function trpcEndpoint(deps: TrpcEndpointDeps): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return createHTTPHandler({
    router: appRouter,
    basePath: `${TRPC_PATH}/`,
    maxBodySize: deps.maxBodyBytes,
    createContext: async ({ req, res }): Promise<ConsoleContext> => {
      const sessionToken = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
      const csrf = req.headers[CSRF_HEADER];
      return {
        engine: deps.engine,
        auth: deps.auth,
        query: deps.query,
        session: await deps.auth.authenticate(sessionToken),
        sessionToken,
        csrfHeader: Array.isArray(csrf) ? csrf[0] : csrf,
        sameOrigin: isSameOrigin(req.headers.origin, req.headers.host),
        sessionTtlMs: deps.sessionTtlMs,
        setCookies: (cookies) => res.appendHeader("set-cookie", cookies),
      };
    },
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") deps.logger.error({ err: error.cause ?? error, path }, "console request failed");
    },
  });
}
