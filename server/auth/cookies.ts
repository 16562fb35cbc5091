/** The console's cookies: the httpOnly session and the CSRF token the page echoes in a header (double submit). */
export const SESSION_COOKIE = "herald_session";
export const CSRF_COOKIE = "herald_csrf";
export const CSRF_HEADER = "x-herald-csrf";

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    const raw = part.slice(at + 1).trim();
    try {
      cookies.set(name, decodeURIComponent(raw));
    } catch {
      // A value that is not valid percent-encoding is not one of ours.
    }
  }
  return cookies;
}

export function serializeCookie(name: string, value: string, options: { maxAgeSeconds: number; httpOnly: boolean }): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    "Path=/",
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    "SameSite=Strict",
    ...(options.httpOnly ? ["HttpOnly"] : []),
  ].join("; ");
}
