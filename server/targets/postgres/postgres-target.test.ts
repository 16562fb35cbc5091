import { copyFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { createTestCertificates, type TestCertificates } from "../../../test/support/http-receiver.ts";
import { startPostgresServer, type RunningPostgres } from "../../../test/support/postgres-server.ts";
import { describeSqlTargetThroughEngine, itChecksSqlTargetHealth } from "../../../test/support/sql-target-suite.ts";
import { eventually, OpenTargets, sendError } from "../../../test/support/target-test-kit.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import type { Target } from "../target.ts";
import { postgresConfigSchema, type PostgresConfigInput } from "./postgres-config.ts";
import { postgresTargetType } from "./postgres-target-type.ts";

let server: RunningPostgres;
let reader: pg.Client;
const targets = new OpenTargets({ id: "pg", arn: "arn:herald:sqs:us-east-1:pg:postgres" });

beforeAll(async () => {
  server = await startPostgresServer();
  reader = await server.client();
}, 60_000);

afterAll(async () => {
  await reader?.end();
  await server?.destroy();
});

afterEach(async () => {
  await targets.closeAll();
});

function connection(on: RunningPostgres = server): PostgresConfigInput {
  return { host: on.host, port: on.port, user: on.user, password: on.password, database: on.database, table: uniqueTable() };
}

function postgresTarget(config: PostgresConfigInput): Target {
  return targets.create(postgresTargetType, config);
}

function uniqueTable(): string {
  return `events_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

async function tableExists(table: string, client = reader): Promise<boolean> {
  const { rows } = await client.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [table]);
  return rows[0]?.t !== null;
}

const idOf = (message: S3NotificationMessage): string | undefined => message.Records[0]?.responseElements["x-herald-event-id"];

describe("postgres access format", () => {
  it("creates the table if missing and appends one row per event, read back intact by another client", async () => {
    const config = connection();
    expect(await tableExists(config.table)).toBe(false);
    const target = postgresTarget({ ...config, format: "access" });
    await target.init();
    const { rows: columns } = await reader.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position", [config.table]);
    expect(columns).toEqual([
      { column_name: "event_time", data_type: "timestamp with time zone" },
      { column_name: "event_data", data_type: "jsonb" },
    ]);

    const batch = [
      makeItem({ bucket: "photos", key: "a b/ü.jpg", ruleId: "r1" }),
      makeItem({ bucket: "docs", key: "x.pdf", ruleId: "r2", eventName: "s3:ObjectRemoved:Delete" }),
    ];
    await expect(target.send(batch)).resolves.toEqual({});
    const { rows } = await reader.query<{ event_time: Date; event_data: S3NotificationMessage }>(`SELECT event_time, event_data FROM ${config.table} ORDER BY event_data->'Records'->0->'s3'->>'configurationId'`);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.event_time.getTime()).toBe(batch[0]?.event.eventTime);
    expect(rows[0]?.event_data.Key).toBe("photos/a b/ü.jpg");
    expect(rows[0]?.event_data.Records[0]?.s3.configurationId).toBe("r1");
    expect(rows[0]?.event_data.Records[0]?.s3.object.key).toBe(batch[0]?.event.record.s3.object.key);
    expect(idOf(rows[0]!.event_data)).toBe(batch[0]?.event.id);
    expect(rows[1]?.event_data.EventName).toBe("s3:ObjectRemoved:Delete");
    expect(idOf(rows[1]!.event_data)).toBe(batch[1]?.event.id);
  });

  it("writes a whole batch in one statement (one transaction id for all rows)", async () => {
    const config = connection();
    const target = postgresTarget({ ...config, format: "access" });
    await target.send(Array.from({ length: 500 }, () => makeItem()));
    await target.send(Array.from({ length: 3 }, () => makeItem()));
    const { rows } = await reader.query<{ xid: string; n: number }>(`SELECT xmin::text AS xid, count(*)::int AS n FROM ${config.table} GROUP BY 1 ORDER BY 2 DESC`);
    expect(rows.map((r) => r.n)).toEqual([500, 3]);
  });

  it("creates the table again if it is dropped while the target runs", async () => {
    const config = connection();
    const target = postgresTarget(config);
    await target.send([makeItem()]);
    await reader.query(`DROP TABLE ${config.table}`);
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/does not exist/);
    await target.send([makeItem()]);
    expect((await reader.query(`SELECT 1 FROM ${config.table}`)).rowCount).toBe(1);
  });

  it("gives up at once on data the server can never accept", async () => {
    const target = postgresTarget(connection());
    // jsonb refuses \u0000, whatever the number of tries.
    const error = await sendError(target, [makeItem({ key: "nul\u0000key" })]);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/unsupported Unicode escape sequence.*22P05/);
  });

  it("accepts a connection string, with the password from the config winning", async () => {
    const { table } = connection();
    const url = `postgresql://${server.user}:wrong@${server.host}:${server.port}/${server.database}`;
    const target = postgresTarget({ connectionString: url, password: server.password, table });
    await target.send([makeItem()]);
    expect((await reader.query(`SELECT 1 FROM ${table}`)).rowCount).toBe(1);
  });
});

describe("postgres namespace format", () => {
  it("upserts on create and deletes on removal, in event order within one transaction", async () => {
    const config = connection();
    const target = postgresTarget({ ...config, format: "namespace" });
    await target.init();
    const { rows: columns } = await reader.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position", [config.table]);
    expect(columns).toEqual([
      { column_name: "key_name", data_type: "text" },
      { column_name: "value", data_type: "jsonb" },
    ]);

    await target.send([makeItem({ bucket: "b", key: "gone.txt" }), makeItem({ bucket: "b", key: "kept.txt" })]);
    const batch = [
      makeItem({ bucket: "b", key: "a.txt" }),
      makeItem({ bucket: "b", key: "kept.txt", size: 1 }),
      makeItem({ bucket: "b", key: "a.txt", eventName: "s3:ObjectRemoved:Delete" }),
      makeItem({ bucket: "b", key: "gone.txt", eventName: "s3:ObjectRemoved:Delete" }),
      makeItem({ bucket: "b", key: "kept.txt", size: 2 }),
      makeItem({ bucket: "b", key: "back.txt", eventName: "s3:ObjectRemoved:Delete" }),
      makeItem({ bucket: "b", key: "back.txt" }),
    ];
    await target.send(batch);
    const { rows } = await reader.query<{ key_name: string; value: S3NotificationMessage; xid: string }>(`SELECT key_name, value, xmin::text AS xid FROM ${config.table} ORDER BY key_name`);
    expect(rows.map((r) => r.key_name)).toEqual(["b/back.txt", "b/kept.txt"]);
    expect(rows.map((r) => idOf(r.value))).toEqual([batch[6]?.event.id, batch[4]?.event.id]);
    expect(rows[1]?.value.Records[0]?.s3.object.size).toBe(2);
    // Both rows were written by the batch's single transaction.
    expect(new Set(rows.map((r) => r.xid)).size).toBe(1);

    await target.send([makeItem({ bucket: "b", key: "kept.txt", eventName: "s3:ObjectRemoved:DeleteMarkerCreated" })]);
    expect((await reader.query(`SELECT key_name FROM ${config.table}`)).rows).toEqual([{ key_name: "b/back.txt" }]);
  });
});

describe("postgres health and errors", () => {
  itChecksSqlTargetHealth({
    target: postgresTarget,
    connection: () => connection(),
    errors: {
      wrongPasswordInit: /password authentication failed for user "herald"/,
      wrongPasswordHealth: /password authentication failed for user "herald"/,
      wrongPasswordSend: "password authentication failed",
      unreachable: /postgres unavailable: .*ECONNREFUSED/,
    },
  });

  it("names a missing privilege", async () => {
    const role = `limited_${randomUUID().slice(0, 8)}`;
    await reader.query(`CREATE ROLE ${role} LOGIN PASSWORD 'limited-pw'`);
    await reader.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    const target = postgresTarget({ ...connection(), user: role, password: "limited-pw" });
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/permission denied for schema public/);
    expect((await sendError(target)).retryable).toBe(true);
  });

  it("validates the table name and the connection string", () => {
    expect(postgresConfigSchema.safeParse({ table: "events; DROP TABLE x" }).success).toBe(false);
    expect(postgresConfigSchema.safeParse({ table: "1events" }).success).toBe(false);
    expect(postgresConfigSchema.safeParse({ table: "audit.events" }).success).toBe(true);
    expect(postgresConfigSchema.safeParse({ table: "t", connectionString: "mysql://h/db" }).success).toBe(false);
    expect(postgresConfigSchema.parse({ table: "t" })).toMatchObject({ host: "localhost", port: 5432, format: "access", poolSize: 8 });
  });
});

describe("postgres TLS", () => {
  let certs: TestCertificates;
  let otherCerts: TestCertificates;
  let tlsServer: RunningPostgres;

  beforeAll(async () => {
    certs = createTestCertificates();
    otherCerts = createTestCertificates();
    tlsServer = await startPostgresServer({ tls: { certFile: certs.certFile, keyFile: certs.keyFile, clientCaFile: certs.caFile } });
  }, 60_000);

  afterAll(async () => {
    await tlsServer?.destroy();
    certs?.remove();
    otherCerts?.remove();
  });

  it("verifies the server with the CA file and re-reads it when it changes, without a restart", async () => {
    // Starts out trusting the wrong CA (a copy, so the test can rotate it in place).
    const caFile = `${otherCerts.dir}/rotating-ca.crt`;
    copyFileSync(otherCerts.caFile, caFile);
    const config = connection(tlsServer);
    const target = postgresTarget({ ...config, tls: { caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    const refused = await target.healthCheck();
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/certificate/);

    copyFileSync(certs.caFile, caFile);
    await eventually(async () => expect(await target.healthCheck()).toMatchObject({ ok: true }), 5_000);
    await target.send([makeItem()]);
    const client = await tlsServer.client();
    try {
      expect((await client.query(`SELECT 1 FROM ${config.table}`)).rowCount).toBe(1);
      // The server saw TLS on Herald's connection.
      const { rows } = await client.query("SELECT bool_or(ssl) AS ssl FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE application_name = 'herald'");
      expect(rows[0]?.ssl).toBe(true);
    } finally {
      await client.end();
    }
  });

  it("presents the client certificate the server demands", async () => {
    const without = postgresTarget({ ...connection(tlsServer), tls: { caFile: certs.caFile } });
    const health = await without.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/certificate/i);
    const withCert = postgresTarget({ ...connection(tlsServer), tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    expect((await withCert.healthCheck()).ok).toBe(true);
  });
});

describeSqlTargetThroughEngine({
  type: "postgres",
  id: "pg",
  startServer: () => startPostgresServer(),
  sharedServer: () => server,
  connection,
  eventIds: async (on, table, column) => {
    const client = await on.client();
    try {
      const { rows } = await client.query<{ id: string }>(`SELECT ${column}->'Records'->0->'responseElements'->>'x-herald-event-id' AS id FROM ${table}`);
      return rows.map((r) => r.id);
    } finally {
      await client.end();
    }
  },
  errors: { outage: /postgres unavailable|terminating connection|ECONNREFUSED/, wrongPasswordHealth: /password authentication failed for user "herald"/, wrongPassword: /password authentication failed/ },
});
