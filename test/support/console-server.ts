import { startHeraldProcess, type HeraldProcess } from "./herald-process.ts";

export const ROOT_USER = "admin";
export const ROOT_PASSWORD = "e2e-root-password";

/** The real Herald server with its console, as `npm start` runs it, on a free port and a temporary data directory. */
export function startConsoleServer(env: Record<string, string> = {}): Promise<HeraldProcess> {
  return startHeraldProcess({
    env: {
      HERALD_CONSOLE: "on",
      HERALD_ROOT_USER: ROOT_USER,
      HERALD_ROOT_PASSWORD: ROOT_PASSWORD,
      HERALD_HEALTH_CHECK_INTERVAL: "2s",
      ...env,
    },
  });
}
