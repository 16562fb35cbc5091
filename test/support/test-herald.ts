import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHerald, type Herald } from "../../server/app/create-herald.ts";
import { loadConfig } from "../../server/config/config.ts";
import { silentLogger } from "../../server/logging/logger.ts";

export interface TestHerald extends Herald {
  dataDir: string;
  /** Stops the engine; `keepData` leaves the directory for a restart. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** A real Herald engine on a temporary SQLite database (no mocks). */
export async function startTestHerald(
  env: Record<string, string> = {},
  options: { dataDir?: string; memoryLimit?: number } = {},
): Promise<TestHerald> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "herald-test-"));
  const config = loadConfig({ HERALD_DATA_DIR: dataDir, HERALD_DB_SYNC: "NORMAL", HERALD_HEALTH_CHECK_INTERVAL: "1h", ...env });
  const herald = await createHerald(config, {
    logger: silentLogger(),
    defaultMetrics: false,
    ...(options.memoryLimit === undefined ? {} : { memoryLimit: options.memoryLimit }),
  });
  return {
    ...herald,
    dataDir,
    async stop(stopOptions = {}) {
      await herald.engine.shutdown(2000);
      await herald.close();
      if (!stopOptions.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` is true or the timeout passes (then throws with `what`). */
export async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
