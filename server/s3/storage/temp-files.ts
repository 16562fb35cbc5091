import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { isNotFound } from "./fs-errors.ts";

/**
 * Temp files are the only thing a crash can leave behind (see atomic-write.ts).
 * One store owns its root, so at start every temp entry is from a process that
 * died: all of them go, synchronously, before the store accepts a request.
 */
export function clearTempDir(tmpDir: string): void {
  mkdirSync(tmpDir, { recursive: true });
  for (const name of readdirSync(tmpDir)) {
    rmSync(path.join(tmpDir, name), { recursive: true, force: true });
  }
}

/**
 * While running, a write whose client stalled can leave its temp file open for
 * good if the request never ends; entries untouched for `maxAgeMs` are
 * removed. Writing updates a file's mtime, so a slow upload that is still
 * moving bytes is never swept.
 */
export async function sweepTempDir(tmpDir: string, maxAgeMs: number, now: number = Date.now()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch (error) {
    if (isNotFound(error)) return 0;
    throw error;
  }
  for (const name of names) {
    const entry = path.join(tmpDir, name);
    try {
      const { mtimeMs } = await stat(entry);
      if (now - mtimeMs < maxAgeMs) continue;
      await rm(entry, { recursive: true, force: true });
      removed++;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return removed;
}
