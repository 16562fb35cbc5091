/**
 * The S3 endpoint's hot paths, side by side in one run: (e) 4 KiB PutObjects
 * per second with events on (each 200 waits for its event to be durably
 * queued, and a rule routes it to a webhook) vs. off (HERALD_S3_EVENTS=off),
 * through the AWS SDK; (f) GetObject throughput of a 1 GiB object vs. reading
 * a file of the same size from the same disk directly, both read 1 MiB at a
 * time (and, for reference, GetObject through the SDK).
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
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
  /** GetObject through a presigned URL, read by a client with 1 MiB socket reads. */
  getMBps: number;
  /** The same GetObject through the AWS SDK, whose Node socket reads are 64 KiB. */
  sdkGetMBps: number;
  diskMBps: number;
}

/**
 * A GET of a presigned URL over a raw socket, reading into one 1 MiB buffer
 * (net's `onread`), so that the client reads as cheaply as the disk baseline
 * does. Node's HTTP client (and so the AWS SDK) reads sockets 64 KiB at a
 * time, which caps any loopback stream near 0.7-0.8 GB/s here whoever serves it.
 */
function rawGet(url: string): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let head = "";
    let body = 0;
    let inBody = false;
    let status = 0;
    const readBuffer = Buffer.alloc(1024 * 1024);
    const socket = net.connect({
      host: target.hostname,
      port: Number(target.port),
      onread: {
        buffer: readBuffer,
        callback: (n) => {
          if (inBody) {
            body += n;
            return true;
          }
          head += readBuffer.toString("latin1", 0, n);
          const end = head.indexOf("\r\n\r\n");
          if (end < 0) return true;
          status = Number(head.slice(9, 12));
          inBody = true;
          body = head.length - end - 4;
          return true;
        },
      },
    });
    socket.on("connect", () => socket.write(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: close\r\n\r\n`));
    socket.on("error", reject);
    socket.on("close", () => (status === 200 ? resolve(body) : reject(new Error(`GET answered ${status}`))));
  });
}

/** A Herald process with its S3 endpoint on a free port, and an AWS SDK client for it. */
export async function startS3Herald(events: "sync" | "off"): Promise<{ herald: HeraldProcess; client: S3Client }> {
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
    const readSdk = async () => drain((await off.client.send(new GetObjectCommand({ Bucket: "bench", Key: "big.bin" }))).Body as Readable);
    const presigned = await getSignedUrl(off.client, new GetObjectCommand({ Bucket: "bench", Key: "big.bin" }), { expiresIn: 3600 });
    const readRaw = async () => {
      const bytes = await rawGet(presigned);
      if (bytes !== BIG) throw new Error(`GetObject returned ${bytes} of ${BIG} bytes`);
      return bytes;
    };
    await readDisk();
    const disk: number[] = [];
    const get: number[] = [];
    const sdk: number[] = [];
    for (let round = 0; round < 2; round++) {
      disk.push(await mbps(readDisk));
      get.push(await mbps(readRaw));
      sdk.push(await mbps(readSdk));
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    return { putsWithEvents: mean(withEvents), putsWithoutEvents: mean(without), getMBps: mean(get), sdkGetMBps: mean(sdk), diskMBps: mean(disk) };
  } finally {
    on.client.destroy();
    off.client.destroy();
    await on.herald.stop();
    await off.herald.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
