import { buildQueryString, escapeUri } from "@smithy/core/protocols";
import { describe, expect, it } from "vitest";
import { awsUriEncode, canonicalQuery, canonicalUri, parseQuery, percentDecode } from "./uri-encoding.ts";

const KEYS = [
  "plain.txt",
  "with space.txt",
  "a+b=c&d.txt",
  "100%.txt",
  "ünïcødé/日本語/😀.bin",
  "nested/deep/path/x.json",
  "sym!'()*~$@,;:.txt",
  "a//b/../c/./d",
  "trailing/",
];

describe("canonicalUri", () => {
  it.each(KEYS)("keeps the path the AWS SDK sends for %j unchanged", (key) => {
    const sent = `/bucket/${key.split("/").map(escapeUri).join("/")}`;
    expect(canonicalUri(sent)).toBe(sent);
  });

  it("re-encodes escapes the SDK would have written differently", () => {
    expect(canonicalUri("/b/%7Etilde%c3%a9!'")).toBe("/b/~tilde%C3%A9%21%27");
  });

  it("keeps an escaped slash inside its segment", () => {
    expect(canonicalUri("/b/a%2Fb/c")).toBe("/b/a%2Fb/c");
  });

  it("does not normalise dot or empty segments, which are valid in keys", () => {
    expect(canonicalUri("/b//x/../y/.")).toBe("/b//x/../y/.");
  });

  it("gives '/' for an empty path", () => {
    expect(canonicalUri("")).toBe("/");
  });

  it("encodes raw non-ASCII characters as their UTF-8 bytes", () => {
    expect(canonicalUri("/b/é")).toBe("/b/%C3%A9");
  });
});

describe("percentDecode and awsUriEncode", () => {
  it("round-trip bytes that are not valid UTF-8", () => {
    expect(awsUriEncode(percentDecode("%FF%FE%00"))).toBe("%FF%FE%00");
  });

  it("keep a '%' that does not start an escape as a literal", () => {
    expect(awsUriEncode(percentDecode("50%-off%2"))).toBe("50%25-off%252");
  });

  it("keep only A-Za-z0-9-._~ unescaped, and escape with upper-case hex", () => {
    const all = Buffer.from(Array.from({ length: 128 }, (_, i) => i));
    const encoded = awsUriEncode(all);
    expect(encoded.replace(/%[0-9A-F]{2}/g, "")).toBe("-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~");
  });
});

describe("canonicalQuery", () => {
  it("matches the AWS SDK's query string for the same parameters", () => {
    const query = { "list-type": "2", prefix: "a b/ü+", delimiter: "/", "max-keys": "10", "continuation-token": "x=y&z" };
    const received = buildQueryString(query);
    expect(canonicalQuery(parseQuery(received))).toBe(
      "continuation-token=x%3Dy%26z&delimiter=%2F&list-type=2&max-keys=10&prefix=a%20b%2F%C3%BC%2B",
    );
  });

  it("sorts by name, then by value, and gives a bare name an empty value", () => {
    expect(canonicalQuery(parseQuery("b=2&a=z&a=y&uploads&a-b=1"))).toBe("a=y&a=z&a-b=1&b=2&uploads=");
  });

  it("leaves X-Amz-Signature out, in any letter case", () => {
    expect(canonicalQuery(parseQuery("X-Amz-Signature=abc&x=1&x-amz-signature=def"))).toBe("x=1");
  });

  it("takes '+' literally, as AWS signers escape a space as %20", () => {
    expect(canonicalQuery(parseQuery("prefix=a+b"))).toBe("prefix=a%2Bb");
  });

  it("is empty for an empty query", () => {
    expect(canonicalQuery(parseQuery(""))).toBe("");
  });
});
