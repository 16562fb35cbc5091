import { z } from "zod";
import { tlsFilesSchema } from "../tls-files.ts";

// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// CR/LF would split the header (request smuggling); NUL is refused by Node anyway.
const UNSAFE_HEADER_VALUE = /[\r\n\0]/;

/**
 * Headers an operator may not set: framing and connection headers belong to
 * the HTTP client (undici refuses several outright), and the X-Herald-Event-*
 * headers are what receivers de-duplicate by, so they must always be Herald's.
 */
export const RESERVED_WEBHOOK_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "proxy-connection",
  "upgrade",
  "expect",
  "te",
  "trailer",
  "x-herald-event-id",
  "x-herald-event-count",
]);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export const webhookTlsSchema = tlsFilesSchema;

export const webhookConfigSchema = z.strictObject({
  endpoint: z.string().max(4096).refine(isHttpUrl, "must be an http:// or https:// URL").describe("The URL events are POSTed to."),
  /** Sent as `Authorization: Bearer <token>`, or as is when it already names a scheme (`Basic ...`). */
  authToken: z
    .string()
    .min(1)
    .max(8192)
    .refine((token) => !UNSAFE_HEADER_VALUE.test(token), "must not contain line breaks")
    .optional()
    .describe("Sent as Authorization: Bearer <token>, or as is when it names a scheme (Basic ...)."),
  headers: z
    .record(z.string(), z.string().max(8192))
    .superRefine((headers, ctx) => {
      for (const [name, value] of Object.entries(headers)) {
        if (!HEADER_NAME.test(name)) {
          ctx.addIssue({ code: "custom", path: [name], message: "not a valid HTTP header name" });
        } else if (RESERVED_WEBHOOK_HEADERS.has(name.toLowerCase())) {
          ctx.addIssue({ code: "custom", path: [name], message: "this header is set by Herald and cannot be overridden" });
        } else if (UNSAFE_HEADER_VALUE.test(value)) {
          ctx.addIssue({ code: "custom", path: [name], message: "header values must not contain line breaks" });
        }
      }
    })
    .default({})
    .describe("Extra request headers; Herald's own (X-Herald-Event-Id, framing) cannot be overridden."),
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000).describe("A request taking longer fails and is retried."),
  tls: webhookTlsSchema.optional(),
  /** `head`: HEAD / on the endpoint's origin; `none` for receivers that must see nothing but deliveries. */
  healthCheck: z.enum(["head", "none"]).default("head").describe("head: HEAD / on the endpoint's origin; none: receivers that must see nothing but deliveries."),
});

export type WebhookConfig = z.output<typeof webhookConfigSchema>;
export type WebhookConfigInput = z.input<typeof webhookConfigSchema>;

export const WEBHOOK_SECRET_FIELDS = ["authToken"] as const;

// `<scheme> <credentials>`: an operator pasting "Basic dXNlcjpw" or "Bearer x" means it literally.
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\s+\S/;

/** The Authorization header value for an authToken. */
export function authorizationHeader(authToken: string): string {
  const token = authToken.trim();
  return HAS_SCHEME.test(token) ? token : `Bearer ${token}`;
}
