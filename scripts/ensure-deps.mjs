// Makes a fresh clone runnable: installs npm dependencies when missing or
// stale and generates the Prisma client. Safe to run before every start.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const run = (cmd) => execSync(cmd, { cwd: root, stdio: "inherit" });

const lock = path.join(root, "package-lock.json");
const marker = path.join(root, "node_modules", ".package-lock.json");
if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
  // `npm install` rather than `npm ci`: Next.js lists its SWC binaries for every platform as optional
  // dependencies, the registry here has only Linux's, and `npm ci` refuses a lock file without the others.
  // With the committed lock file `npm install` installs exactly its versions and leaves it unchanged.
  console.log("herald: installing npm dependencies (npm install from package-lock.json)...");
  run("npm install --no-audit --no-fund");
}
if (!existsSync(path.join(root, "server", "db", "generated", "client.ts"))) {
  run("npx prisma generate");
}
