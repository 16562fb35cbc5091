import { readFile, stat } from "node:fs/promises";
import type { ConnectionOptions } from "node:tls";
import type { TlsFiles } from "./tls-files.ts";

export interface TlsMaterial {
  options: ConnectionOptions;
  /** What the files looked like when read; compare with tlsFingerprint() to notice a rotation. */
  fingerprint: string;
}

const FIELDS = [
  ["caFile", "tls.caFile"],
  ["certFile", "tls.certFile"],
  ["keyFile", "tls.keyFile"],
] as const;

/**
 * Reads a target's TLS files into Node TLS options. Errors name the config
 * field and the file, so a typo in a path reads as such in health checks.
 */
export async function readTlsMaterial(tls: TlsFiles | undefined, hostname: string): Promise<TlsMaterial> {
  const fingerprint = await tlsFingerprint(tls);
  const [ca, cert, key] = await Promise.all(FIELDS.map(([field, name]) => readField(tls?.[field], name)));
  // SNI takes host names only; Node warns when given an IP address.
  const isIp = /^[\d.]+$/.test(hostname) || hostname.includes(":");
  return {
    options: {
      ...(ca === undefined ? {} : { ca }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
      rejectUnauthorized: !(tls?.skipVerify ?? false),
      ...(isIp || hostname === "" ? {} : { servername: hostname }),
    },
    fingerprint,
  };
}

/**
 * Size and modification time of each TLS file: cheap enough to check before
 * every send, so a rotated certificate is picked up by the next connection
 * without restarting Herald. A missing file fingerprints as such (and the
 * next read reports it).
 */
export async function tlsFingerprint(tls: TlsFiles | undefined): Promise<string> {
  if (!tls) return "";
  const parts = await Promise.all(
    FIELDS.map(async ([field]) => {
      const file = tls[field];
      if (file === undefined) return "-";
      try {
        const info = await stat(file);
        return `${info.size}:${info.mtimeMs}:${info.ino}`;
      } catch {
        return "missing";
      }
    }),
  );
  return parts.join("|");
}

/**
 * Remembers the fingerprint a connection was built with and says, at most
 * once per interval, whether the files have changed since.
 */
export class TlsRotationCheck {
  private built: string | undefined;
  private checkedAt = 0;

  constructor(
    private readonly tls: TlsFiles | undefined,
    private readonly intervalMs = 1_000,
  ) {}

  /** Records what a new connection was built from. */
  usedFingerprint(fingerprint: string): void {
    this.built = fingerprint;
    this.checkedAt = Date.now();
  }

  async changed(): Promise<boolean> {
    if (!this.tls || this.built === undefined) return false;
    const now = Date.now();
    if (now - this.checkedAt < this.intervalMs) return false;
    this.checkedAt = now;
    return (await tlsFingerprint(this.tls)) !== this.built;
  }
}

async function readField(file: string | undefined, field: string): Promise<Buffer | undefined> {
  if (file === undefined) return undefined;
  try {
    return await readFile(file);
  } catch (error) {
    throw new Error(`${field}: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
