import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.ts";
import { loadConfig, parseDurationMs } from "./config.ts";

function configError(env: Record<string, string | undefined>): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected loadConfig to throw");
}

describe("loadConfig defaults", () => {
  // An empty object, not process.env: the test must not depend on the shell it runs in.
  const config = loadConfig({});

  it("listens on loopback port 3000", () => {
    expect(config.host).toBe("127.0.0.1");
    expect(config.port).toBe(3000);
  });

  it("keeps data under ./data, resolved to an absolute path", () => {
    expect(config.dataDir).toBe(path.resolve("./data"));
    expect(config.databaseFile).toBe(path.resolve("./data/herald.db"));
  });

  it("uses the documented defaults for everything else", () => {
    expect(config).toMatchObject({
      region: "us-east-1",
      apiTokens: undefined,
      logLevel: "info",
      dbSync: "FULL",
      maxBodyBytes: 10 * 1024 * 1024,
      maxEventsPerRequest: 10_000,
      queueMemoryPerTarget: 10_000,
      liveHistorySize: 1024,
      liveClientBuffer: 2048,
      archive: { maxAgeMs: 7 * 86_400_000, maxCount: 1_000_000, pruneIntervalMs: 60_000 },
      shutdownTimeoutMs: 10_000,
      healthCheckIntervalMs: 30_000,
    });
  });

  it("puts the database inside a custom data dir unless a file is given", () => {
    expect(loadConfig({ HERALD_DATA_DIR: "/srv/herald" }).databaseFile).toBe("/srv/herald/herald.db");
    expect(loadConfig({ HERALD_DATA_DIR: "/srv/herald", HERALD_DATABASE_FILE: "/var/db/h.db" }).databaseFile).toBe("/var/db/h.db");
  });
});

describe("durations", () => {
  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["5m", 300_000],
    ["12h", 43_200_000],
    ["7d", 604_800_000],
    ["1500", 1500],
    ["0", 0],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
    expect(loadConfig({ HERALD_SHUTDOWN_TIMEOUT: text }).shutdownTimeoutMs).toBe(ms);
  });

  it("applies to every duration variable", () => {
    const config = loadConfig({
      HERALD_ARCHIVE_MAX_AGE: "2d",
      HERALD_ARCHIVE_PRUNE_INTERVAL: "30s",
      HERALD_HEALTH_CHECK_INTERVAL: "5m",
    });
    expect(config.archive.maxAgeMs).toBe(2 * 86_400_000);
    expect(config.archive.pruneIntervalMs).toBe(30_000);
    expect(config.healthCheckIntervalMs).toBe(300_000);
  });

  it.each(["5 m", "1.5s", "-1s", "5w", "s", "10sec"])("refuses %j, naming the variable", (text) => {
    const error = configError({ HERALD_ARCHIVE_MAX_AGE: text });
    expect(error.code).toBe("ValidationError");
    expect(error.field).toBe("HERALD_ARCHIVE_MAX_AGE");
    expect(error.message).toContain("HERALD_ARCHIVE_MAX_AGE");
    expect(() => parseDurationMs(text)).toThrow(AppError);
  });
});

describe("bad variables", () => {
  it.each([
    ["HERALD_PORT", "abc"],
    ["HERALD_PORT", "70000"],
    ["HERALD_PORT", "80.5"],
    ["HERALD_DB_SYNC", "SOMETIMES"],
    ["HERALD_DB_SYNC", "normal"],
    ["HERALD_LOG_LEVEL", "verbose"],
    ["HERALD_MAX_BODY_BYTES", "0"],
    ["HERALD_LIVE_HISTORY", "8"],
    ["HERALD_PORT", "  "],
    ["HERALD_PORT", "0x10"],
    ["HERALD_ARCHIVE_PRUNE_INTERVAL", "30d"],
    ["HERALD_HEALTH_CHECK_INTERVAL", "0"],
  ])("%s=%s stops the boot with an error naming the variable", (name, value) => {
    const error = configError({ [name]: value });
    expect(error.code).toBe("ValidationError");
    expect(error.field).toBe(name);
    expect(error.message).toContain(`invalid environment variable ${name}`);
  });
});

describe("reading the environment", () => {
  it("reads the typed values", () => {
    const config = loadConfig({
      HERALD_HOST: "0.0.0.0",
      HERALD_PORT: "8080",
      HERALD_DB_SYNC: "NORMAL",
      HERALD_LOG_LEVEL: "silent",
      HERALD_ARCHIVE_MAX_COUNT: "42",
    });
    expect(config.host).toBe("0.0.0.0");
    expect(config.port).toBe(8080);
    expect(config.dbSync).toBe("NORMAL");
    expect(config.logLevel).toBe("silent");
    expect(config.archive.maxCount).toBe(42);
  });

  it("ignores variables without the HERALD_ prefix, even invalid-looking ones", () => {
    const config = loadConfig({ PORT: "abc", DB_SYNC: "SOMETIMES", herald_port: "1", HOST: "example.org" });
    expect(config.port).toBe(3000);
    expect(config.host).toBe("127.0.0.1");
    expect(config.dbSync).toBe("FULL");
  });

  it("ignores unknown HERALD_ variables", () => {
    expect(loadConfig({ HERALD_SOMETHING_NEW: "x" }).port).toBe(3000);
  });

  it("treats empty strings as unset, so an exported-but-empty variable keeps the default", () => {
    const config = loadConfig({ HERALD_PORT: "", HERALD_DB_SYNC: "", HERALD_API_TOKENS: "", HERALD_ARCHIVE_MAX_AGE: "" });
    expect(config.port).toBe(3000);
    expect(config.dbSync).toBe("FULL");
    expect(config.apiTokens).toBeUndefined();
    expect(config.archive.maxAgeMs).toBe(7 * 86_400_000);
  });

  it("splits HERALD_API_TOKENS on commas, trimming and dropping empties", () => {
    expect(loadConfig({ HERALD_API_TOKENS: " alpha , beta,,gamma ," }).apiTokens).toEqual(["alpha", "beta", "gamma"]);
    expect(loadConfig({ HERALD_API_TOKENS: "single" }).apiTokens).toEqual(["single"]);
  });
});

describe("console and S3 endpoint settings", () => {
  it("serves the console and the S3 endpoint on port 9000 by default, events synchronous, no access events", () => {
    const config = loadConfig({});
    expect(config.console).toBe(true);
    expect(config.sessionTtlMs).toBe(12 * 3_600_000);
    expect(config.s3).toMatchObject({ enabled: true, port: 9000, domain: "localhost", backend: "local", events: "sync", accessEvents: false, accessKeys: undefined });
    expect(config.s3.objectsDir).toBe(path.resolve("./data/objects"));
  });

  it("reads S3 access key pairs and refuses malformed ones", () => {
    expect(loadConfig({ HERALD_S3_ACCESS_KEYS: "AKID:secret-123, OTHER:secret-456" }).s3.accessKeys).toEqual([
      { accessKeyId: "AKID", secretAccessKey: "secret-123" },
      { accessKeyId: "OTHER", secretAccessKey: "secret-456" },
    ]);
    expect(configError({ HERALD_S3_ACCESS_KEYS: "no-secret-here" }).field).toBe("HERALD_S3_ACCESS_KEYS");
  });

  it("requires the upstream endpoint and credentials for the upstream backend, naming the missing variable", () => {
    expect(configError({ HERALD_S3_BACKEND: "upstream" }).field).toBe("HERALD_S3_UPSTREAM_ENDPOINT");
    expect(configError({ HERALD_S3_BACKEND: "upstream", HERALD_S3_UPSTREAM_ENDPOINT: "http://127.0.0.1:9100" }).field).toBe("HERALD_S3_UPSTREAM_ACCESS_KEY");
    const config = loadConfig({ HERALD_S3_BACKEND: "upstream", HERALD_S3_UPSTREAM_ENDPOINT: "http://127.0.0.1:9100", HERALD_S3_UPSTREAM_ACCESS_KEY: "a", HERALD_S3_UPSTREAM_SECRET_KEY: "b" });
    expect(config.s3.upstream).toEqual({ endpoint: "http://127.0.0.1:9100", region: "us-east-1", accessKeyId: "a", secretAccessKey: "b" });
  });

  it("refuses a short console password", () => {
    expect(configError({ HERALD_ROOT_PASSWORD: "short" }).field).toBe("HERALD_ROOT_PASSWORD");
  });
});
