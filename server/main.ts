import { createHerald } from "./app/create-herald.ts";
import { resolveApiTokens } from "./auth/api-tokens.ts";
import { loadConfig } from "./config/config.ts";
import { createHttpServer } from "./http/http-server.ts";
import { createConsolePages } from "./http/console-pages.ts";
import { createS3Endpoint } from "./s3/create-s3-endpoint.ts";
import { RedisStreamSource } from "./sources/redis-stream-source.ts";

/** Entry point: parse the environment once, wire Herald, listen, and shut down gracefully. */
async function main(): Promise<void> {
  const config = loadConfig();
  const herald = await createHerald(config);
  const { logger } = herald;
  const tokens = resolveApiTokens(config.apiTokens, config.dataDir);
  const account = config.console ? await herald.auth.rootAccount() : undefined;
  const pages = config.console ? await createConsolePages(herald.auth) : undefined;
  const http = createHttpServer(herald, tokens.tokens, config.console ? { ...(pages ? { pages } : {}) } : undefined);
  await new Promise<void>((resolve, reject) => {
    http.server.once("error", reject);
    http.server.listen(config.port, config.host, () => resolve());
  });
  const s3 = config.s3.enabled ? await createS3Endpoint(herald) : undefined;
  if (s3) {
    await new Promise<void>((resolve, reject) => {
      s3.server.once("error", reject);
      s3.server.listen(config.s3.port, config.host, () => resolve());
    });
  }
  const redisSource = config.redisSource
    ? new RedisStreamSource(config.redisSource, { submit: (events) => herald.engine.submit(events), logger: logger.child({ component: "redis-source" }) })
    : undefined;
  redisSource?.start();
  const address = http.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const base = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url: base, dataDir: config.dataDir, database: config.databaseFile }, "Herald is listening");
  process.stdout.write(
    [
      "",
      `Herald is running at ${base}`,
      ...(config.console ? [`  console    ${base}/         (sign in as ${account?.user})`] : []),
      `  API        ${base}/api/v1   (Authorization: Bearer <token>)`,
      `  live       ${base}/live      (Socket.IO namespace)`,
      ...(s3 ? [`  S3         http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${config.s3.port}   (${config.s3.backend === "upstream" ? `in front of ${config.s3.upstream.endpoint}` : `objects in ${config.s3.objectsDir}`}; access key ${s3.keys.root.accessKeyId})`] : []),
      ...(config.redisSource ? [`  source     ${config.redisSource.url} stream ${config.redisSource.stream} (subscriber ${config.redisSource.name})`] : []),
      `  metrics    ${base}/metrics`,
      `  health     ${base}/healthz  ${base}/readyz`,
      `  data       ${config.dataDir}`,
      ...(tokens.generated
        ? [``, `A new API token was generated (shown once; kept in ${config.dataDir}/api-token):`, `  ${tokens.generated}`]
        : []),
      ...(s3?.keys.generated
        ? [``, `An S3 key pair was generated (shown once; kept in ${config.dataDir}/s3-root-key.json):`, `  access key ${s3.keys.root.accessKeyId}`, `  secret     ${s3.keys.root.secretAccessKey}`]
        : []),
      ...(account?.generatedPassword
        ? [``, `A console password was generated for ${account.user} (shown once; set HERALD_ROOT_PASSWORD to choose one):`, `  ${account.generatedPassword}`]
        : []),
      "",
    ].join("\n") + "\n",
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight deliveries");
    await redisSource?.stop();
    const closing = Promise.all([http.close(), s3?.close()]);
    await herald.engine.shutdown(config.shutdownTimeoutMs);
    await Promise.race([closing, new Promise((r) => setTimeout(r, 2000))]);
    await herald.close().catch(() => undefined);
    logger.info("stopped; undelivered events stay queued for the next start");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`Herald could not start: ${message}\n`);
  process.exit(1);
});
