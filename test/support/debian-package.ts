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

function which(binary: string): string | undefined {
  for (const dir of ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin", "/sbin"]) {
    const candidate = `${dir}/${binary}`;
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
