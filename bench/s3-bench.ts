/**
 * The S3 endpoint's hot paths, side by side in one run: (e) 4 KiB PutObjects
 * per second with events on (each 200 waits for its event to be durably
 * queued, and a rule routes it to a webhook) vs. off (HERALD_S3_EVENTS=off),
 * through the AWS SDK; (f) GetObject throughput of a 1 GiB object vs. reading
 * a file of the same size from the same disk directly.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { freePort } from "../test/support/free-port.ts";
import { startHeraldProcess, type HeraldProcess } from "../test/support/herald-process.ts";
import { runConcurrently } from "./emit-client.ts";
import type { LoopbackReceiver } from "./loopback-receiver.ts";

const KEY = "BENCHACCESSKEY";
const SECRET = "bench-secret-0123456789abcdef";
const PUTS = Number(process.env.BENCH_S3_PUTS ?? 3000);
const BIG = Number(process.env.BENCH_S3_BIG_BYTES ?? 1024 ** 3);
const PUT_CONCURRENCY = Number(process.env.BENCH_S3_CONCURRENCY ?? 32);

export interface S3BenchResult {
  putsWithEvents: number;
  putsWithoutEvents: number;
  getMBps: number;
  diskMBps: number;
}

async function startS3Herald(events: "sync" | "off"): Promise<{ herald: HeraldProcess; client: S3Client }> {
  const port = await freePort();
  const herald = await startHeraldProcess({
    env: { HERALD_LOG_LEVEL: "error", HERALD_S3: "on", HERALD_S3_PORT: String(port), HERALD_S3_ACCESS_KEYS: `${KEY}:${SECRET}`, HERALD_S3_EVENTS: events },
  });
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: KEY, secretAccessKey: SECRET },
    requestHandler: new NodeHttpHandler({ httpAgent: { keepAlive: true, maxSockets: 64 } }),
  });
  return { herald, client };
}

async function putRate(client: S3Client, bucket: string, body: Buffer, count: number): Promise<number> {
  const started = performance.now();
  await runConcurrently(count, PUT_CONCURRENCY, async (i) => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `objects/${i % 500}/${i}.bin`, Body: body }));
  });
  return count / ((performance.now() - started) / 1000);
}

async function mbps(run: () => Promise<number>): Promise<number> {
  const started = performance.now();
  const bytes = await run();
  return bytes / (1024 * 1024) / ((performance.now() - started) / 1000);
}

async function drain(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

export async function runS3Bench(receiver: LoopbackReceiver): Promise<S3BenchResult> {
  const on = await startS3Herald("sync");
  const off = await startS3Herald("off");
  const dir = mkdtempSync(path.join(os.tmpdir(), "herald-s3-bench-"));
  try {
    const target = await on.herald.api<{ arn: string }>("POST", "/api/v1/targets", { id: "s3bench", type: "webhook", config: { endpoint: receiver.url } });
    for (const { client } of [on, off]) await client.send(new CreateBucketCommand({ Bucket: "bench" }));
    await on.herald.api("PUT", "/api/v1/buckets/bench/notification", { rules: [{ id: "all", events: ["s3:ObjectCreated:*"], targetArns: [target.json.arn] }] });
    const body = Buffer.alloc(4096, 7);
    await putRate(on.client, "bench", body, 200);
    await putRate(off.client, "bench", body, 200);
    // Alternating halves, so drift on a shared machine hits both sides alike.
    const withEvents: number[] = [];
    const without: number[] = [];
    for (let round = 0; round < 2; round++) {
      withEvents.push(await putRate(on.client, "bench", body, PUTS / 2));
      without.push(await putRate(off.client, "bench", body, PUTS / 2));
    }

    // (f) a 1 GiB object in through one streaming PUT, then read back; the raw figure reads a same-size file.
    const file = path.join(dir, "big.bin");
    const block = Buffer.alloc(1024 * 1024, 42);
    await pipeline(Readable.from((function* () { for (let i = 0; i < BIG / block.length; i++) yield block; })()), createWriteStream(file));
    await off.client.send(new PutObjectCommand({ Bucket: "bench", Key: "big.bin", Body: createReadStream(file), ContentLength: BIG }));
    const readDisk = () => drain(createReadStream(file, { highWaterMark: 1024 * 1024 }));
    const readS3 = async () => drain((await off.client.send(new GetObjectCommand({ Bucket: "bench", Key: "big.bin" }))).Body as Readable);
    await readDisk();
    const disk1 = await mbps(readDisk);
    const get1 = await mbps(readS3);
    const disk2 = await mbps(readDisk);
    const get2 = await mbps(readS3);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    return { putsWithEvents: mean(withEvents), putsWithoutEvents: mean(without), getMBps: (get1 + get2) / 2, diskMBps: (disk1 + disk2) / 2 };
  } finally {
    on.client.destroy();
    off.client.destroy();
    await on.herald.stop();
    await off.herald.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
