import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import {
  CreateBucketCommand,
  PutObjectCommand,
  S3Client,
  SelectObjectContentCommand,
  type SelectObjectContentCommandInput,
  type SelectObjectContentEventStream,
} from "@aws-sdk/client-s3";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHerald, type TestHerald } from "../../test/support/test-herald.ts";
import { createS3Endpoint, type S3Endpoint } from "./create-s3-endpoint.ts";

/**
 * SelectObjectContent driven by @aws-sdk/client-s3's SelectObjectContentCommand:
 * the SDK's own event-stream decoder (CRC-checked) reads Herald's response.
 */
let herald: TestHerald;
let endpoint: S3Endpoint;
let s3: S3Client;
const ACCESS_KEY = "HERALDSELECTKEY";
const SECRET = "herald-select-secret-0123456789";
const BUCKET = "query";

const PEOPLE = "name,age,city\nann,30,Paris\nbob,25,Oslo\ncid,41,Rome\ndee,38,Lima\n";

interface Collected {
  records: string;
  kinds: string[];
  stats?: { BytesScanned?: number; BytesProcessed?: number; BytesReturned?: number };
  progress: number;
}

async function select(input: Omit<SelectObjectContentCommandInput, "Bucket" | "ExpressionType">): Promise<Collected> {
  const out = await s3.send(new SelectObjectContentCommand({ Bucket: BUCKET, ExpressionType: "SQL", ...input }));
  const collected: Collected = { records: "", kinds: [], progress: 0 };
  const decoder = new TextDecoder();
  for await (const event of out.Payload as AsyncIterable<SelectObjectContentEventStream>) {
    if (event.Records?.Payload) {
      collected.kinds.push("Records");
      collected.records += decoder.decode(event.Records.Payload, { stream: true });
    } else if (event.Stats) {
      collected.kinds.push("Stats");
      collected.stats = event.Stats.Details ?? {};
    } else if (event.Progress) {
      collected.kinds.push("Progress");
      collected.progress += 1;
    } else if (event.Cont) {
      collected.kinds.push("Cont");
    } else if (event.End) {
      collected.kinds.push("End");
    }
  }
  return collected;
}

beforeAll(async () => {
  herald = await startTestHerald({ HERALD_S3_ACCESS_KEYS: `${ACCESS_KEY}:${SECRET}` });
  endpoint = await createS3Endpoint(herald);
  await new Promise<void>((resolve) => endpoint.server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(endpoint.server.address() as AddressInfo).port}`;
  s3 = new S3Client({ endpoint: url, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET } });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "people.csv", Body: PEOPLE }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "people.csv.gz", Body: gzipSync(PEOPLE) }));
  const lines = ['{"id":1,"tags":["a","b"],"ok":true}', '{"id":2,"tags":[],"ok":false}', '{"id":3,"ok":true}'].join("\n") + "\n";
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "items.jsonl", Body: lines }));
  const many = "n\n" + Array.from({ length: 20_000 }, (_, i) => (i === 15_000 ? "oops" : String(i))).join("\n") + "\n";
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "many.csv", Body: many }));
});

afterAll(async () => {
  s3?.destroy();
  await endpoint?.close();
  await herald?.stop();
});

describe("SelectObjectContent through the AWS SDK", () => {
  it("filters and projects a CSV object, ending with Stats then End", async () => {
    const result = await select({
      Key: "people.csv",
      Expression: "SELECT s.name, s.city FROM S3Object s WHERE CAST(s.age AS INT) > 28",
      InputSerialization: { CSV: { FileHeaderInfo: "USE" } },
      OutputSerialization: { CSV: {} },
    });
    expect(result.records).toBe("ann,Paris\ncid,Rome\ndee,Lima\n");
    expect(result.kinds.slice(-2)).toEqual(["Stats", "End"]);
    expect(result.stats).toMatchObject({ BytesScanned: PEOPLE.length, BytesProcessed: PEOPLE.length, BytesReturned: result.records.length });
  });

  it("reads JSON LINES and writes JSON, leaving MISSING fields out", async () => {
    const result = await select({
      Key: "items.jsonl",
      Expression: 'SELECT s.id, s.tags[0] AS "first" FROM S3Object s WHERE s.ok = true',
      InputSerialization: { JSON: { Type: "LINES" } },
      OutputSerialization: { JSON: { RecordDelimiter: "\n" } },
    });
    expect(result.records).toBe('{"id":1,"first":"a"}\n{"id":3}\n');
  });

  it("reads a gzip object, counting compressed bytes as scanned", async () => {
    const gz = gzipSync(PEOPLE);
    const result = await select({
      Key: "people.csv.gz",
      Expression: "SELECT COUNT(*) AS n, AVG(CAST(age AS INT)) AS mean FROM S3Object",
      InputSerialization: { CSV: { FileHeaderInfo: "USE" }, CompressionType: "GZIP" },
      OutputSerialization: { JSON: {} },
    });
    expect(JSON.parse(result.records.trim())).toEqual({ n: 4, mean: 33.5 });
    expect(result.stats).toMatchObject({ BytesScanned: gz.length, BytesProcessed: PEOPLE.length });
  });

  it("applies a ScanRange: only records that start inside it", async () => {
    const start = PEOPLE.indexOf("bob");
    const end = PEOPLE.indexOf("cid") + 1;
    const result = await select({
      Key: "people.csv",
      Expression: "SELECT s._1 FROM S3Object s",
      InputSerialization: { CSV: { FileHeaderInfo: "NONE" } },
      OutputSerialization: { CSV: {} },
      ScanRange: { Start: start, End: end },
    });
    expect(result.records).toBe("bob\ncid\n");
  });

  it("sends Progress messages when RequestProgress is enabled", async () => {
    const result = await select({
      Key: "people.csv",
      Expression: "SELECT * FROM S3Object",
      InputSerialization: { CSV: {} },
      OutputSerialization: { CSV: {} },
      RequestProgress: { Enabled: true },
    });
    expect(result.progress).toBeGreaterThanOrEqual(1);
    expect(result.kinds.at(-1)).toBe("End");
  });

  it("answers a bad query with an S3 error naming the position, before any stream", async () => {
    const error = await select({
      Key: "people.csv",
      Expression: "SELECT name FROM S3Object WHERE",
      InputSerialization: { CSV: { FileHeaderInfo: "USE" } },
      OutputSerialization: { CSV: {} },
    }).catch((e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode: number } });
    expect(error).toMatchObject({ name: "ParseExpectedExpression", $metadata: { httpStatusCode: 400 } });
    expect((error as { message: string }).message).toMatch(/column \d+/);
  });

  it("answers NoSuchKey with 404 and an invalid serialization with InvalidArgument", async () => {
    const base = { Expression: "SELECT * FROM S3Object", OutputSerialization: { CSV: {} } };
    await expect(select({ ...base, Key: "absent.csv", InputSerialization: { CSV: {} } })).rejects.toMatchObject({ name: "NoSuchKey", $metadata: { httpStatusCode: 404 } });
    await expect(select({ ...base, Key: "people.csv", InputSerialization: { CSV: {}, JSON: { Type: "LINES" } } })).rejects.toMatchObject({
      name: "InvalidArgument",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("turns an error after records were streamed into an error message with no End", async () => {
    const response = await s3.send(
      new SelectObjectContentCommand({
        Bucket: BUCKET,
        Key: "many.csv",
        ExpressionType: "SQL",
        Expression: "SELECT CAST(n AS INT) FROM S3Object",
        InputSerialization: { CSV: { FileHeaderInfo: "USE" } },
        OutputSerialization: { CSV: {} },
      }),
    );
    let records = "";
    let ended = false;
    const failure = await (async () => {
      for await (const event of response.Payload as AsyncIterable<SelectObjectContentEventStream>) {
        if (event.Records?.Payload) records += Buffer.from(event.Records.Payload).toString("utf8");
        if (event.End) ended = true;
      }
      return undefined;
    })().catch((e: unknown) => e as { name: string });
    expect(records.startsWith("0\n1\n2\n")).toBe(true);
    expect(failure).toMatchObject({ name: "CastFailed" });
    expect(ended).toBe(false);
  });

  it("answers a bad QuoteFields with InvalidQuoteFields and a bad CompressionType with InvalidCompressionFormat, 400", async () => {
    const base = { Key: "people.csv", Expression: "SELECT * FROM S3Object" };
    await expect(
      select({ ...base, InputSerialization: { CSV: {} }, OutputSerialization: { CSV: { QuoteFields: "SOMETIMES" as "ALWAYS" } } }),
    ).rejects.toMatchObject({ name: "InvalidQuoteFields", $metadata: { httpStatusCode: 400 } });
    await expect(
      select({ ...base, InputSerialization: { CSV: {}, CompressionType: "ZIP" as "GZIP" }, OutputSerialization: { CSV: {} } }),
    ).rejects.toMatchObject({ name: "InvalidCompressionFormat", $metadata: { httpStatusCode: 400 } });
  });

  it("queries a Parquet object written by an independent writer (DuckDB)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "herald-parquet-sdk-"));
    try {
      const file = path.join(dir, "sales.parquet");
      const duck = await DuckDBInstance.create(":memory:");
      const connection = await duck.connect();
      await connection.run(
        `COPY (SELECT i AS id, 'city-' || (i % 3) AS city, i * 1.5 AS amount FROM range(1, 1001) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 100)`,
      );
      connection.closeSync();
      duck.closeSync();
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "sales.parquet", Body: readFileSync(file) }));
      const result = await select({
        Key: "sales.parquet",
        Expression: "SELECT COUNT(*) AS n, SUM(s.id) AS total FROM S3Object s WHERE s.city = 'city-1'",
        InputSerialization: { Parquet: {} },
        OutputSerialization: { JSON: {} },
      });
      expect(JSON.parse(result.records.trim())).toEqual({ n: 334, total: [...Array(1000).keys()].map((i) => i + 1).filter((i) => i % 3 === 1).reduce((a, b) => a + b, 0) });
      expect(result.kinds.at(-1)).toBe("End");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

