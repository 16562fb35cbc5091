import type http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import type { ConsoleAuth } from "../auth/console-auth.ts";
import { SESSION_COOKIE, parseCookies } from "../auth/cookies.ts";

export type PageHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SIGN_IN_PATH = "/sign-in";

/** Pages anyone may load: the sign-in page and the static assets every page needs. */
function isPublic(pathname: string): boolean {
  return pathname === SIGN_IN_PATH || pathname.startsWith("/_next/") || pathname === "/favicon.ico" || pathname === "/icon.svg";
}

/**
 * The console's pages, served by Next.js in this process from the production
 * build in .next. A page request without a session is sent to sign-in (303)
 * before Next renders anything.
 */
export async function createConsolePages(auth: ConsoleAuth, options: { dir?: string } = {}): Promise<PageHandler> {
  const app = next({ dev: false, dir: options.dir ?? ROOT, quiet: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "http://herald.local");
    if (!isPublic(url.pathname)) {
      const session = await auth.authenticate(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
      if (!session) {
        const back = `${url.pathname}${url.search}`;
        res.writeHead(303, { location: `${SIGN_IN_PATH}${back === "/" ? "" : `?next=${encodeURIComponent(back)}`}`, "cache-control": "no-store" });
        res.end();
        return;
      }
    }
    await handle(req, res);
  };
}
