import { describe, expect, it } from "vitest";
import { errorOf } from "../../test/support/error-of.ts";
import { AppError } from "../errors/app-error.ts";
import {
  COMPOUND_EVENT_NAMES,
  EVENT_CATEGORIES,
  EVENT_NAMES,
  categoryOf,
  eventPatternMatches,
  eventVersionOf,
  expandEventPattern,
  isCompoundEventName,
  isEventName,
  isEventPattern,
  isRemovalEvent,
  parseEventName,
  parseEventPattern,
  type CompoundEventName,
  type EventName,
} from "./event-names.ts";


describe("the event catalog", () => {
  // The catalog mirrors RustFS's EventName enum (shared/reference/rustfs-events-and-s3-select.md §2.1):
  // 6 + 4 + 5 + 2 + 1 + 5 + 2 + 2 + 2 + 1 + 1 + 3 + 1 + 2 single names.
  it("holds 37 distinct single names", () => {
    expect(EVENT_NAMES).toHaveLength(37);
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length);
  });

  it("holds no compound name among the singles", () => {
    for (const name of EVENT_NAMES) expect(isCompoundEventName(name)).toBe(false);
  });
});

describe("expandEventPattern", () => {
  const expected: Record<CompoundEventName, readonly string[]> = {
    "s3:ObjectCreated:*": [
      "s3:ObjectCreated:Put",
      "s3:ObjectCreated:Post",
      "s3:ObjectCreated:Copy",
      "s3:ObjectCreated:CompleteMultipartUpload",
      "s3:ObjectCreated:PutRetention",
      "s3:ObjectCreated:PutLegalHold",
    ],
    "s3:ObjectRemoved:*": [
      "s3:ObjectRemoved:Delete",
      "s3:ObjectRemoved:DeleteMarkerCreated",
      "s3:ObjectRemoved:DeleteAllVersions",
      "s3:ObjectRemoved:NoOP",
    ],
    "s3:ObjectAccessed:*": [
      "s3:ObjectAccessed:Get",
      "s3:ObjectAccessed:Head",
      "s3:ObjectAccessed:GetRetention",
      "s3:ObjectAccessed:GetLegalHold",
      "s3:ObjectAccessed:Attributes",
    ],
    "s3:ObjectTagging:*": ["s3:ObjectTagging:Put", "s3:ObjectTagging:Delete"],
    "s3:Replication:*": [
      "s3:Replication:OperationFailedReplication",
      "s3:Replication:OperationCompletedReplication",
      "s3:Replication:OperationMissedThreshold",
      "s3:Replication:OperationReplicatedAfterThreshold",
      "s3:Replication:OperationNotTracked",
    ],
    "s3:ObjectRestore:*": ["s3:ObjectRestore:Post", "s3:ObjectRestore:Completed"],
    "s3:LifecycleExpiration:*": ["s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated"],
    "s3:ObjectTransition:*": ["s3:ObjectTransition:Failed", "s3:ObjectTransition:Complete"],
    "s3:Scanner:*": ["s3:Scanner:ManyVersions", "s3:Scanner:LargeVersions", "s3:Scanner:BigPrefix"],
    Everything: EVENT_NAMES,
  };

  it("knows exactly the ten compound names", () => {
    expect(Object.keys(COMPOUND_EVENT_NAMES).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))("expands %s to exactly its singles", (pattern, singles) => {
    const expanded = expandEventPattern(pattern as CompoundEventName);
    expect([...expanded].sort()).toEqual([...singles].sort());
    for (const name of expanded) expect(isEventName(name)).toBe(true);
  });

  it("expands Everything to every single name, and nothing else", () => {
    expect([...expandEventPattern("Everything")].sort()).toEqual([...EVENT_NAMES].sort());
    expect(expandEventPattern("Everything")).toHaveLength(37);
  });

  it("expands every single name to itself alone", () => {
    for (const name of EVENT_NAMES) expect(expandEventPattern(name)).toEqual([name]);
  });

  it("does not let a wildcard reach into a neighbouring category", () => {
    expect(eventPatternMatches("s3:ObjectCreated:*", "s3:ObjectCreated:Put")).toBe(true);
    expect(eventPatternMatches("s3:ObjectCreated:*", "s3:ObjectRemoved:Delete")).toBe(false);
    // LifecycleDelMarkerExpiration is its own category, not part of s3:LifecycleExpiration:*.
    expect(eventPatternMatches("s3:LifecycleExpiration:*", "s3:LifecycleDelMarkerExpiration:Delete")).toBe(false);
    expect(eventPatternMatches("s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated")).toBe(false);
    expect(eventPatternMatches("Everything", "s3:BucketRemoved:*")).toBe(true);
  });
});

describe("parseEventPattern", () => {
  it("accepts single and compound names", () => {
    expect(parseEventPattern("s3:ObjectCreated:Put")).toBe("s3:ObjectCreated:Put");
    expect(parseEventPattern("s3:ObjectCreated:*")).toBe("s3:ObjectCreated:*");
    expect(parseEventPattern("Everything")).toBe("Everything");
  });

  it("throws InvalidEventName naming the value and the field", () => {
    const error = errorOf(() => parseEventPattern("s3:ObjectCreated:Putt", "rules[0].events[2]"));
    expect(error.code).toBe("InvalidEventName");
    expect(error.field).toBe("rules[0].events[2]");
    expect(error.message).toContain('"s3:ObjectCreated:Putt"');
    expect(error.message).toContain("rules[0].events[2]");
    expect(error.details).toEqual({ eventName: "s3:ObjectCreated:Putt" });
  });

  it("leaves field unset when none is given", () => {
    const error = errorOf(() => parseEventPattern("nope"));
    expect(error.code).toBe("InvalidEventName");
    expect(error.field).toBeUndefined();
    expect(error.toJSON()).not.toHaveProperty("field");
  });

  it.each(["s3:objectcreated:put", "s3:ObjectCreated:", "s3:*", "*", "", "everything", " s3:ObjectCreated:Put", "toString", "__proto__"])(
    "refuses %j",
    (value) => {
      expect(isEventPattern(value)).toBe(false);
      expect(errorOf(() => parseEventPattern(value, "eventName")).code).toBe("InvalidEventName");
    },
  );
});

describe("parseEventName", () => {
  it("accepts every single name", () => {
    for (const name of EVENT_NAMES) expect(parseEventName(name)).toBe(name);
  });

  it.each(Object.keys(COMPOUND_EVENT_NAMES))("refuses the compound name %s, which an event cannot carry", (pattern) => {
    const error = errorOf(() => parseEventName(pattern, "events[3].eventName"));
    expect(error.code).toBe("InvalidEventName");
    expect(error.field).toBe("events[3].eventName");
    expect(error.message).toContain(JSON.stringify(pattern));
  });

  it("keeps the bucket names, whose singles end in a literal *", () => {
    expect(parseEventName("s3:BucketCreated:*")).toBe("s3:BucketCreated:*");
    expect(isCompoundEventName("s3:BucketCreated:*")).toBe(false);
  });
});

describe("eventVersionOf", () => {
  const byVersion: Record<"2.1" | "2.2" | "2.3", EventName[]> = {
    "2.1": [
      ...EVENT_CATEGORIES.ObjectCreated,
      ...EVENT_CATEGORIES.ObjectRemoved,
      ...EVENT_CATEGORIES.ObjectAccessed,
      ...EVENT_CATEGORIES.Scanner,
      ...EVENT_CATEGORIES.Bucket,
    ],
    "2.2": [...EVENT_CATEGORIES.Replication],
    "2.3": [
      ...EVENT_CATEGORIES.ObjectTagging,
      ...EVENT_CATEGORIES.ObjectAcl,
      ...EVENT_CATEGORIES.ObjectRestore,
      ...EVENT_CATEGORIES.ObjectTransition,
      ...EVENT_CATEGORIES.LifecycleExpiration,
      ...EVENT_CATEGORIES.LifecycleDelMarkerExpiration,
      ...EVENT_CATEGORIES.LifecycleTransition,
      ...EVENT_CATEGORIES.IntelligentTiering,
    ],
  };

  it.each(Object.entries(byVersion))("gives %s to its categories", (version, names) => {
    for (const name of names) expect(eventVersionOf(name), name).toBe(version);
  });

  it("covers every single name exactly once", () => {
    const listed = Object.values(byVersion).flat();
    expect(listed.sort()).toEqual([...EVENT_NAMES].sort());
  });
});

describe("isRemovalEvent", () => {
  it("is true for removals, lifecycle expirations and bucket removal only", () => {
    const removals = EVENT_NAMES.filter(isRemovalEvent);
    expect(removals.sort()).toEqual(
      [
        "s3:ObjectRemoved:Delete",
        "s3:ObjectRemoved:DeleteMarkerCreated",
        "s3:ObjectRemoved:DeleteAllVersions",
        "s3:ObjectRemoved:NoOP",
        "s3:LifecycleExpiration:Delete",
        "s3:LifecycleExpiration:DeleteMarkerCreated",
        "s3:LifecycleDelMarkerExpiration:Delete",
        "s3:BucketRemoved:*",
      ].sort(),
    );
  });

  it("is false for look-alikes that keep the object", () => {
    expect(isRemovalEvent("s3:ObjectTagging:Delete")).toBe(false);
    expect(isRemovalEvent("s3:BucketCreated:*")).toBe(false);
    expect(isRemovalEvent("s3:ObjectTransition:Complete")).toBe(false);
  });
});

describe("categoryOf", () => {
  it("returns the category each name is listed under", () => {
    for (const [category, names] of Object.entries(EVENT_CATEGORIES)) {
      for (const name of names) expect(categoryOf(name)).toBe(category);
    }
  });

  it("spot-checks categories whose name differs from the prefix", () => {
    expect(categoryOf("s3:Replication:OperationNotTracked")).toBe("Replication");
    expect(categoryOf("s3:BucketRemoved:*")).toBe("Bucket");
    expect(categoryOf("s3:LifecycleDelMarkerExpiration:Delete")).toBe("LifecycleDelMarkerExpiration");
  });

  it("throws InvalidEventName for a name outside the catalog", () => {
    expect(errorOf(() => categoryOf("s3:ObjectCreated:*" as EventName)).code).toBe("InvalidEventName");
  });
});
