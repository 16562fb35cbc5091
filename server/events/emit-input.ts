import { z, type ZodError } from "zod";
import { AppError } from "../errors/app-error.ts";
import { fromZodError } from "../errors/error-mapping.ts";
import { categoryOf, isEventName, parseEventName, type EventName } from "./event-names.ts";
import { isWellFormedKey } from "./object-key.ts";

/**
 * Marks a zod issue raised for an unknown event name, so toInputError can turn
 * it into InvalidEventName (what parseEventName throws) instead of a generic
 * ValidationError, while zod still decides which field is reported first.
 */
const EVENT_NAME_ISSUE = "herald.invalidEventName";

/** Adds an issue that toInputError reports as InvalidEventName for `value`. */
export function addEventNameIssue(ctx: z.core.$RefinementCtx, value: unknown): void {
  ctx.addIssue({
    code: "custom",
    message: `unknown S3 event name ${JSON.stringify(value)}`,
    params: { herald: EVENT_NAME_ISSUE, value },
    input: value,
  });
}

/** A single (non-compound) event name. */
export const eventNameSchema = z.string().transform((value, ctx): EventName => {
  if (isEventName(value)) return value;
  addEventNameIssue(ctx, value);
  return z.NEVER;
});

/**
 * Turns a zod failure of any Herald input schema into an AppError naming the
 * first field at fault: InvalidEventName for event names, ValidationError otherwise.
 */
export function toInputError(error: ZodError, fieldPrefix?: string): AppError {
  const generic = fromZodError(error, fieldPrefix);
  const first = error.issues[0];
  if (first?.code === "custom" && first.params?.["herald"] === EVENT_NAME_ISSUE) {
    try {
      parseEventName(String(first.params["value"]), generic.field);
    } catch (nameError) {
      if (nameError instanceof AppError) return nameError;
    }
  }
  return generic;
}

const MAX_KEY_BYTES = 1024;

const keySchema = z
  .string()
  .refine(isWellFormedKey, "must be valid UTF-8 (no lone surrogates)")
  .refine((key) => {
    const bytes = Buffer.byteLength(key, "utf8");
    return bytes >= 1 && bytes <= MAX_KEY_BYTES;
  }, `must be 1 to ${MAX_KEY_BYTES} bytes of UTF-8`);

// Deliberately laxer than S3's bucket naming rules: Herald also fronts MinIO,
// Ceph and other stores with their own rules; only `/` would break `bucket/key`.
const bucketSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((bucket) => !bucket.includes("/"), "must not contain '/'");

const sourceSchema = z.strictObject({
  host: z.string().max(255).optional(),
  port: z.union([z.string().max(16), z.number().int().min(0).max(65535)]).optional(),
  userAgent: z.string().max(1024).optional(),
});

/**
 * One event as a producer posts it. Objects are strict: a misspelt optional
 * field (`metdata`) would otherwise be dropped without anyone noticing.
 * Field order matters: the first failing field is the one reported.
 */
export const emitEventSchema = z
  .strictObject({
    eventName: eventNameSchema,
    bucket: bucketSchema,
    key: keySchema.optional(),
    size: z.number().int().min(0).optional(),
    eTag: z.string().max(1024).optional(),
    versionId: z.string().min(1).max(1024).optional(),
    contentType: z.string().max(1024).optional(),
    metadata: z.record(z.string().min(1).max(1024), z.string()).optional(),
    sequencer: z.string().max(128).optional(),
    eventTime: z.iso
      .datetime({ offset: true })
      .transform((iso) => Date.parse(iso))
      .optional(),
    principalId: z.string().max(1024).optional(),
    requestId: z.string().max(256).optional(),
    hostId: z.string().max(1024).optional(),
    sourceIp: z.string().max(64).optional(),
    source: sourceSchema.optional(),
  })
  .superRefine((event, ctx) => {
    // An unknown name has been reported already; its category is unknowable.
    if (!isEventName(event.eventName as string)) return;
    const bucketEvent = categoryOf(event.eventName) === "Bucket";
    if (!bucketEvent && event.key === undefined) {
      ctx.addIssue({ code: "custom", path: ["key"], message: "required for object events", input: event.key });
    }
    if (bucketEvent && event.key !== undefined) {
      ctx.addIssue({ code: "custom", path: ["key"], message: "bucket events carry no key", input: event.key });
    }
  })
  .transform((event) => ({ ...event, key: event.key ?? "" }));

export type EmitInput = z.output<typeof emitEventSchema>;

const emitBatchSchema = z.strictObject({
  events: z.array(emitEventSchema).min(1, "at least one event"),
});

export interface EmitBodyOptions {
  /** Most events one request may carry. */
  maxEvents: number;
}

/**
 * Parses the body of `POST /api/v1/events`: one event object, or
 * `{events: [...]}`. Errors name the field, e.g. `events[3].eventName`.
 */
export function parseEmitBody(body: unknown, options: EmitBodyOptions): EmitInput[] {
  if (typeof body === "object" && body !== null && !Array.isArray(body) && "events" in body) {
    const events = (body as { events: unknown }).events;
    // Checked before parsing so an oversized batch costs nothing to refuse.
    if (Array.isArray(events) && events.length > options.maxEvents) {
      throw new AppError("PayloadTooLarge", `events: at most ${options.maxEvents} events per request, got ${events.length}`, {
        field: "events",
        details: { maxEvents: options.maxEvents, count: events.length },
      });
    }
    const parsed = emitBatchSchema.safeParse(body);
    if (!parsed.success) throw toInputError(parsed.error);
    return parsed.data.events;
  }
  return [parseEmitEvent(body)];
}

/** Parses one event object; `fieldPrefix` is prepended to the field an error names. */
export function parseEmitEvent(value: unknown, fieldPrefix?: string): EmitInput {
  const parsed = emitEventSchema.safeParse(value);
  if (!parsed.success) throw toInputError(parsed.error, fieldPrefix);
  return parsed.data;
}
