import { describe, expect, it } from "vitest";
import { explainKeyMiss } from "./explain-key-miss.ts";

describe("explainKeyMiss", () => {
  it("says nothing when the filter matches", () => {
    expect(explainKeyMiss([{ prefix: "a/", suffix: ".txt" }], "a/b.txt")).toBeUndefined();
    expect(explainKeyMiss([{ prefix: "", suffix: "" }], "")).toBeUndefined();
  });

  it("names the first failing clause, prefix before suffix", () => {
    expect(explainKeyMiss([{ prefix: "", suffix: ".csv" }], "a/b.txt")).toEqual({
      reason: "suffix",
      message: 'key "a/b.txt" does not end with ".csv"',
    });
    expect(explainKeyMiss([{ prefix: "logs/", suffix: ".csv" }], "a/b.txt")).toEqual({
      reason: "prefix",
      message: 'key "a/b.txt" does not start with "logs/"',
    });
  });

  it("matches when either spelling of the filter does, and otherwise explains both", () => {
    const filters = [
      { prefix: "my+photos/", suffix: "" },
      { prefix: "my photos/", suffix: "" },
    ];
    expect(explainKeyMiss(filters, "my photos/a")).toBeUndefined();
    expect(explainKeyMiss(filters, "my+photos/a")).toBeUndefined();
    expect(explainKeyMiss(filters, "photos/a")).toEqual({
      reason: "prefix",
      message: 'key "photos/a" does not start with "my+photos/" (and with the filter URL-decoded, does not start with "my photos/")',
    });
  });
});
