import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.ts";
import type { EventName } from "../events/event-names.ts";
import type { HeraldEvent } from "../events/s3-record.ts";
import { matchesLiveFilter, parseLiveFilter } from "./live-filter.ts";

function event(bucket: string, key: string, eventName: EventName): HeraldEvent {
  return { seq: 1, id: "e1", bucket, key, eventName } as HeraldEvent;
}

describe("live filters", () => {
  const put = event("photos", "2024/cat.jpg", "s3:ObjectCreated:Put");
  const del = event("photos", "2024/cat.jpg", "s3:ObjectRemoved:Delete");
  const other = event("logs", "app/1.log", "s3:ObjectCreated:Copy");

  it("matches everything when empty", () => {
    const filter = parseLiveFilter({});
    expect([put, del, other].every((e) => matchesLiveFilter(filter, e))).toBe(true);
  });

  it("matches by bucket, single name, compound pattern and key prefix, all together", () => {
    expect(matchesLiveFilter(parseLiveFilter({ bucket: "photos" }), other)).toBe(false);
    expect(matchesLiveFilter(parseLiveFilter({ eventPattern: "s3:ObjectRemoved:Delete" }), put)).toBe(false);
    expect(matchesLiveFilter(parseLiveFilter({ eventPattern: "s3:ObjectRemoved:Delete" }), del)).toBe(true);
    const created = parseLiveFilter({ eventPattern: "s3:ObjectCreated:*" });
    expect([put, del, other].map((e) => matchesLiveFilter(created, e))).toEqual([true, false, true]);
    expect(matchesLiveFilter(parseLiveFilter({ eventPattern: "Everything" }), del)).toBe(true);
    const all = parseLiveFilter({ bucket: "photos", eventPattern: "s3:ObjectCreated:*", keyPrefix: "2024/" });
    expect([put, del, other].map((e) => matchesLiveFilter(all, e))).toEqual([true, false, false]);
    expect(matchesLiveFilter(parseLiveFilter({ keyPrefix: "2023/" }), put)).toBe(false);
  });

  it("matches by outcome: whether the event matched a rule when accepted", () => {
    const queued = { ...put, matched: 2 };
    const unmatched = { ...put, matched: 0 };
    expect([queued, unmatched].map((e) => matchesLiveFilter(parseLiveFilter({ outcome: "matched" }), e))).toEqual([true, false]);
    expect([queued, unmatched].map((e) => matchesLiveFilter(parseLiveFilter({ outcome: "unmatched" }), e))).toEqual([false, true]);
    expect(() => parseLiveFilter({ outcome: "delivered" })).toThrow(AppError);
  });

  it("refuses unknown patterns as InvalidEventName naming the field", () => {
    let caught: unknown;
    try {
      parseLiveFilter({ eventPattern: "s3:ObjectCreated" }, "filter");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe("InvalidEventName");
    expect((caught as AppError).field).toBe("filter.eventPattern");
  });

  it("refuses unknown fields and wrong types", () => {
    expect(() => parseLiveFilter({ prefix: "a" })).toThrow(AppError);
    expect(() => parseLiveFilter({ bucket: 3 })).toThrow(/bucket/);
  });
});
