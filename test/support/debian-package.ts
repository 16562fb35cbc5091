import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

let updated = false;

/**
 * Installs a Debian package when its binary is missing. CI starts on a machine
 * where nothing was installed by hand, so the tests install what they need.
 */
export function ensureDebianBinary(binary: string, pkg: string): string {
  const found = which(binary);
  if (found) return found;
  if (!updated) {
    execFileSync("apt-get", ["update", "-q"], { stdio: "inherit" });
    updated = true;
  }
  execFileSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", pkg], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  const installed = which(binary);
  if (!installed) throw new Error(`installed ${pkg} but ${binary} is still missing`);
  return installed;
}

/** Installs, in one apt-get run, the packages of every binary that is missing. */
export function ensureDebianBinaries(wanted: readonly (readonly [binary: string, pkg: string])[]): void {
  const missing = [...new Set(wanted.filter(([binary]) => which(binary) === undefined).map(([, pkg]) => pkg))];
  if (missing.length === 0) return;
  if (!updated) {
    execFileSync("apt-get", ["update", "-q"], { stdio: "inherit" });
    updated = true;
  }
  execFileSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  for (const [binary, pkg] of wanted) {
    if (which(binary) === undefined) throw new Error(`installed ${pkg} but ${binary} is still missing`);
  }
}

function which(binary: string): string | undefined {
  // Some packages keep their binaries off PATH (postgresql: /usr/lib/postgresql/<v>/bin).
  if (binary.startsWith("/")) return existsSync(binary) ? binary : undefined;
  for (const dir of ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin", "/sbin"]) {
    const candidate = `${dir}/${binary}`;
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
