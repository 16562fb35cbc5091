import { describe, expect, it } from "vitest";
import { errorOf } from "../../test/support/error-of.ts";
import { AppError } from "../errors/app-error.ts";
import { parseEmitBody } from "./emit-input.ts";

const valid = { eventName: "s3:ObjectCreated:Put", bucket: "photos", key: "a/b.jpg", size: 3, eTag: "abc" };


describe("parseEmitBody", () => {
  it("accepts a single event object", () => {
    expect(parseEmitBody(valid, { maxEvents: 10 })).toEqual([valid]);
  });

  it("accepts {events: [...]} and converts eventTime to milliseconds", () => {
    const events = parseEmitBody(
      { events: [valid, { ...valid, key: "c", eventTime: "2024-05-01T12:00:00.250+02:00", metadata: { a: "b" } }] },
      { maxEvents: 10 },
    );
    expect(events).toHaveLength(2);
    expect(events[1]?.eventTime).toBe(Date.UTC(2024, 4, 1, 10, 0, 0, 250));
    expect(events[1]?.metadata).toEqual({ a: "b" });
  });

  it("lets bucket events go without a key, and gives them an empty one", () => {
    expect(parseEmitBody({ eventName: "s3:BucketCreated:*", bucket: "b" }, { maxEvents: 1 })[0]?.key).toBe("");
  });

  it("names the batch index and field of an unknown event name, as InvalidEventName", () => {
    const events = [valid, valid, valid, { ...valid, eventName: "s3:ObjectCreated:Putt" }];
    const error = errorOf(() => parseEmitBody({ events }, { maxEvents: 10 }));
    expect(error.code).toBe("InvalidEventName");
    expect(error.field).toBe("events[3].eventName");
    expect(error.message).toContain("s3:ObjectCreated:Putt");
  });

  it("refuses compound names: an event carries a single name", () => {
    const error = errorOf(() => parseEmitBody({ ...valid, eventName: "s3:ObjectCreated:*" }, { maxEvents: 1 }));
    expect(error.code).toBe("InvalidEventName");
    expect(error.field).toBe("eventName");
  });

  it.each([
    [{ ...valid, bucket: "a/b" }, "bucket"],
    [{ ...valid, bucket: "" }, "bucket"],
    [{ ...valid, bucket: "x".repeat(256) }, "bucket"],
    [{ ...valid, key: undefined }, "key"],
    [{ ...valid, key: "" }, "key"],
    [{ ...valid, key: "é".repeat(513) }, "key"],
    [{ ...valid, key: "lone\uD800" }, "key"],
    [{ ...valid, size: -1 }, "size"],
    [{ ...valid, size: 1.5 }, "size"],
    [{ ...valid, metadata: { a: 1 } }, "metadata.a"],
    [{ ...valid, eventTime: "yesterday" }, "eventTime"],
    [{ ...valid, source: { port: 70000 } }, "source.port"],
    [{ ...valid, metdata: {} }, ""],
  ])("names the field of %j", (event, field) => {
    const single = errorOf(() => parseEmitBody(event, { maxEvents: 1 }));
    expect(single.code).toBe("ValidationError");
    expect(single.field ?? "").toBe(field);
    const batched = errorOf(() => parseEmitBody({ events: [valid, event] }, { maxEvents: 5 }));
    expect(batched.field).toBe(field ? `events[1].${field}` : "events[1]");
  });

  it("refuses a bucket event that carries a key", () => {
    const error = errorOf(() => parseEmitBody({ eventName: "s3:BucketRemoved:*", bucket: "b", key: "k" }, { maxEvents: 1 }));
    expect(error.field).toBe("key");
  });

  it("refuses more events than allowed before validating them", () => {
    const error = errorOf(() => parseEmitBody({ events: [valid, valid, { nonsense: true }] }, { maxEvents: 2 }));
    expect(error.code).toBe("PayloadTooLarge");
    expect(error.field).toBe("events");
  });

  it("refuses an empty batch and non-object bodies", () => {
    expect(errorOf(() => parseEmitBody({ events: [] }, { maxEvents: 2 })).field).toBe("events");
    expect(errorOf(() => parseEmitBody(null, { maxEvents: 2 })).code).toBe("ValidationError");
    expect(errorOf(() => parseEmitBody([valid], { maxEvents: 2 })).code).toBe("ValidationError");
    expect(errorOf(() => parseEmitBody("hello", { maxEvents: 2 })).code).toBe("ValidationError");
  });

  it("reports the first failing field of the batch", () => {
    const error = errorOf(() =>
      parseEmitBody({ events: [valid, { ...valid, size: -1 }, { ...valid, eventName: "nope" }] }, { maxEvents: 5 }),
    );
    expect(error.field).toBe("events[1].size");
  });
});
