import { describe, expect, it } from "vitest";
import { ColumnTracker, mergeTypes, typeOfValue } from "./column-types.ts";

describe("column types", () => {
  it("names the type of each JSON value", () => {
    expect([1, 1.5, "x", true, null, {}, [], "2026-11-23T10:20:30Z", "2026-11-23", "2026-11"].map(typeOfValue)).toEqual([
      "int",
      "float",
      "string",
      "bool",
      "null",
      "object",
      "array",
      "timestamp",
      "timestamp",
      "string",
    ]);
  });

  it("widens int to float, lets null give way and calls anything else mixed", () => {
    expect(mergeTypes("int", "float")).toBe("float");
    expect(mergeTypes("null", "string")).toBe("string");
    expect(mergeTypes("bool", "null")).toBe("bool");
    expect(mergeTypes("string", "int")).toBe("mixed");
  });

  it("adds columns in the order they first appear and reports only changes", () => {
    const tracker = new ColumnTracker();
    expect(tracker.observe([{ id: 1, name: null }])).toBe(true);
    expect(tracker.observe([{ id: 2, name: null }])).toBe(false);
    expect(tracker.observe([{ id: 2.5, name: "ann", tags: ["a"] }])).toBe(true);
    expect(tracker.columns).toEqual([
      { name: "id", type: "float" },
      { name: "name", type: "string" },
      { name: "tags", type: "array" },
    ]);
  });
});
