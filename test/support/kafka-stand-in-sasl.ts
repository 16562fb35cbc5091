import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

export type StandInSaslMechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";

export interface StandInSaslConfig {
  mechanism: StandInSaslMechanism;
  username: string;
  password: string;
}

export interface SaslStep {
  /** Bytes for the SaslAuthenticate response. */
  reply: Buffer;
  /** Set on the last step: the client is (or is not) authenticated. */
  outcome?: { ok: true } | { ok: false; error: string };
}

// Kafka's wording, so the client's error reads as it would against a real broker.
const BAD_CREDENTIALS = "Authentication failed: Invalid username or password";

/**
 * The server side of one SASL exchange: PLAIN in one step, SCRAM (RFC 5802)
 * in two. SCRAM is checked for real (PBKDF2, HMAC proofs, server signature)
 * so a client that computes it wrongly fails here as it would on a broker.
 */
export class SaslServerSession {
  private scramFirst: { bare: string; serverFirst: string; nonce: string; salt: Buffer } | undefined;

  constructor(private readonly config: StandInSaslConfig) {}

  step(client: Buffer): SaslStep {
    if (this.config.mechanism === "PLAIN") return this.plain(client);
    return this.scramFirst === undefined ? this.scramClientFirst(client) : this.scramClientFinal(client);
  }

  private plain(client: Buffer): SaslStep {
    const [, username, password] = client.toString("utf8").split("\0");
    const ok = username === this.config.username && password === this.config.password;
    return { reply: Buffer.alloc(0), outcome: ok ? { ok: true } : { ok: false, error: BAD_CREDENTIALS } };
  }

  private scramClientFirst(client: Buffer): SaslStep {
    const message = client.toString("utf8");
    const bare = message.replace(/^n,[^,]*,/, "");
    const fields = scramFields(bare);
    const nonce = `${fields.r ?? ""}${randomBytes(12).toString("base64url")}`;
    const salt = randomBytes(16);
    const serverFirst = `r=${nonce},s=${salt.toString("base64")},i=4096`;
    this.scramFirst = { bare, serverFirst, nonce, salt };
    if (fields.n !== this.config.username) {
      // Still answer the first message (as Kafka does) and fail at the proof, not revealing which part was wrong.
      this.scramFirst.salt = randomBytes(16);
    }
    return { reply: Buffer.from(serverFirst) };
  }

  private scramClientFinal(client: Buffer): SaslStep {
    const first = this.scramFirst;
    if (first === undefined) throw new Error("SCRAM final before first");
    const message = client.toString("utf8");
    const fields = scramFields(message);
    const withoutProof = message.replace(/,p=[^,]*$/, "");
    const digest = this.config.mechanism === "SCRAM-SHA-256" ? "sha256" : "sha512";
    const size = digest === "sha256" ? 32 : 64;
    const salted = pbkdf2Sync(this.config.password, first.salt, 4096, size, digest);
    const clientKey = createHmac(digest, salted).update("Client Key").digest();
    const storedKey = createHash(digest).update(clientKey).digest();
    const authMessage = `${first.bare},${first.serverFirst},${withoutProof}`;
    const signature = createHmac(digest, storedKey).update(authMessage).digest();
    const expected = Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] as number)));
    const proof = Buffer.from(fields.p ?? "", "base64");
    const ok =
      scramFields(first.bare).n === this.config.username && fields.r === first.nonce && proof.length === expected.length && timingSafeEqual(proof, expected);
    if (!ok) return { reply: Buffer.alloc(0), outcome: { ok: false, error: BAD_CREDENTIALS } };
    const serverKey = createHmac(digest, salted).update("Server Key").digest();
    const serverSignature = createHmac(digest, serverKey).update(authMessage).digest("base64");
    return { reply: Buffer.from(`v=${serverSignature}`), outcome: { ok: true } };
  }
}

function scramFields(message: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of message.split(",")) {
    const at = part.indexOf("=");
    if (at > 0) fields[part.slice(0, at)] = part.slice(at + 1);
  }
  return fields;
}
