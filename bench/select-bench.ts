/**
 * (g) S3 Select scan speed: a generated CSV of SELECT_BENCH_MB (default 512)
 * megabytes is put into a Herald process through its S3 endpoint, then
 * queried through SelectObjectContent with the AWS SDK (a filtered count and
 * a filtered projection), and the same two queries run by DuckDB straight on
 * the same file, in the same run. Herald's peak memory is the Herald
 * process's peak resident set (VmHWM), read from /proc after its queries.
 */
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CreateBucketCommand, PutObjectCommand, SelectObjectContentCommand, type S3Client, type SelectObjectContentEventStream } from "@aws-sdk/client-s3";
import { DuckDBInstance } from "@duckdb/node-api";
import { startS3Herald } from "./s3-bench.ts";

const TARGET_MB = Number(process.env.SELECT_BENCH_MB ?? 512);

export interface SelectBenchQuery {
  label: string;
  heraldMBps: number;
  duckdbMBps: number;
  rows: string;
}

export interface SelectBenchResult {
  objectMB: number;
  queries: SelectBenchQuery[];
  /** Peak resident set of the Herald process while it ran the queries. */
  heraldPeakMiB: number;
  /** Its peak before them, while the object was uploaded (for reference). */
  heraldPeakDuringUploadMiB: number;
}

const QUERIES = [
  {
    label: "filtered count",
    herald: "SELECT count(*) FROM S3Object s WHERE CAST(s.x AS INT) > 50000",
    duckdb: (file: string) => `SELECT count(*) FROM read_csv('${file}') s WHERE CAST(s.x AS INT) > 50000`,
  },
  {
    label: "projection with a filter",
    herald: "SELECT s.id, s.name FROM S3Object s WHERE CAST(s.x AS INT) < 5000",
    duckdb: (file: string) => `SELECT s.id, s.name FROM read_csv('${file}') s WHERE CAST(s.x AS INT) < 5000`,
  },
];

async function generateCsv(file: string): Promise<number> {
  const target = TARGET_MB * 1024 * 1024;
  let written = 0;
  let id = 0;
  const rows = function* (): Generator<string> {
    yield "id,x,name,city,amount,note\n";
    while (written < target) {
      let block = "";
      for (let i = 0; i < 10_000; i++, id++) {
        block += `${id},${(id * 7919) % 100_000},name-${id % 100_003},city-${id % 97},${(id % 10_000) / 100},lorem ipsum ${id % 13}\n`;
      }
      written += block.length;
      yield block;
    }
  };
  await pipeline(Readable.from(rows()), createWriteStream(file));
  return statSync(file).size;
}

async function heraldQuery(client: S3Client, expression: string): Promise<{ seconds: number; out: string }> {
  const started = performance.now();
  const response = await client.send(
    new SelectObjectContentCommand({
      Bucket: "bench",
      Key: "data.csv",
      ExpressionType: "SQL",
      Expression: expression,
      InputSerialization: { CSV: { FileHeaderInfo: "USE" } },
      OutputSerialization: { CSV: {} },
    }),
  );
  let bytes = 0;
  let lines = 0;
  let first = "";
  let ended = false;
  for await (const event of response.Payload as AsyncIterable<SelectObjectContentEventStream>) {
    const payload = event.Records?.Payload;
    if (payload) {
      bytes += payload.length;
      if (first === "") first = Buffer.from(payload.subarray(0, 40)).toString("utf8").split("\n")[0] ?? "";
      for (const byte of payload) if (byte === 10) lines += 1;
    }
    if (event.End) ended = true;
  }
  if (!ended) throw new Error(`Herald's answer to ${expression} had no End`);
  return { seconds: (performance.now() - started) / 1000, out: lines === 1 ? first : `${lines} rows, ${(bytes / 1e6).toFixed(1)} MB` };
}

async function duckdbQuery(sql: string): Promise<{ seconds: number; out: string }> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const started = performance.now();
    const result = await connection.stream(sql);
    let rows = 0;
    let first = "";
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      if (rows === 0) first = String(chunk.getRows()[0]?.[0] ?? "");
      rows += chunk.rowCount;
    }
    return { seconds: (performance.now() - started) / 1000, out: rows === 1 ? first : `${rows} rows` };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function peakResidentMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
}

export async function runSelectBench(): Promise<SelectBenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "herald-select-bench-"));
  const { herald, client } = await startS3Herald("off");
  try {
    const file = path.join(dir, "data.csv");
    const size = await generateCsv(file);
    await client.send(new CreateBucketCommand({ Bucket: "bench" }));
    await client.send(new PutObjectCommand({ Bucket: "bench", Key: "data.csv", Body: createReadStream(file), ContentLength: size }));
    const pid = herald.child.pid;
    if (pid === undefined) throw new Error("Herald has no pid");
    const afterUploadMiB = peakResidentMiB(pid);
    // Linux: "5" resets the peak resident set to the current one, so the peak below is the queries' own.
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    const mb = size / (1024 * 1024);
    const queries: SelectBenchQuery[] = [];
    for (const query of QUERIES) {
      const heraldRuns: number[] = [];
      const duckdbRuns: number[] = [];
      let rows = "";
      for (let round = 0; round < 2; round++) {
        const h = await heraldQuery(client, query.herald);
        const d = await duckdbQuery(query.duckdb(file));
        heraldRuns.push(mb / h.seconds);
        duckdbRuns.push(mb / d.seconds);
        rows = `Herald ${h.out}; DuckDB ${d.out}`;
      }
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      queries.push({ label: query.label, heraldMBps: mean(heraldRuns), duckdbMBps: mean(duckdbRuns), rows });
    }
    return { objectMB: mb, queries, heraldPeakMiB: peakResidentMiB(pid), heraldPeakDuringUploadMiB: afterUploadMiB };
  } finally {
    client.destroy();
    await herald.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runSelectBench();
  console.log(JSON.stringify(result, null, 2));
}
