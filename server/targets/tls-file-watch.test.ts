import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TlsFileWatch } from "./tls-file-watch.ts";

const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "herald-tls-watch-"));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("TLS file watch", () => {
  it("reads the files and reports a change once, after the interval", async () => {
    const dir = tempDir();
    const caFile = path.join(dir, "ca.pem");
    writeFileSync(caFile, "first");
    const watch = new TlsFileWatch({ caFile, skipVerify: false }, 0);
    expect(await watch.read()).toEqual({ ca: Buffer.from("first"), rejectUnauthorized: true });
    expect(await watch.changed()).toBe(false);

    writeFileSync(caFile, "second, longer");
    expect(await watch.changed()).toBe(true);
    // Reported once: the caller rebuilds its connections and reads again.
    expect(await watch.changed()).toBe(false);
    expect((await watch.read())?.ca?.toString()).toBe("second, longer");
  });

  it("does not stat the files again within the interval", async () => {
    const dir = tempDir();
    const caFile = path.join(dir, "ca.pem");
    writeFileSync(caFile, "first");
    const watch = new TlsFileWatch({ caFile, skipVerify: false }, 60_000);
    await watch.read();
    writeFileSync(caFile, "second, longer");
    expect(await watch.changed()).toBe(false);
  });

  it("names the field of a file it cannot read, and has nothing to do without TLS", async () => {
    const watch = new TlsFileWatch({ caFile: "/nonexistent/ca.pem", skipVerify: true }, 0);
    await expect(watch.read()).rejects.toThrow(/tls\.caFile: cannot read \/nonexistent\/ca\.pem/);
    const none = new TlsFileWatch(undefined, 0);
    expect(await none.read()).toBeUndefined();
    expect(await none.changed()).toBe(false);
  });
});
