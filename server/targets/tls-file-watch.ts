import { readFile, stat } from "node:fs/promises";
import type { ConnectionOptions } from "node:tls";
import type { TlsFiles } from "./tls-files.ts";

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
}

/** How often the files are stat'ed at most: rotation is noticed within this, sends never wait on it. */
export const TLS_CHECK_INTERVAL_MS = 1_000;

const FIELDS = [
  ["caFile", "ca"],
  ["certFile", "cert"],
  ["keyFile", "key"],
] as const;

/**
 * Reads a target's TLS files and tells when they change on disk, so a target
 * holding a connection pool can build a new one with the fresh material
 * (certificate rotation without restarting Herald). Change is judged by
 * inode, size and mtime: a file replaced by rename or rewritten in place both count.
 */
export class TlsFileWatch {
  private stamp = "";
  private checkedAt = 0;
  private checking: Promise<boolean> | undefined;

  constructor(
    private readonly tls: TlsFiles | undefined,
    private readonly intervalMs = TLS_CHECK_INTERVAL_MS,
  ) {}

  /** The material to connect with now; remembers what was read, for changed(). */
  async read(): Promise<TlsMaterial | undefined> {
    const tls = this.tls;
    if (tls === undefined) return undefined;
    this.stamp = await this.currentStamp();
    this.checkedAt = Date.now();
    const material: TlsMaterial = { rejectUnauthorized: !tls.skipVerify };
    for (const [field, option] of FIELDS) {
      const file = tls[field];
      if (file === undefined) continue;
      try {
        material[option] = await readFile(file);
      } catch (error) {
        throw new Error(`tls.${field}: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
    return material;
  }

  /** True once per change since the last read(); stats the files at most once per interval. */
  changed(): Promise<boolean> {
    if (this.tls === undefined || Date.now() - this.checkedAt < this.intervalMs) return Promise.resolve(false);
    // Shared, so concurrent sends do not each see the change and each rebuild the pool.
    this.checking ??= this.currentStamp()
      .then((stamp) => {
        this.checkedAt = Date.now();
        if (stamp === this.stamp) return false;
        this.stamp = stamp;
        return true;
      })
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  private async currentStamp(): Promise<string> {
    const parts: string[] = [];
    for (const [field] of FIELDS) {
      const file = this.tls?.[field];
      if (file === undefined) continue;
      try {
        const s = await stat(file);
        parts.push(`${s.ino}:${s.size}:${s.mtimeMs}`);
      } catch {
        // A file missing for a moment (mid-rotation) is a change too; read() reports it properly.
        parts.push("missing");
      }
    }
    return parts.join("|");
  }
}

/**
 * Node TLS options for a client connecting to `hostname`, with SNI set to it.
 * SNI takes host names only (Node warns when given an IP address), so none is
 * set for an IP or for "" (clients of several brokers, where Node checks each
 * broker's certificate against that broker's own host name).
 */
export function tlsConnectionOptions(material: TlsMaterial | undefined, hostname: string): ConnectionOptions {
  const host = hostname.replace(/^\[(.*)\]$/, "$1");
  const isIp = /^[\d.]+$/.test(host) || host.includes(":");
  return {
    ...(material?.ca === undefined ? {} : { ca: material.ca }),
    ...(material?.cert === undefined ? {} : { cert: material.cert }),
    ...(material?.key === undefined ? {} : { key: material.key }),
    rejectUnauthorized: material?.rejectUnauthorized ?? true,
    ...(isIp || host === "" ? {} : { servername: host }),
  };
}
