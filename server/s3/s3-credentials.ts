import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { CredentialStore } from "./auth/sigv4.ts";

export interface S3AccessKeys extends CredentialStore {
  /** The first key pair: the one printed at start. */
  root: { accessKeyId: string; secretAccessKey: string };
  /** Set when this start generated the root pair: print the secret once. */
  generated: boolean;
}

const storedSchema = z.object({ accessKeyId: z.string().min(3), secretAccessKey: z.string().min(8) });

/**
 * Access keys of the S3 endpoint: `HERALD_S3_ACCESS_KEYS` (`AKID:SECRET,...`)
 * when set; otherwise a root pair generated on first start and kept (0600)
 * in the data directory, as MinIO does.
 */
export function resolveS3AccessKeys(configured: readonly { accessKeyId: string; secretAccessKey: string }[] | undefined, dataDir: string): S3AccessKeys {
  let pairs = configured ? [...configured] : [];
  let generated = false;
  if (pairs.length === 0) {
    const file = path.join(dataDir, "s3-root-key.json");
    if (existsSync(file)) {
      pairs = [storedSchema.parse(JSON.parse(readFileSync(file, "utf8")))];
    } else {
      const pair = { accessKeyId: `HRLD${randomBytes(8).toString("hex").toUpperCase()}`, secretAccessKey: randomBytes(30).toString("base64url") };
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(file, `${JSON.stringify(pair, null, 2)}\n`, { mode: 0o600 });
      pairs = [pair];
      generated = true;
    }
  }
  const secrets = new Map(pairs.map((p) => [p.accessKeyId, p.secretAccessKey]));
  return { root: pairs[0]!, generated, secretFor: (accessKeyId) => secrets.get(accessKeyId) };
}
