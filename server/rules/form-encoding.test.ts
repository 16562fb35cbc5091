import { describe, expect, it } from "vitest";
import { formDecode, formEncode } from "./form-encoding.ts";

describe("formEncode", () => {
  it("spells keys as S3 event records do: spaces as +, slashes kept, the rest percent-encoded", () => {
    expect(formEncode("my photos/cat.jpg")).toBe("my+photos/cat.jpg");
    expect(formEncode("a+b&c=d/é")).toBe("a%2Bb%26c%3Dd/%C3%A9");
    expect(formEncode("plain/key-1_x.~!*'()")).toBe("plain/key-1_x.~!*'()");
  });
});

describe("formDecode", () => {
  it("decodes a filter written in the encoded spelling", () => {
    expect(formDecode("my+photos/")).toBe("my photos/");
    expect(formDecode("caf%C3%A9/")).toBe("café/");
    expect(formDecode("a%2Bb")).toBe("a+b");
  });

  it("returns a value without encoding as itself", () => {
    expect(formDecode("logs/2024/")).toBe("logs/2024/");
    expect(formDecode("")).toBe("");
  });

  it("refuses values no encoded key could contain", () => {
    // %20 and lowercase hex are not how the encoding spells a space or é; a raw space or é is never encoded output.
    for (const value of ["my%20photos/", "caf%c3%a9", "my photos+x/", "café+x", "%2F", "100%", "caf%C3", "\uD800+"]) {
      expect(formDecode(value), value).toBeUndefined();
    }
  });
});
