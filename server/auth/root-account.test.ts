import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "./password-hash.ts";
import { resolveRootAccount } from "./root-account.ts";

describe("the root account", () => {
  it("is generated once on first start, kept hashed (0600), and the same on the next start", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "herald-root-"));
    const first = await resolveRootAccount({ dataDir });
    expect(first.user).toBe("admin");
    expect(first.generatedPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const file = path.join(dataDir, "root-account.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).not.toContain(first.generatedPassword);
    expect(await verifyPassword(first.generatedPassword!, first.passwordHash)).toBe(true);

    const second = await resolveRootAccount({ dataDir });
    expect(second.generatedPassword).toBeUndefined();
    expect(await verifyPassword(first.generatedPassword!, second.passwordHash)).toBe(true);
    expect(await verifyPassword("something else", second.passwordHash)).toBe(false);
  });

  it("comes from HERALD_ROOT_USER and HERALD_ROOT_PASSWORD when set, and writes nothing", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "herald-root-"));
    const account = await resolveRootAccount({ dataDir, user: "ops", password: "s3cret-pass" });
    expect(account).toMatchObject({ user: "ops", generatedPassword: undefined });
    expect(await verifyPassword("s3cret-pass", account.passwordHash)).toBe(true);
    expect(() => statSync(path.join(dataDir, "root-account.json"))).toThrow();
  });

  it("verifies nothing against a malformed stored hash", async () => {
    expect(await verifyPassword("x", "not-a-hash")).toBe(false);
    expect(await verifyPassword("x", "scrypt$16384$8$1$$")).toBe(false);
  });
});
