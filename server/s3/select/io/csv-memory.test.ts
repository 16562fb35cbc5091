import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { csvRecords } from "./csv-records.ts";
import { newScanStats } from "./scan-range.ts";

/** ~50 MB of CSV generated on the fly, in 64 KiB chunks. */
function generatedCsv(totalBytes: number): Readable {
  const line = "12345,some text value,\"quoted, with comma\",3.14159,2024-01-01T00:00:00Z\n";
  const chunk = Buffer.from(line.repeat(Math.floor((64 * 1024) / line.length)));
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= totalBytes) {
        this.push(null);
        return;
      }
      sent += chunk.length;
      this.push(chunk);
    },
  });
}

describe("csvRecords memory", () => {
  it.each([false, true])("streams 50 MB with flat memory (AllowQuotedRecordDelimiter %s)", async (allow) => {
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let count = 0;
    const stats = newScanStats();
    for await (const row of csvRecords(
      generatedCsv(50 * 1024 * 1024),
      { AllowQuotedRecordDelimiter: allow },
      undefined,
      stats,
    )) {
      count++;
      if (row.fields.length !== 5 || row.fields[2] !== "quoted, with comma") throw new Error(`bad row ${count}`);
      if (count % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(stats.bytesScanned).toBeGreaterThanOrEqual(50 * 1024 * 1024);
    expect(count).toBeGreaterThan(600_000);
    expect(peak - before).toBeLessThan(25 * 1024 * 1024);
  });
});
