import { Buffer } from "node:buffer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mapLimit } from "./list-objects.ts";
import type { LocalDiskStore } from "./local-disk-store.ts";
import type { ListObjectsOptions } from "./object-store.ts";
import { body, expectAppError, makeStore, md5Hex, type TestStore } from "./store-test-helpers.ts";

let t: TestStore;
let store: LocalDiskStore;

/** 100 bytes: exactly one directory's worth of hex, so it is stored as a file right where longer keys get a directory. */
const EDGE = "e".repeat(99) + "/";

const KEYS: string[] = (() => {
  const keys: string[] = [];
  for (let i = 0; i < 2400; i++) keys.push(`logs/${2020 + (i % 4)}/${String(i % 12).padStart(2, "0")}/event-${String(i).padStart(5, "0")}.json`);
  for (let i = 0; i < 40; i++) keys.push(`photos/${i % 3 === 0 ? "raw/" : ""}img ${i}.jpg`);
  for (let i = 0; i < 30; i++) keys.push(`deep/${"d".repeat(150)}/${"x".repeat(i * 7)}/${i}`); // nested key directories
  keys.push(EDGE, EDGE + "a", EDGE + "a/b", "e".repeat(99), "e".repeat(100), "e".repeat(98) + "f");
  // UTF-16 order and UTF-8 byte order disagree here: U+FF61 sorts after U+1F600 in UTF-16, before it in UTF-8.
  keys.push("\uFF61", "😀", "é", "z", "Z", "a b", "a+b", "a%b", "a//b", "a/", "/root", "top-level");
  for (let i = 0; i < 10; i++) keys.push(`dash-0${i}-x`, `dash-1${i}`);
  return keys;
})();

beforeAll(async () => {
  t = await makeStore();
  store = t.store;
  await store.createBucket("listing");
  await mapLimit(KEYS, 16, (key) => store.putObject("listing", key, body(key), {}));
}, 120_000);

afterAll(async () => {
  await t.cleanup();
});

function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** S3's ListObjectsV2, the slow obvious way: what every page sequence must add up to. */
function expected(options: ListObjectsOptions): { value: string; isPrefix: boolean }[] {
  const prefix = options.prefix ?? "";
  const items: { value: string; isPrefix: boolean }[] = [];
  for (const key of [...KEYS].sort(byteOrder)) {
    if (!key.startsWith(prefix)) continue;
    if (options.startAfter !== undefined && byteOrder(key, options.startAfter) <= 0) continue;
    const at = options.delimiter ? key.indexOf(options.delimiter, prefix.length) : -1;
    const item = at === -1 ? { value: key, isPrefix: false } : { value: key.slice(0, at + (options.delimiter?.length ?? 0)), isPrefix: true };
    if (items.at(-1)?.value !== item.value) items.push(item);
  }
  return items;
}

async function listAll(options: ListObjectsOptions): Promise<{ items: { value: string; isPrefix: boolean }[]; pages: number }> {
  const items: { value: string; isPrefix: boolean }[] = [];
  let token: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await store.listObjects("listing", { ...options, continuationToken: token });
    pages++;
    const count = page.objects.length + page.commonPrefixes.length;
    expect(count).toBeLessThanOrEqual(Math.min(options.maxKeys ?? 1000, 1000));
    // Within a page, objects and common prefixes interleave in key order.
    const merged = [
      ...page.objects.map((o) => ({ value: o.key, isPrefix: false })),
      ...page.commonPrefixes.map((p) => ({ value: p, isPrefix: true })),
    ].sort((a, b) => byteOrder(a.value, b.value));
    items.push(...merged);
    if (!page.isTruncated) {
      expect(page.nextContinuationToken).toBeUndefined();
      break;
    }
    expect(count).toBe(Math.min(options.maxKeys ?? 1000, 1000));
    expect(typeof page.nextContinuationToken).toBe("string");
    token = page.nextContinuationToken;
    if (pages > 5000) throw new Error("listing does not end");
  }
  return { items, pages };
}

describe("listObjects", () => {
  it("lists every key in UTF-8 byte order, 1000 per page by default, with size and ETag", async () => {
    const first = await store.listObjects("listing", {});
    expect(first.objects).toHaveLength(1000);
    expect(first.isTruncated).toBe(true);
    expect(first.objects[0]).toMatchObject({ bucket: "listing", size: Buffer.byteLength(first.objects[0]?.key ?? "") });
    for (const object of first.objects.slice(0, 20)) expect(object.eTag).toBe(`"${md5Hex(object.key)}"`);

    const { items, pages } = await listAll({});
    expect(pages).toBe(Math.ceil(KEYS.length / 1000));
    expect(items.map((i) => i.value)).toEqual([...KEYS].sort(byteOrder));
    const order = items.map((i) => i.value);
    expect(order.indexOf("\uFF61")).toBeLessThan(order.indexOf("😀"));
    expect(order.indexOf(EDGE)).toBe(order.indexOf(EDGE + "a") - 1);
  });

  it.each<ListObjectsOptions>([
    { delimiter: "/" },
    { delimiter: "/", maxKeys: 3 },
    { prefix: "logs/", delimiter: "/" },
    { prefix: "logs/2021/", delimiter: "/", maxKeys: 5 },
    { prefix: "logs/2021/0", delimiter: "/", maxKeys: 4 },
    { prefix: "logs/2022/07/", maxKeys: 37 },
    { prefix: "photos/", delimiter: "/", maxKeys: 2 },
    { prefix: "deep/", maxKeys: 7 },
    { prefix: "deep/", delimiter: "/" },
    { prefix: "deep/" + "d".repeat(150) + "/", delimiter: "/", maxKeys: 4 },
    { prefix: "e".repeat(99), delimiter: "/", maxKeys: 1 },
    { prefix: "e".repeat(99), maxKeys: 2 },
    { prefix: "dash-", delimiter: "-0", maxKeys: 3 },
    { delimiter: "0" , maxKeys: 50 },
    { prefix: "a", delimiter: "/" },
    { prefix: "no-such-prefix/" },
    { startAfter: "logs/2023/11/event-02399.json" },
    { startAfter: "logs/2021", delimiter: "/", maxKeys: 2 },
    { startAfter: "photos/img 5.jpg", prefix: "photos/", maxKeys: 10 },
    { startAfter: "deep/" + "d".repeat(150) + "/" + "x".repeat(70), prefix: "deep/" },
    { startAfter: "é" },
    { maxKeys: 700 },
    { maxKeys: 5000 },
  ])("pages through %j like S3", async (options) => {
    const { items } = await listAll(options);
    expect(items).toEqual(expected(options));
  });

  it("counts common prefixes against maxKeys", async () => {
    const page = await store.listObjects("listing", { prefix: "logs/", delimiter: "/", maxKeys: 2 });
    expect(page.objects).toEqual([]);
    expect(page.commonPrefixes).toEqual(["logs/2020/", "logs/2021/"]);
    expect(page.isTruncated).toBe(true);
    const next = await store.listObjects("listing", { prefix: "logs/", delimiter: "/", maxKeys: 2, continuationToken: page.nextContinuationToken });
    expect(next.commonPrefixes).toEqual(["logs/2022/", "logs/2023/"]);
    expect(next.isTruncated).toBe(false);
  });

  it("answers maxKeys 0 with nothing and not truncated", async () => {
    expect(await store.listObjects("listing", { maxKeys: 0 })).toEqual({ objects: [], commonPrefixes: [], isTruncated: false, nextContinuationToken: undefined });
  });

  it("refuses a bad continuation token or maxKeys, and a missing bucket", async () => {
    await expectAppError(store.listObjects("listing", { continuationToken: "garbage!" }), "InvalidArgument");
    await expectAppError(store.listObjects("listing", { continuationToken: "" }), "InvalidArgument");
    await expectAppError(store.listObjects("listing", { maxKeys: -1 }), "InvalidArgument");
    await expectAppError(store.listObjects("listing", { maxKeys: 1.5 }), "InvalidArgument");
    await expectAppError(store.listObjects("missing-bucket", {}), "NoSuchBucket");
  });

  it("lists a page of 1000 out of ~2,500 keys quickly", async () => {
    const started = performance.now();
    const { pages } = await listAll({});
    const elapsed = performance.now() - started;
    expect(pages).toBe(3);
    // Generous for slow CI disks; an implementation that rereads every object per page takes far longer.
    expect(elapsed).toBeLessThan(5_000);
  });

  it("reflects puts and deletes immediately", async () => {
    await store.putObject("listing", "logs/2020/00/zzz-new", body("n"), {});
    expect((await store.listObjects("listing", { prefix: "logs/2020/00/zzz" })).objects.map((o) => o.key)).toEqual(["logs/2020/00/zzz-new"]);
    await store.deleteObject("listing", "logs/2020/00/zzz-new");
    expect((await store.listObjects("listing", { prefix: "logs/2020/00/zzz" })).objects).toEqual([]);
  });
});
