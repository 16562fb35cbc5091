// `npm test`: the whole suite on a fresh machine. Installs npm dependencies,
// type-checks, runs vitest (its global setup installs (apt) and starts the
// real servers the tests need on loopback and stops them after), builds the
// console, then runs the Playwright end-to-end tests in Debian's Chromium
// (installed by apt when missing) against real Herald processes.
import { execSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
await import("./ensure-deps.mjs");

console.log("herald: type-checking (tsc --noEmit)...");
execSync("npx tsc --noEmit -p .", { cwd: root, stdio: "inherit" });

const out = path.join(root, ".test-output");
mkdirSync(out, { recursive: true });
const onlyUnit = process.argv.includes("--unit");
const extra = process.argv.slice(2).filter((a) => a !== "--unit");

const vitestReport = path.join(out, "vitest.json");
rmSync(vitestReport, { force: true });
const vitest = spawnSync("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`, ...extra], { cwd: root, stdio: "inherit" });
const unit = counts(vitestReport, (json) => ({ passed: json.numPassedTests, failed: json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0) }));

let e2e = { passed: 0, failed: 0 };
let e2eStatus = 0;
if (!onlyUnit) {
  await import("./ensure-console-build.mjs");
  const playwrightReport = path.join(out, "playwright.json");
  rmSync(playwrightReport, { force: true });
  e2eStatus = spawnSync("npx", ["playwright", "test"], { cwd: root, stdio: "inherit" }).status ?? 1;
  e2e = counts(playwrightReport, (json) => ({ passed: json.stats.expected + json.stats.flaky, failed: json.stats.unexpected + (json.errors?.length ?? 0) }));
}

const passed = unit.passed + e2e.passed;
const failed = unit.failed + e2e.failed;
console.log(`\nUnit and integration (vitest): ${unit.passed} passed, ${unit.failed} failed`);
if (!onlyUnit) console.log(`End-to-end (Playwright):       ${e2e.passed} passed, ${e2e.failed} failed`);
console.log(`Tests: ${passed} passed, ${failed} failed`);
process.exit(vitest.status === 0 && e2eStatus === 0 && failed === 0 && passed > 0 ? 0 : 1);

function counts(file, read) {
  try {
    return read(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return { passed: 0, failed: 1 };
  }
}
