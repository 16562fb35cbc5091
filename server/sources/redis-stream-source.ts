import { Redis } from "ioredis";
import { parseS3Notification } from "../events/ingest-s3.ts";
import type { NewEvent } from "../events/new-event.ts";
import type { Logger } from "../logging/logger.ts";
import { redisReconnectDelay } from "../targets/redis/redis-target.ts";

export interface RedisStreamSourceOptions {
  url: string;
  stream: string;
  /** Names this subscriber: its cursor is its own, so several can read one stream independently. */
  name: string;
  /** The entry field holding the S3 notification JSON (`{Records: [...]}`, AWS, MinIO, Ceph or Herald's own Redis target). */
  field: string;
  /** Where a subscriber without a cursor starts: "0" the whole stream, "$" only entries added from now on. */
  start: "0" | "$";
  /** Entries read per XREAD. */
  batchSize?: number;
  /** How long one XREAD blocks waiting for entries. */
  blockMs?: number;
}

export interface RedisStreamSourceDeps {
  /** Accepts events durably (the engine's submit, as the ingest API uses); resolves once they cannot be lost. */
  submit(events: readonly NewEvent[]): Promise<unknown>;
  logger: Logger;
}

/**
 * Feeds the pipeline from a Redis stream, as the Mainflux reference's
 * Subscriber: XREAD from a cursor kept in Redis under a per-subscriber key.
 * The cursor moves only after the entries' events were durably accepted, so a
 * restart (or a crash) resumes where it stopped and nothing read is lost; a
 * crash between the two may hand the last batch in again (at least once).
 * An entry that holds no S3 notification is logged and stepped over: it was
 * never accepted, and stopping on it would block every entry after it.
 */
export class RedisStreamSource {
  private readonly reader: Redis;
  private readonly writer: Redis;
  private running = false;
  private loop: Promise<void> | undefined;
  private failures = 0;
  private skipped = 0;

  constructor(
    private readonly options: RedisStreamSourceOptions,
    private readonly deps: RedisStreamSourceDeps,
  ) {
    const redisOptions = { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: redisReconnectDelay };
    // XREAD BLOCK holds its connection, so the cursor writes get their own.
    this.reader = new Redis(options.url, redisOptions);
    this.writer = new Redis(options.url, redisOptions);
    for (const client of [this.reader, this.writer]) client.on("error", () => undefined);
  }

  /** The Redis key holding this subscriber's position. */
  get cursorKey(): string {
    return `herald:source:${this.options.stream}:${this.options.name}:cursor`;
  }

  /** Entries stepped over because they held no S3 notification. */
  get skippedEntries(): number {
    return this.skipped;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    // Breaks a pending XREAD BLOCK.
    this.reader.disconnect();
    await this.loop;
    this.writer.disconnect();
  }

  private async run(): Promise<void> {
    let cursor: string | undefined;
    while (this.running) {
      try {
        cursor ??= await this.initialCursor();
        const next = await this.readOnce(cursor);
        if (next !== undefined) cursor = next;
        this.failures = 0;
      } catch (error) {
        if (!this.running) return;
        this.failures += 1;
        const delay = redisReconnectDelay(this.failures);
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.deps.logger.warn({ err: error, stream: this.options.stream, name: this.options.name, retryInMs: delay }, "Redis stream source: read failed, retrying");
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async initialCursor(): Promise<string> {
    const saved = await this.writer.get(this.cursorKey);
    if (saved !== null) return saved;
    if (this.options.start === "0") return "0-0";
    // "$" is pinned to the stream's current end and saved, so entries added before the first read are not skipped after a restart.
    const last = (await this.writer.xrevrange(this.options.stream, "+", "-", "COUNT", 1))[0]?.[0] ?? "0-0";
    await this.writer.set(this.cursorKey, last);
    return last;
  }

  /** One XREAD; returns the new cursor when entries were consumed. */
  private async readOnce(cursor: string): Promise<string | undefined> {
    const reply = (await this.reader.xread(
      "COUNT",
      this.options.batchSize ?? 500,
      "BLOCK",
      this.options.blockMs ?? 2_000,
      "STREAMS",
      this.options.stream,
      cursor,
    )) as [string, [string, string[]][]][] | null;
    const entries = reply?.[0]?.[1] ?? [];
    if (entries.length === 0) return undefined;
    const events: NewEvent[] = [];
    for (const [id, fields] of entries) events.push(...this.eventsOf(id, fields));
    if (events.length > 0) await this.deps.submit(events);
    const last = entries[entries.length - 1]?.[0] ?? cursor;
    await this.writer.set(this.cursorKey, last);
    return last;
  }

  private eventsOf(id: string, fields: string[]): NewEvent[] {
    let value: string | undefined;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === this.options.field) value = fields[i + 1];
    }
    try {
      if (value === undefined) throw new Error(`the entry has no "${this.options.field}" field`);
      return parseS3Notification(JSON.parse(value), { source: "redis-stream" });
    } catch (error) {
      this.skipped += 1;
      this.deps.logger.warn({ err: error, stream: this.options.stream, entry: id }, "Redis stream source: entry skipped, it holds no S3 notification");
      return [];
    }
  }
}
