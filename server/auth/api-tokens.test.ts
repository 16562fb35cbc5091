import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bearerToken, resolveApiTokens, tokenMatches } from "./api-tokens.ts";

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "herald-tokens-"));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("resolveApiTokens", () => {
  it("uses the configured tokens and writes nothing", () => {
    const resolved = resolveApiTokens(["one", "two"], root);
    expect(resolved).toEqual({ tokens: ["one", "two"], generated: undefined });
    expect(existsSync(path.join(root, "api-token"))).toBe(false);
  });

  it("generates a token on first start, kept owner-only in the data dir (created if missing)", () => {
    const dataDir = path.join(root, "nested", "data");
    const resolved = resolveApiTokens(undefined, dataDir);
    expect(resolved.generated).toMatch(/^hrld_[A-Za-z0-9_-]{32}$/);
    expect(resolved.tokens).toEqual([resolved.generated]);
    const file = path.join(dataDir, "api-token");
    expect(readFileSync(file, "utf8")).toBe(`${resolved.generated}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("treats an empty configured list like no configuration", () => {
    const resolved = resolveApiTokens([], root);
    expect(resolved.generated).toBeDefined();
    expect(existsSync(path.join(root, "api-token"))).toBe(true);
  });

  it("reuses the kept token on the next start without announcing it again", () => {
    const first = resolveApiTokens(undefined, root);
    const second = resolveApiTokens(undefined, root);
    expect(second.generated).toBeUndefined();
    expect(second.tokens).toEqual(first.tokens);
  });

  it("reads a hand-edited token file, trimming the newline", () => {
    writeFileSync(path.join(root, "api-token"), "  my-token\n\n");
    expect(resolveApiTokens(undefined, root)).toEqual({ tokens: ["my-token"], generated: undefined });
  });

  it("generates a different token in each data dir", () => {
    const other = path.join(root, "other");
    expect(resolveApiTokens(undefined, root).generated).not.toBe(resolveApiTokens(undefined, other).generated);
  });
});

describe("tokenMatches", () => {
  const tokens = ["alpha-token", "beta-token"];

  it("accepts any configured token", () => {
    expect(tokenMatches("alpha-token", tokens)).toBe(true);
    expect(tokenMatches("beta-token", tokens)).toBe(true);
  });

  it.each(["alpha", "alpha-token ", "ALPHA-TOKEN", "alpha-tokenx", "gamma-token"])("refuses %j", (presented) => {
    expect(tokenMatches(presented, tokens)).toBe(false);
  });

  it("refuses a missing or empty token, even against an empty configured one", () => {
    expect(tokenMatches(undefined, tokens)).toBe(false);
    expect(tokenMatches("", tokens)).toBe(false);
    expect(tokenMatches("", [""])).toBe(false);
  });

  it("refuses everything when no token is configured", () => {
    expect(tokenMatches("alpha-token", [])).toBe(false);
  });
});

describe("bearerToken", () => {
  it.each([
    ["Bearer abc123", "abc123"],
    ["bearer abc123", "abc123"],
    ["BEARER abc123", "abc123"],
    ["Bearer    abc123   ", "abc123"],
    ["  Bearer\tabc123", "abc123"],
  ])("reads %j as %j", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([undefined, "", "Bearer", "Bearer    ", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "abc123", "Bearerabc123"])("finds no token in %j", (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});
