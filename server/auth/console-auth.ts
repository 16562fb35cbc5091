import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { HeraldPrisma } from "../db/prisma-client.ts";
import { AppError } from "../errors/app-error.ts";
import { verifyPassword } from "./password-hash.ts";
import type { RootAccount } from "./root-account.ts";

export interface ConsoleSession {
  /** SHA-256 of the cookie token. */
  id: string;
  user: string;
  csrfToken: string;
  expiresAt: number;
}

export interface SignedIn {
  /** The cookie value; only its hash is stored. */
  token: string;
  session: ConsoleSession;
}

export interface ConsoleAuthDeps {
  prisma: HeraldPrisma;
  /** Resolved once, on first use: hashing is slow, and an engine that never serves the console needs no account. */
  account: () => Promise<RootAccount>;
  clock: () => number;
  sessionTtlMs: number;
}

/** Failed sign-ins per user name within FAILURE_WINDOW_MS beyond which sign-in pauses for that name. */
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 60_000;

/**
 * Console sign-in and sessions: the one place that decides who is signed in,
 * used by the tRPC middleware, the Socket.IO middleware and the page guard.
 * Sessions live in the database, so a restart does not sign everyone out.
 */
export class ConsoleAuth {
  private readonly failures = new Map<string, number[]>();
  private account: Promise<RootAccount> | undefined;

  constructor(private readonly deps: ConsoleAuthDeps) {}

  /** The root account (generating it on first start); main prints a generated password once. */
  rootAccount(): Promise<RootAccount> {
    this.account ??= this.deps.account();
    return this.account;
  }

  async signIn(user: string, password: string): Promise<SignedIn> {
    const now = this.deps.clock();
    const recent = (this.failures.get(user) ?? []).filter((at) => now - at < FAILURE_WINDOW_MS);
    if (recent.length >= MAX_FAILURES) {
      throw new AppError("SlowDown", "too many failed sign-ins for this user; wait a minute and try again", { field: "password" });
    }
    const account = await this.rootAccount();
    // The hash is checked even for an unknown user, so timing does not tell which names exist.
    const passwordOk = await verifyPassword(password, account.passwordHash);
    if (!passwordOk || user !== account.user) {
      this.failures.set(user, [...recent, now]);
      throw new AppError("Unauthorized", "wrong user name or password", { field: "password" });
    }
    this.failures.delete(user);
    const token = randomBytes(32).toString("base64url");
    const session: ConsoleSession = {
      id: hashToken(token),
      user,
      csrfToken: randomBytes(24).toString("base64url"),
      expiresAt: now + this.deps.sessionTtlMs,
    };
    await this.deps.prisma.session.create({
      data: { id: session.id, user, csrfToken: session.csrfToken, createdAt: BigInt(now), expiresAt: BigInt(session.expiresAt) },
    });
    // Expired sessions are swept at each sign-in: cheap, and there are few.
    await this.deps.prisma.session.deleteMany({ where: { expiresAt: { lt: BigInt(now) } } });
    return { token, session };
  }

  /** The session a cookie token belongs to, or null when it is unknown or expired. */
  async authenticate(token: string | undefined): Promise<ConsoleSession | null> {
    if (!token) return null;
    const row = await this.deps.prisma.session.findUnique({ where: { id: hashToken(token) } });
    if (!row || Number(row.expiresAt) <= this.deps.clock()) return null;
    // The account may have been renamed in the configuration since: such sessions end.
    if (row.user !== (await this.rootAccount()).user) return null;
    return { id: row.id, user: row.user, csrfToken: row.csrfToken, expiresAt: Number(row.expiresAt) };
  }

  async signOut(token: string | undefined): Promise<void> {
    if (!token) return;
    await this.deps.prisma.session.deleteMany({ where: { id: hashToken(token) } });
  }
}

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(session: ConsoleSession, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether a browser request comes from the console's own origin: the Origin
 * header (sent on every cross-origin request and on same-origin POSTs) must
 * name the host the request was sent to. A request without Origin is not
 * from a cross-origin page.
 */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
