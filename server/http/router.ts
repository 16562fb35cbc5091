import { AppError } from "../errors/app-error.ts";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

/** What a handler returns: a JSON body (status 200 unless given), or a raw body with a content type. */
export type RouteResult =
  | { status?: number; json: unknown }
  | { status?: number; body: string | Buffer; contentType: string }
  | { status: 204 };

export interface Route {
  method: string;
  /** Path with `:name` segments, e.g. `/api/v1/targets/:arn`. */
  path: string;
  /** Public routes skip the bearer token check (health, metrics). */
  public?: boolean;
  handler: (ctx: RouteContext) => Promise<RouteResult> | RouteResult;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

/** A small method + path matcher; routes stay plain data so each file lists its own. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(...routes: Route[]): this {
    for (const route of routes) {
      const names: string[] = [];
      const pattern = route.path
        .split("/")
        .map((segment) => {
          if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          names.push(segment.slice(1));
          return "([^/]+)";
        })
        .join("/");
      this.routes.push({ ...route, regex: new RegExp(`^${pattern}$`), names });
    }
    return this;
  }

  /** `undefined` when no path matches; `methodNotAllowed` when the path exists with other methods. */
  match(method: string, pathname: string): { route: Route; params: Record<string, string> } | "methodNotAllowed" | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.regex.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        const raw = m[i + 1] ?? "";
        try {
          params[name] = decodeURIComponent(raw);
        } catch {
          throw new AppError("ValidationError", `path parameter ${name} is not valid percent-encoding: ${raw}`, { field: name });
        }
      });
      return { route, params };
    }
    return pathMatched ? "methodNotAllowed" : undefined;
  }
}
