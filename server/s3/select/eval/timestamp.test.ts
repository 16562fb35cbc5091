import { describe, expect, it } from "vitest";
import { Timestamp } from "./timestamp.ts";

describe("Timestamp", () => {
  it("parses and prints every precision", () => {
    const cases: [string, string, string][] = [
      ["2010T", "year", "2010T"],
      ["2010-05T", "month", "2010-05T"],
      ["2010-05-01T", "day", "2010-05-01T"],
      ["2010-05-01", "day", "2010-05-01T"],
      ["2017-01-02T03:04Z", "minute", "2017-01-02T03:04Z"],
      ["2017-01-02T03:04:05+05:00", "second", "2017-01-02T03:04:05+05:00"],
      ["2017-01-02T03:04:05.123456-08:30", "fraction", "2017-01-02T03:04:05.123456-08:30"],
      ["2017-01-02T03:04-00:00", "minute", "2017-01-02T03:04-00:00"],
    ];
    for (const [text, precision, printed] of cases) {
      const ts = Timestamp.parse(text);
      expect(ts?.precision, text).toBe(precision);
      expect(ts?.toString(), text).toBe(printed);
    }
  });

  it("rejects malformed or out-of-range text", () => {
    for (const text of ["2010", "2010-05", "2010-13T", "2010-02-30T", "2010-01-01T25:00Z", "2010-01-01T10:00", "x"]) {
      expect(Timestamp.parse(text), text).toBe(null);
    }
    expect(Timestamp.parse("2012-02-29T")?.day).toBe(29);
  });

  it("orders instants across offsets and keeps nanoseconds", () => {
    const a = Timestamp.parse("2017-01-02T03:04+01:00");
    const b = Timestamp.parse("2017-01-02T02:04Z");
    expect(a?.epochNanos).toBe(b?.epochNanos);
    expect(Timestamp.parse("1970-01-01T00:00:00.000000001Z")?.epochNanos).toBe(1n);
    expect(Timestamp.parse("0001-01-01T")?.toUtc().year).toBe(1);
  });

  it("converts a Date", () => {
    expect(Timestamp.fromDate(new Date("2024-03-05T06:07:08.009Z")).toString()).toBe("2024-03-05T06:07:08.009Z");
  });
});
