import { copyFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type mysql from "mysql2/promise";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeItem } from "../../../test/support/delivery-items.ts";
import { createTestCertificates, type TestCertificates } from "../../../test/support/http-receiver.ts";
import { startMariadbServer, type RunningMariadb } from "../../../test/support/mariadb-server.ts";
import { describeSqlTargetThroughEngine, itChecksSqlTargetHealth } from "../../../test/support/sql-target-suite.ts";
import { eventually, OpenTargets, sendError } from "../../../test/support/target-test-kit.ts";
import type { S3NotificationMessage } from "../../events/s3-record.ts";
import type { Target } from "../target.ts";
import { mysqlConfigSchema, type MysqlConfigInput } from "./mysql-config.ts";
import { mysqlTargetType } from "./mysql-target-type.ts";

let server: RunningMariadb;
let reader: mysql.Connection;
const targets = new OpenTargets({ id: "my", arn: "arn:herald:sqs:us-east-1:my:mysql" });

beforeAll(async () => {
  server = await startMariadbServer();
  reader = await server.client();
}, 60_000);

afterAll(async () => {
  await reader?.end();
  await server?.destroy();
});

afterEach(async () => {
  await targets.closeAll();
});

function connection(on: RunningMariadb = server): MysqlConfigInput & { table: string } {
  return { host: on.host, port: on.port, user: on.user, password: on.password, database: on.database, table: uniqueTable() };
}

function mysqlTarget(config: MysqlConfigInput): Target {
  return targets.create(mysqlTargetType, config);
}

function uniqueTable(): string {
  return `events_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
}

async function select<T>(sql: string, values: unknown[] = [], client: mysql.Connection = reader): Promise<T[]> {
  const [rows] = await client.query(sql, values);
  return rows as T[];
}

/** MariaDB's JSON is LONGTEXT with a check: the driver hands back the text. */
function json(value: unknown): S3NotificationMessage {
  return (typeof value === "string" ? JSON.parse(value) : value) as S3NotificationMessage;
}

async function statusCounter(name: string): Promise<number> {
  const rows = await select<{ Value: string }>("SHOW GLOBAL STATUS LIKE ?", [name]);
  return Number(rows[0]?.Value);
}

const idOf = (message: S3NotificationMessage): string | undefined => message.Records[0]?.responseElements["x-herald-event-id"];

describe("mysql access format", () => {
  it("creates the table if missing and appends one row per event, read back intact by another client", async () => {
    const config = connection();
    const target = mysqlTarget({ ...config, format: "access" });
    expect(await select("SHOW TABLES LIKE ?", [config.table])).toHaveLength(0);
    await target.init();
    const columns = await select<{ Field: string }>(`SHOW COLUMNS FROM ${config.table}`);
    expect(columns.map((c) => c.Field)).toEqual(["event_time", "event_data"]);

    const batch = [
      makeItem({ bucket: "photos", key: "a b/ü.jpg", ruleId: "r1" }),
      makeItem({ bucket: "docs", key: "x.pdf", ruleId: "r2", eventName: "s3:ObjectRemoved:Delete" }),
    ];
    await expect(target.send(batch)).resolves.toEqual({});
    const rows = await select<{ t: string; event_data: unknown }>(
      `SELECT DATE_FORMAT(event_time, '%Y-%m-%dT%H:%i:%s.%fZ') AS t, event_data FROM ${config.table} ORDER BY JSON_VALUE(event_data, '$.Records[0].s3.configurationId')`,
    );
    expect(rows).toHaveLength(2);
    // Stored in UTC to the millisecond (DATETIME(3)).
    expect(rows[0]?.t).toBe(new Date(batch[0]!.event.eventTime).toISOString().replace("Z", "000Z"));
    const first = json(rows[0]?.event_data);
    expect(first.Key).toBe("photos/a b/ü.jpg");
    expect(first.Records[0]?.s3.configurationId).toBe("r1");
    expect(idOf(first)).toBe(batch[0]?.event.id);
    const second = json(rows[1]?.event_data);
    expect(second.EventName).toBe("s3:ObjectRemoved:Delete");
    expect(idOf(second)).toBe(batch[1]?.event.id);
  });

  it("writes a whole batch in one INSERT statement", async () => {
    const config = connection();
    const target = mysqlTarget(config);
    await target.init();
    const before = await statusCounter("Com_insert");
    await target.send(Array.from({ length: 500 }, () => makeItem()));
    expect((await statusCounter("Com_insert")) - before).toBe(1);
    expect(await select(`SELECT 1 FROM ${config.table}`)).toHaveLength(500);
  });

  it("creates the table again if it is dropped while the target runs", async () => {
    const config = connection();
    const target = mysqlTarget(config);
    await target.send([makeItem()]);
    await reader.query(`DROP TABLE ${config.table}`);
    const error = await sendError(target);
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/doesn't exist/);
    await target.send([makeItem()]);
    expect(await select(`SELECT 1 FROM ${config.table}`)).toHaveLength(1);
  });

  it("gives up at once on data the server can never accept", async () => {
    const config = connection();
    const target = mysqlTarget(config);
    await target.init();
    await reader.query(`ALTER TABLE ${config.table} ADD CONSTRAINT small CHECK (LENGTH(event_data) < 100)`);
    const error = await sendError(target);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/CONSTRAINT .*small.* failed/);
  });

  it("accepts a connection string, with the password from the config winning", async () => {
    const { table } = connection();
    const url = `mysql://${server.user}:wrong@${server.host}:${server.port}/${server.database}`;
    const target = mysqlTarget({ connectionString: url, password: server.password, table });
    await target.send([makeItem()]);
    expect(await select(`SELECT 1 FROM ${table}`)).toHaveLength(1);
  });
});

describe("mysql namespace format", () => {
  it("upserts on create and deletes on removal, in event order within one transaction", async () => {
    const config = connection();
    const target = mysqlTarget({ ...config, format: "namespace" });
    await target.init();
    const columns = await select<{ Field: string }>(`SHOW COLUMNS FROM ${config.table}`);
    expect(columns.map((c) => c.Field)).toEqual(["key_name", "key_hash", "value"]);

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
    const commits = await statusCounter("Com_commit");
    await target.send(batch);
    expect((await statusCounter("Com_commit")) - commits).toBe(1);
    const rows = await select<{ key_name: string; value: unknown }>(`SELECT key_name, value FROM ${config.table} ORDER BY key_name`);
    expect(rows.map((r) => r.key_name)).toEqual(["b/back.txt", "b/kept.txt"]);
    expect(rows.map((r) => idOf(json(r.value)))).toEqual([batch[6]?.event.id, batch[4]?.event.id]);
    expect(json(rows[1]?.value).Records[0]?.s3.object.size).toBe(2);

    await target.send([makeItem({ bucket: "b", key: "kept.txt", eventName: "s3:ObjectRemoved:DeleteMarkerCreated" })]);
    expect(await select(`SELECT key_name FROM ${config.table}`)).toEqual([{ key_name: "b/back.txt" }]);
  });

  it("keys rows by the full bucket/key even past InnoDB's index length", async () => {
    const config = connection();
    const target = mysqlTarget({ ...config, format: "namespace" });
    const key = `${"k".repeat(1000)}/ü`;
    await target.send([makeItem({ bucket: "b", key }), makeItem({ bucket: "b", key, size: 7 })]);
    await target.send([makeItem({ bucket: "b", key, size: 8 })]);
    const rows = await select<{ key_name: string; value: unknown }>(`SELECT key_name, value FROM ${config.table}`);
    expect(rows.map((r) => r.key_name)).toEqual([`b/${key}`]);
    expect(json(rows[0]?.value).Records[0]?.s3.object.size).toBe(8);
    await target.send([makeItem({ bucket: "b", key, eventName: "s3:ObjectRemoved:Delete" })]);
    expect(await select(`SELECT 1 FROM ${config.table}`)).toHaveLength(0);
  });
});

describe("mysql health and errors", () => {
  itChecksSqlTargetHealth({
    target: mysqlTarget,
    connection: () => connection(),
    errors: {
      wrongPasswordInit: /Access denied for user 'herald'/,
      wrongPasswordHealth: /Access denied for user 'herald'@'[^']+' \(using password: YES\)/,
      wrongPasswordSend: "Access denied",
      unreachable: /mysql unavailable: .*ECONNREFUSED/,
    },
  });

  it("names a missing privilege", async () => {
    const user = `ro_${randomUUID().slice(0, 8)}`;
    await reader.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'ro-pw'`);
    await reader.query(`GRANT SELECT ON ${server.database}.* TO '${user}'@'%'`);
    const target = mysqlTarget({ ...connection(), user, password: "ro-pw" });
    const health = await target.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/CREATE command denied to user/);
    expect((await sendError(target)).retryable).toBe(true);
  });

  it("validates the table name and requires a database", () => {
    expect(mysqlConfigSchema.safeParse({ database: "d", table: "events`; DROP TABLE x" }).success).toBe(false);
    expect(mysqlConfigSchema.safeParse({ table: "events" }).success).toBe(false);
    expect(mysqlConfigSchema.safeParse({ table: "events", connectionString: "mysql://u@h/db" }).success).toBe(true);
    expect(mysqlConfigSchema.parse({ database: "d", table: "t" })).toMatchObject({ host: "localhost", port: 3306, format: "access", poolSize: 8 });
  });
});

describe("mysql TLS", () => {
  let certs: TestCertificates;
  let otherCerts: TestCertificates;
  let tlsServer: RunningMariadb;

  beforeAll(async () => {
    certs = createTestCertificates();
    otherCerts = createTestCertificates();
    tlsServer = await startMariadbServer({ tls: { certFile: certs.certFile, keyFile: certs.keyFile, caFile: certs.caFile } });
    const admin = await tlsServer.client();
    try {
      // This user must come over TLS with a client certificate the server's CA signed.
      await admin.query(`CREATE USER 'x509'@'%' IDENTIFIED BY 'x509-pw' REQUIRE X509`);
      await admin.query(`GRANT ALL ON ${tlsServer.database}.* TO 'x509'@'%'`);
    } finally {
      await admin.end();
    }
  }, 60_000);

  afterAll(async () => {
    await tlsServer?.destroy();
    certs?.remove();
    otherCerts?.remove();
  });

  it("verifies the server with the CA file and re-reads it when it changes, without a restart", async () => {
    const caFile = `${otherCerts.dir}/rotating-ca.crt`;
    copyFileSync(otherCerts.caFile, caFile);
    const config = { ...connection(tlsServer), user: "x509", password: "x509-pw" };
    const target = mysqlTarget({ ...config, tls: { caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    const refused = await target.healthCheck();
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/certificate/);

    copyFileSync(certs.caFile, caFile);
    await eventually(async () => expect(await target.healthCheck()).toMatchObject({ ok: true }), 5_000);
    await target.send([makeItem()]);
    const client = await tlsServer.client();
    try {
      expect(await select(`SELECT 1 FROM ${config.table}`, [], client)).toHaveLength(1);
    } finally {
      await client.end();
    }
  });

  it("presents the client certificate the server demands", async () => {
    const config = { ...connection(tlsServer), user: "x509", password: "x509-pw" };
    const without = mysqlTarget({ ...config, tls: { caFile: certs.caFile } });
    const health = await without.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.error).toMatch(/Access denied for user 'x509'/);
    const withCert = mysqlTarget({ ...config, tls: { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } });
    expect((await withCert.healthCheck()).ok).toBe(true);
  });
});

describeSqlTargetThroughEngine({
  type: "mysql",
  id: "my",
  startServer: () => startMariadbServer(),
  sharedServer: () => server,
  connection,
  eventIds: async (on, table, column) => {
    const client = await on.client();
    try {
      const rows = await select<{ id: string }>(`SELECT JSON_VALUE(${column}, '$.Records[0].responseElements."x-herald-event-id"') AS id FROM ${table}`, [], client);
      return rows.map((r) => r.id);
    } finally {
      await client.end();
    }
  },
  errors: { outage: /mysql unavailable|ECONNREFUSED|shutdown/i, wrongPasswordHealth: /Access denied for user 'herald'/, wrongPassword: /Access denied/ },
});
