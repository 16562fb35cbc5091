// `npm test`: the whole suite on a fresh machine. Installs npm dependencies,
// type-checks, then runs vitest; the vitest global setup installs (apt) and
// starts the real servers the tests need on loopback and stops them after.
import { execSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
await import("./ensure-deps.mjs");

console.log("herald: type-checking (tsc --noEmit)...");
execSync("npx tsc --noEmit -p .", { cwd: root, stdio: "inherit" });

const out = path.join(root, ".test-output");
mkdirSync(out, { recursive: true });
const report = path.join(out, "vitest.json");
const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
const result = spawnSync("npx", args, { cwd: root, stdio: "inherit" });

let passed = 0;
let failed = 0;
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests;
  failed = json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0);
} catch {
  failed = Math.max(failed, 1);
}
console.log(`\nTests: ${passed} passed, ${failed} failed`);
process.exit(result.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
