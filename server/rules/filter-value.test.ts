import { describe, expect, it } from "vitest";
import { MAX_FILTER_VALUE_BYTES, filterValueProblem } from "./filter-value.ts";

describe("filterValueProblem", () => {
  it("accepts ordinary prefixes and suffixes, including unicode and dots inside names", () => {
    for (const value of ["", "uploads/", ".csv", "a/b.c/", "фото/日本/😀", "..hidden", "a/.../b", "my photos/"]) {
      expect(filterValueProblem(value), value).toBeUndefined();
    }
  });

  it("limits values to 1024 bytes of UTF-8, not characters", () => {
    expect(filterValueProblem("a".repeat(MAX_FILTER_VALUE_BYTES))).toBeUndefined();
    expect(filterValueProblem("a".repeat(MAX_FILTER_VALUE_BYTES + 1))).toEqual({
      code: "FilterValueTooLong",
      reason: "is 1025 bytes of UTF-8; at most 1024 are allowed",
    });
    // 342 three-byte characters are 1026 bytes.
    expect(filterValueProblem("日".repeat(342))?.code).toBe("FilterValueTooLong");
  });

  it("refuses . and .. path segments wherever they stand", () => {
    for (const value of [".", "..", "./a", "a/./b", "a/../b", "a/..", "/../"]) {
      expect(filterValueProblem(value)?.code, value).toBe("FilterValueInvalid");
    }
    expect(filterValueProblem("a/../b")?.reason).toBe('contains a ".." path segment');
  });

  it("refuses backslashes, NUL and lone surrogates", () => {
    expect(filterValueProblem("a\\b")).toEqual({ code: "FilterValueInvalid", reason: "contains a backslash" });
    expect(filterValueProblem("a\0b")).toEqual({ code: "FilterValueInvalid", reason: "contains a NUL character" });
    expect(filterValueProblem("ab\uD83D")).toEqual({ code: "FilterValueInvalid", reason: "is not valid UTF-8 (lone surrogate at character 2)" });
    expect(filterValueProblem("\uDE00x")?.code).toBe("FilterValueInvalid");
    expect(filterValueProblem("\uD83D\uDE00")).toBeUndefined();
  });
});
