import { describe, expect, it } from "vitest";
import { errorOf } from "../../test/support/error-of.ts";
import { AppError } from "../errors/app-error.ts";
import {
  SECRET_MASK,
  TARGET_TYPES,
  getTargetType,
  listTargetTypes,
  maskTargetConfig,
  maskUrlPassword,
  mergeMaskedSecrets,
  parseTargetConfig,
} from "./target-registry.ts";


describe("target registry", () => {
  it("knows every target type", () => {
    const all = ["amqp", "kafka", "mqtt", "mysql", "nats", "postgres", "redis", "webhook"];
    expect(Object.keys(TARGET_TYPES).sort()).toEqual(all);
    expect(getTargetType("webhook").type).toBe("webhook");
    expect(getTargetType("redis").secretFields).toEqual(["password"]);
    expect(listTargetTypes().map((t) => t.type).sort()).toEqual(all);
  });

  it.each(["pulsar", "", "constructor", "toString"])("refuses unknown type %j naming `type`", (type) => {
    const error = errorOf(() => getTargetType(type));
    expect(error.code).toBe("ValidationError");
    expect(error.field).toBe("type");
    expect(errorOf(() => parseTargetConfig(type, {})).field).toBe("type");
  });

  describe("webhook config", () => {
    it("fills in the defaults", () => {
      expect(parseTargetConfig("webhook", { endpoint: "https://example.com/hook" })).toEqual({
        endpoint: "https://example.com/hook",
        headers: {},
        timeoutMs: 10_000,
        healthCheck: "head",
      });
      const withTls = parseTargetConfig("webhook", { endpoint: "https://example.com", tls: { caFile: "/ca.pem" } });
      expect(withTls.tls).toEqual({ caFile: "/ca.pem", skipVerify: false });
    });

    it.each([
      [{}, "config.endpoint"],
      [{ endpoint: "ftp://example.com" }, "config.endpoint"],
      [{ endpoint: "not a url" }, "config.endpoint"],
      [{ endpoint: "http://x", timeoutMs: 10 }, "config.timeoutMs"],
      [{ endpoint: "http://x", timeoutMs: 1.5 }, "config.timeoutMs"],
      [{ endpoint: "http://x", authToken: "" }, "config.authToken"],
      [{ endpoint: "http://x", authToken: "a\r\nX-Evil: 1" }, "config.authToken"],
      [{ endpoint: "http://x", headers: { "bad name": "v" } }, "config.headers.bad name"],
      [{ endpoint: "http://x", headers: { "Content-Length": "5" } }, "config.headers.Content-Length"],
      [{ endpoint: "http://x", headers: { "X-Herald-Event-Id": "forged" } }, "config.headers.X-Herald-Event-Id"],
      [{ endpoint: "http://x", headers: { "X-Ok": "a\nb" } }, "config.headers.X-Ok"],
      [{ endpoint: "http://x", healthCheck: "get" }, "config.healthCheck"],
      [{ endpoint: "http://x", tls: { certFile: "/c.pem" } }, "config.tls.keyFile"],
      [{ endpoint: "http://x", tls: { keyFile: "/k.pem" } }, "config.tls.certFile"],
      [{ endpoint: "http://x", tls: { skipVerify: "yes" } }, "config.tls.skipVerify"],
      [{ endpoint: "http://x", authtoken: "typo" }, "config.authtoken"],
    ])("refuses %j as InvalidTargetConfig on %s", (raw, field) => {
      const error = errorOf(() => parseTargetConfig("webhook", raw));
      expect(error.code).toBe("InvalidTargetConfig");
      expect(error.field).toBe(field);
      expect(error.message.startsWith(`${field}:`)).toBe(true);
    });

    it("refuses a non-object config", () => {
      const error = errorOf(() => parseTargetConfig("webhook", "https://example.com"));
      expect(error.code).toBe("InvalidTargetConfig");
      expect(error.field).toBe("config");
    });
  });

  describe("redis config", () => {
    it("fills in the defaults", () => {
      expect(parseTargetConfig("redis", { url: "redis://127.0.0.1:6379" })).toEqual({
        url: "redis://127.0.0.1:6379",
        db: 0,
        mode: "stream",
        channel: "s3:events",
        stream: "herald:events",
        maxLen: 100_000,
        timeoutMs: 5_000,
      });
    });

    it.each([
      [{}, "config.url"],
      [{ url: "http://127.0.0.1" }, "config.url"],
      [{ url: "redis://h", mode: "list" }, "config.mode"],
      [{ url: "redis://h", db: -1 }, "config.db"],
      [{ url: "redis://h", maxLen: 0 }, "config.maxLen"],
      [{ url: "redis://h", channel: "" }, "config.channel"],
      [{ url: "redis://h", tls: { certFile: "/c" } }, "config.tls.keyFile"],
    ])("refuses %j as InvalidTargetConfig on %s", (raw, field) => {
      const error = errorOf(() => parseTargetConfig("redis", raw));
      expect(error.code).toBe("InvalidTargetConfig");
      expect(error.field).toBe(field);
    });
  });

  describe("secrets", () => {
    it("masks secret fields, URL passwords and credential headers, and nothing else", () => {
      const webhook = parseTargetConfig("webhook", {
        endpoint: "https://user:pa55@example.com/hook",
        authToken: "s3cret",
        headers: { "X-Api-Key": "k-123", Authorization: "Basic eA==", "X-Team": "storage" },
      });
      const masked = maskTargetConfig("webhook", webhook);
      expect(masked.authToken).toBe(SECRET_MASK);
      expect(masked.endpoint).toBe(`https://user:${SECRET_MASK}@example.com/hook`);
      expect(masked.headers).toEqual({ "X-Api-Key": SECRET_MASK, Authorization: SECRET_MASK, "X-Team": "storage" });
      expect(masked.timeoutMs).toBe(10_000);
      // The stored config is not changed.
      expect(webhook.authToken).toBe("s3cret");

      const redis = maskTargetConfig("redis", parseTargetConfig("redis", { url: "redis://:pw@127.0.0.1:6379/2", password: "pw" }));
      expect(redis.password).toBe(SECRET_MASK);
      expect(redis.url).toBe(`redis://:${SECRET_MASK}@127.0.0.1:6379/2`);
      expect(JSON.stringify(redis)).not.toContain("pw@");
    });

    it("leaves absent secrets absent", () => {
      const masked = maskTargetConfig("webhook", parseTargetConfig("webhook", { endpoint: "http://example.com" }));
      expect("authToken" in masked).toBe(false);
      expect(maskUrlPassword("http://example.com/a:b@c")).toBe("http://example.com/a:b@c");
      expect(maskUrlPassword("redis://user@host")).toBe("redis://user@host");
    });

    it("keeps stored secrets when an edit sends the masks back", () => {
      const stored = parseTargetConfig("webhook", {
        endpoint: "https://user:pa55@example.com/hook",
        authToken: "s3cret",
        headers: { "X-Api-Key": "k-123" },
      });
      const edited = { ...maskTargetConfig("webhook", stored), timeoutMs: 2_000 };
      const merged = parseTargetConfig("webhook", mergeMaskedSecrets("webhook", edited, stored));
      expect(merged).toEqual({ ...stored, timeoutMs: 2_000 });
    });

    it("takes new secrets that were actually typed", () => {
      const stored = parseTargetConfig("redis", { url: "redis://:old@h:1", password: "old" });
      const merged = mergeMaskedSecrets("redis", { url: "redis://:new@h:1", password: "new" }, stored);
      expect(merged).toMatchObject({ url: "redis://:new@h:1", password: "new" });
    });

    it("refuses to store the mask itself as a secret", () => {
      const error = errorOf(() => parseTargetConfig("webhook", { endpoint: "http://x", authToken: SECRET_MASK }));
      expect(error.code).toBe("InvalidTargetConfig");
      expect(error.field).toBe("config.authToken");
    });

    it("keeps a masked URL password when the rest of the URL was edited", () => {
      const stored = parseTargetConfig("redis", { url: "redis://:p%40ss@old-host:6379/1" });
      const merged = mergeMaskedSecrets("redis", { url: `redis://:${SECRET_MASK}@new-host:6380/2` }, stored);
      expect(merged.url).toBe("redis://:p%40ss@new-host:6380/2");
    });

    it("refuses masks with nothing stored behind them in URLs and headers", () => {
      const url = errorOf(() =>
        parseTargetConfig("redis", mergeMaskedSecrets("redis", { url: `redis://:${SECRET_MASK}@h` }, { url: "redis://h" })),
      );
      expect(url).toMatchObject({ code: "InvalidTargetConfig", field: "config.url" });
      const header = errorOf(() =>
        parseTargetConfig(
          "webhook",
          mergeMaskedSecrets("webhook", { endpoint: "http://x", headers: { "X-Api-Key": SECRET_MASK } }, { endpoint: "http://x", headers: {} }),
        ),
      );
      expect(header).toMatchObject({ code: "InvalidTargetConfig", field: "config.headers.X-Api-Key" });
    });

    it("drops a masked secret that has nothing stored behind it", () => {
      const merged = mergeMaskedSecrets("webhook", { endpoint: "http://x", authToken: SECRET_MASK }, { endpoint: "http://x" });
      expect(merged).toEqual({ endpoint: "http://x" });
    });

    it("masks secret-looking fields of a type it does not know instead of failing", () => {
      expect(maskTargetConfig("pulsar", { brokers: "b:6650", saslPassword: "pw", url: "pulsar://u:pw@b" })).toEqual({
        brokers: "b:6650",
        saslPassword: SECRET_MASK,
        url: `pulsar://u:${SECRET_MASK}@b`,
      });
    });
  });
});
