import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { hashPassword } from "./password-hash.ts";

export interface RootAccount {
  user: string;
  passwordHash: string;
  /** Set when this start generated the password: print it once. */
  generatedPassword: string | undefined;
}

const storedAccountSchema = z.object({ user: z.string().min(1), passwordHash: z.string().min(1) });

/**
 * The console's one account for now. From HERALD_ROOT_USER/HERALD_ROOT_PASSWORD
 * when set; otherwise generated on first start and kept, hashed, in
 * `<data>/root-account.json` (0600), so the password is shown exactly once.
 */
export async function resolveRootAccount(options: { user?: string; password?: string; dataDir: string }): Promise<RootAccount> {
  if (options.password !== undefined) {
    return { user: options.user ?? "admin", passwordHash: await hashPassword(options.password), generatedPassword: undefined };
  }
  const file = path.join(options.dataDir, "root-account.json");
  if (existsSync(file)) {
    const stored = storedAccountSchema.parse(JSON.parse(readFileSync(file, "utf8")));
    return { user: options.user ?? stored.user, passwordHash: stored.passwordHash, generatedPassword: undefined };
  }
  const user = options.user ?? "admin";
  const password = randomBytes(15).toString("base64url");
  const passwordHash = await hashPassword(password);
  mkdirSync(options.dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ user, passwordHash }, null, 2)}\n`, { mode: 0o600 });
  return { user, passwordHash, generatedPassword: password };
}
