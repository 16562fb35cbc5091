import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, isAppError } from "./app-error.ts";
import { ERROR_CODES, type ErrorCode } from "./error-codes.ts";
import { fromZodError, httpStatusOf, s3CodeOf, toAppError, trpcCodeOf } from "./error-mapping.ts";

function zodError(schema: z.ZodType, value: unknown): z.ZodError {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error("expected the value to fail validation");
  return parsed.error;
}

describe("transport mappings", () => {
  it.each<[ErrorCode, number, string, string]>([
    ["ValidationError", 400, "InvalidArgument", "BAD_REQUEST"],
    ["InvalidEventName", 400, "InvalidArgument", "BAD_REQUEST"],
    ["MalformedXML", 400, "MalformedXML", "BAD_REQUEST"],
    ["PayloadTooLarge", 413, "EntityTooLarge", "PAYLOAD_TOO_LARGE"],
    ["Unauthorized", 401, "AccessDenied", "UNAUTHORIZED"],
    ["Forbidden", 403, "AccessDenied", "FORBIDDEN"],
    ["NotFound", 404, "NoSuchKey", "NOT_FOUND"],
    ["Conflict", 409, "OperationAborted", "CONFLICT"],
    ["SlowDown", 503, "SlowDown", "TOO_MANY_REQUESTS"],
    ["ShuttingDown", 503, "ServiceUnavailable", "SERVICE_UNAVAILABLE"],
    ["InternalError", 500, "InternalError", "INTERNAL_SERVER_ERROR"],
  ])("maps %s to HTTP %d, S3 %s, tRPC %s", (code, http, s3, trpc) => {
    expect(httpStatusOf(code)).toBe(http);
    expect(s3CodeOf(code)).toBe(s3);
    expect(trpcCodeOf(code)).toBe(trpc);
  });

  // The Record type already forces an entry per code; this catches a runtime gap (e.g. a cast).
  it("maps every error code to an HTTP error status (or S3's 304 NotModified) and non-empty S3 and tRPC codes", () => {
    for (const code of ERROR_CODES) {
      const status = httpStatusOf(code);
      expect(status, code).toBeGreaterThanOrEqual(code === "NotModified" ? 304 : 400);
      expect(status, code).toBeLessThan(600);
      expect(s3CodeOf(code), code).toMatch(/^[A-Za-z0-9]+$/);
      expect(trpcCodeOf(code), code).toMatch(/^[A-Z_]+$/);
    }
  });

  it("uses 5xx only for failures on Herald's side: internal, overload, shutdown, a full disk, an unimplemented operation", () => {
    const serverSide = ERROR_CODES.filter((code) => httpStatusOf(code) >= 500).sort();
    expect(serverSide).toEqual(["InsufficientStorage", "InternalError", "NotImplemented", "ShuttingDown", "SlowDown"]);
  });
});

describe("fromZodError", () => {
  const eventsSchema = z.object({
    events: z.array(z.object({ eventName: z.string(), key: z.string() })),
  });

  it("names the first failing field with [n] array indices", () => {
    const error = fromZodError(
      zodError(eventsSchema, { events: [{ eventName: "a", key: "k" }, { eventName: "b", key: "k" }, { eventName: "c", key: "k" }, { eventName: 7, key: "k" }] }),
    );
    expect(error.code).toBe("ValidationError");
    expect(error.field).toBe("events[3].eventName");
    expect(error.message.startsWith("events[3].eventName: ")).toBe(true);
  });

  it("puts the prefix in front of the path", () => {
    const error = fromZodError(zodError(eventsSchema, { events: [{ eventName: "a" }] }), "body");
    expect(error.field).toBe("body.events[0].key");
    expect(error.message).toMatch(/^body\.events\[0\]\.key: /);
  });

  it("renders consecutive indices and a trailing index", () => {
    const schema = z.object({ grid: z.array(z.array(z.number())) });
    expect(fromZodError(zodError(schema, { grid: [[1], [2, "x"]] })).field).toBe("grid[1][1]");
    expect(fromZodError(zodError(z.object({ ids: z.array(z.number()) }), { ids: [1, 2, "3"] })).field).toBe("ids[2]");
  });

  it("keeps digits inside a name as they are", () => {
    const schema = z.object({ s3: z.object({ v2: z.string() }) });
    expect(fromZodError(zodError(schema, { s3: { v2: 1 } })).field).toBe("s3.v2");
  });

  it("uses the prefix alone for a root failure, and no field at all without one", () => {
    const rootError = zodError(z.string(), 5);
    expect(fromZodError(rootError, "config").field).toBe("config");
    const bare = fromZodError(rootError);
    expect(bare.field).toBeUndefined();
    expect(bare.message.startsWith("input: ")).toBe(true);
    expect(bare.toJSON()).not.toHaveProperty("field");
  });

  it("lists every issue in details", () => {
    const error = fromZodError(zodError(z.object({ a: z.string(), b: z.number() }), { a: 1, b: "x" }));
    const issues = (error.details as { issues: { path: string[]; code: string }[] }).issues;
    expect(issues.map((i) => i.path)).toEqual([["a"], ["b"]]);
    expect(issues.every((i) => i.code === "invalid_type")).toBe(true);
  });
});

describe("toAppError", () => {
  it("returns an AppError as it is", () => {
    const original = new AppError("NotFound", "no such target");
    expect(toAppError(original)).toBe(original);
  });

  it.each([new Error("SQLITE_CORRUPT: database disk image is malformed at /srv/secret/herald.db"), "a string", 42, undefined, null])(
    "wraps %s as an InternalError without its message",
    (thrown) => {
      const error = toAppError(thrown);
      expect(isAppError(error)).toBe(true);
      expect(error.code).toBe("InternalError");
      expect(error.message).toBe("internal error");
      expect(JSON.stringify(error.toJSON())).not.toContain("secret");
      expect(error.toJSON()).toEqual({ code: "InternalError", message: "internal error" });
    },
  );

  it("keeps the original as the cause, for the logs", () => {
    const original = new TypeError("boom");
    expect(toAppError(original).cause).toBe(original);
  });
});

describe("AppError.toJSON", () => {
  it("omits field and details when absent", () => {
    const json = new AppError("Conflict", "exists").toJSON();
    expect(json).toEqual({ code: "Conflict", message: "exists" });
    expect(Object.keys(json)).toEqual(["code", "message"]);
  });

  it("includes them when present", () => {
    expect(new AppError("ValidationError", "bad", { field: "rules[0].id", details: { max: 255 } }).toJSON()).toEqual({
      code: "ValidationError",
      message: "bad",
      field: "rules[0].id",
      details: { max: 255 },
    });
  });

  it("never serialises the cause", () => {
    const json = JSON.stringify(new AppError("InternalError", "internal error", { cause: new Error("db password=hunter2") }));
    expect(json).not.toContain("hunter2");
  });
});
