import { z } from "zod";
import { tlsFilesSchema } from "../tls-files.ts";

function isNatsServer(value: string): boolean {
  try {
    const url = new URL(value.includes("://") ? value : `nats://${value}`);
    return ["nats:", "tls:"].includes(url.protocol) && url.hostname !== "";
  } catch {
    return false;
  }
}

export const NATS_MODES = ["core", "jetstream"] as const;

export const natsConfigSchema = z
  .strictObject({
    /** Tried in order on connect; the client fails over between them. */
    servers: z.array(z.string().max(4096).refine(isNatsServer, "must be nats://host:port, tls://host:port or host:port")).min(1).max(32).describe("nats://host:port (tls:// for TLS); several for a cluster."),
    /** `{bucket}` and `{eventName}` are replaced per event. */
    subject: z.string().min(1).max(1024).regex(/^[^\s*>]+$/, "must not contain spaces or wildcards").default("s3.events.{bucket}").describe("Subject; {bucket} and {eventName} are replaced per event."),
    /** core: at most once to current subscribers; jetstream: stored, and delivered only once the stream acks. */
    mode: z.enum(NATS_MODES).default("core").describe("core: publish to current subscribers; jetstream: a delivery counts only when the stream acks it."),
    stream: z.string().min(1).max(256).regex(/^[^\s.*>]+$/, "must not contain spaces, dots or wildcards").optional().describe("JetStream stream the subject must land in."),
    /** Creates the stream (file storage, the subject with placeholders as wildcards) when it does not exist. */
    createStream: z.boolean().default(false).describe("Create the stream when it does not exist."),
    ackWaitMs: z.number().int().min(100).max(300_000).default(5_000).describe("How long JetStream may take to ack a message (and core NATS to flush)."),
    token: z.string().min(1).max(4096).optional().describe("Token authentication."),
    user: z.string().min(1).max(1024).optional().describe("User for user/password authentication."),
    password: z.string().min(1).max(4096).optional().describe("Password for user/password authentication."),
    /** An NKey user's seed (SU...). */
    nkeySeed: z.string().regex(/^SU[A-Z2-7]+$/, "must be a user NKey seed (SU...)").optional().describe("NKey seed (SU...) of an NKey user."),
    /** A .creds file (JWT and seed), re-read on every connection. */
    credsFile: z.string().min(1).max(4096).optional().describe("Path of a .creds file (decentralized JWT auth)."),
    timeoutMs: z.number().int().min(100).max(300_000).default(5_000).describe("Connect timeout."),
    /** Applies to tls:// servers and servers that require TLS. */
    tls: tlsFilesSchema.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.mode === "jetstream" && config.createStream && config.stream === undefined) {
      ctx.addIssue({ code: "custom", path: ["stream"], message: "createStream needs a stream name" });
    }
    if ((config.user === undefined) !== (config.password === undefined)) {
      ctx.addIssue({ code: "custom", path: [config.user === undefined ? "user" : "password"], message: "user and password must be given together" });
    }
    const methods = [config.token, config.user, config.nkeySeed, config.credsFile].filter((m) => m !== undefined).length;
    if (methods > 1) ctx.addIssue({ code: "custom", path: ["token"], message: "use one of token, user/password, nkeySeed or credsFile" });
  });

export type NatsConfig = z.output<typeof natsConfigSchema>;
export type NatsConfigInput = z.input<typeof natsConfigSchema>;

export const NATS_SECRET_FIELDS = ["token", "password", "nkeySeed"] as const;
