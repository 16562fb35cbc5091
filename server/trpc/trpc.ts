import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import type { ConsoleAuth, ConsoleSession } from "../auth/console-auth.ts";
import { csrfMatches } from "../auth/console-auth.ts";
import type { HeraldEngine } from "../engine/herald-engine.ts";
import type { QueryService } from "../query/query-service.ts";
import { AppError } from "../errors/app-error.ts";
import { fromZodError, toAppError, trpcCodeOf } from "../errors/error-mapping.ts";
import type { ErrorCode } from "../errors/error-codes.ts";

/** What every console procedure gets: built per request by the HTTP adapter. */
export interface ConsoleContext {
  engine: HeraldEngine;
  auth: ConsoleAuth;
  query: QueryService;
  session: ConsoleSession | null;
  /** The session cookie's value, to sign out. */
  sessionToken: string | undefined;
  /** The X-Herald-CSRF header. */
  csrfHeader: string | undefined;
  /** Whether the request's Origin (if any) is the console's own. */
  sameOrigin: boolean;
  sessionTtlMs: number;
  /** Adds Set-Cookie headers to the response. */
  setCookies(cookies: string[]): void;
}

/** What a console error carries besides tRPC's code: Herald's error code and the field at fault. */
export interface ConsoleErrorData {
  appCode: ErrorCode;
  field: string | null;
}

function appErrorOf(error: TRPCError): AppError {
  const cause = error.cause;
  if (cause instanceof AppError) return cause;
  if (cause instanceof ZodError) return fromZodError(cause);
  if (error.code === "UNAUTHORIZED") return new AppError("Unauthorized", error.message);
  if (error.code === "FORBIDDEN") return new AppError("Forbidden", error.message);
  if (error.code === "NOT_FOUND") return new AppError("NotFound", error.message);
  if (error.code === "BAD_REQUEST" || error.code === "PARSE_ERROR") return new AppError("ValidationError", error.message);
  return toAppError(cause ?? error);
}

const t = initTRPC.context<ConsoleContext>().create({
  errorFormatter({ shape, error }) {
    const app = appErrorOf(error);
    // Internal failures keep their details in the log, not in the browser.
    const message = app.code === "InternalError" ? "internal error" : app.message;
    const data: typeof shape.data & ConsoleErrorData = { ...shape.data, appCode: app.code, field: app.field ?? null, stack: undefined };
    return { ...shape, message, data };
  },
});

/**
 * Domain errors become tRPC errors with the code error-mapping.ts assigns,
 * so the HTTP status the browser sees is right (404, 409, 400...) and not 500.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError && result.error.code === "INTERNAL_SERVER_ERROR") {
    const app = result.error.cause;
    throw new TRPCError({ code: trpcCodeOf(app.code) as TRPCError["code"], message: app.message, cause: app });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapErrors);

/**
 * The one place that requires a signed-in user: every console procedure but
 * sign-in goes through it. Mutations also need the CSRF token and a
 * same-origin request. Roles would be checked here too.
 */
export const protectedProcedure = publicProcedure.use(({ ctx, type, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in to use the console" });
  if (type === "mutation" && (!ctx.sameOrigin || !csrfMatches(ctx.session, ctx.csrfHeader))) {
    throw new TRPCError({ code: "FORBIDDEN", message: "the request lacks this session's CSRF token or comes from another origin" });
  }
  return next({ ctx: { ...ctx, session: ctx.session } });
});
