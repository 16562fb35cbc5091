import { randomBytes, timingSafeEqual, createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface ApiTokens {
  tokens: string[];
  /** Set when this start generated the token: print it once. */
  generated: string | undefined;
}

/**
 * API tokens come from the configuration; when none is configured, one is
 * generated on first start and kept (0600) in the data directory.
 */
export function resolveApiTokens(configured: string[] | undefined, dataDir: string): ApiTokens {
  if (configured && configured.length > 0) return { tokens: configured, generated: undefined };
  const file = path.join(dataDir, "api-token");
  if (existsSync(file)) return { tokens: [readFileSync(file, "utf8").trim()], generated: undefined };
  mkdirSync(dataDir, { recursive: true });
  const token = `hrld_${randomBytes(24).toString("base64url")}`;
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { tokens: [token], generated: token };
}

/** Constant-time check of a presented bearer token against the configured ones. */
export function tokenMatches(presented: string | undefined, tokens: readonly string[]): boolean {
  if (!presented) return false;
  const digest = createHash("sha256").update(presented).digest();
  let ok = false;
  for (const token of tokens) {
    if (timingSafeEqual(digest, createHash("sha256").update(token).digest())) ok = true;
  }
  return ok;
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1]?.trim();
}
