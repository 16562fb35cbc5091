import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import type { ConsoleSocket } from "../../components/providers/console-socket.ts";
import { startTestApi, type TestApi } from "../../test/support/test-http.ts";
import { waitUntil } from "../../test/support/test-herald.ts";
import { csvRows } from "../query/query-test-support.ts";
import type { RunQueryInput } from "../query/query-input.ts";
import type { QueryRunAck } from "./console-protocol.ts";

const PASSWORD = "correct horse battery";
let api: TestApi;
const sockets: ConsoleSocket[] = [];

async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${api.url}/trpc/auth.signIn`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: "root", password: PASSWORD }) });
  const pairs = res.headers.getSetCookie().map((c) => c.split(";")[0]!);
  const csrf = decodeURIComponent(pairs.find((p) => p.startsWith("herald_csrf="))!.slice("herald_csrf=".length));
  return { cookie: pairs.join("; "), csrf };
}

async function openSocket(): Promise<ConsoleSocket> {
  const { cookie } = await signIn();
  const socket: ConsoleSocket = connect(`${api.url}/console`, { transports: ["websocket"], reconnection: false, extraHeaders: { cookie, origin: api.url } });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

function run(socket: ConsoleSocket, input: RunQueryInput): Promise<QueryRunAck> {
  return new Promise((resolve) => socket.emit("query:run", input, resolve));
}

/** Everything the socket receives about query `id()`, in order. */
function collect(socket: ConsoleSocket, id: () => string | undefined) {
  const got = { order: [] as string[], rows: [] as Record<string, unknown>[], messages: {} as Record<string, any[]> };
  for (const event of ["query:columns", "query:rows", "query:progress", "query:stats", "query:end", "query:error"] as const) {
    socket.on(event, (message: any) => {
      if (message.id !== id()) return;
      got.order.push(event);
      (got.messages[event] ??= []).push(message);
      if (event === "query:rows") got.rows.push(...message.rows);
    });
  }
  return got;
}

const csv = (key: string, expression: string): RunQueryInput => ({ bucket: "lake", key, expression, input: { CSV: { FileHeaderInfo: "USE" } } });

beforeAll(async () => {
  api = await startTestApi({ HERALD_ROOT_USER: "root", HERALD_ROOT_PASSWORD: PASSWORD }, { console: true });
  const store = api.herald.store;
  await store.createBucket("lake");
  await store.putObject("lake", "people.csv", Readable.from([Buffer.from("id,name,city\n1,ann,Oslo\n2,bob,Rome\n3,cy,Oslo\n")]), {});
  await store.putObject("lake", "big.csv", Readable.from(csvRows(600_000)), {});
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await api.stop();
});

describe("the query console over the /console socket", () => {
  it("runs a query: an id, then columns, rows, progress, stats and end tagged with it", async () => {
    const socket = await openSocket();
    let id: string | undefined;
    const got = collect(socket, () => id);
    const ack = await run(socket, csv("people.csv", "SELECT s.id, s.name FROM S3Object s WHERE s.city = 'Oslo'"));
    expect(ack.ok).toBe(true);
    id = ack.ok ? ack.id : undefined;
    await waitUntil(() => got.order.includes("query:end"), "query:end");
    expect(got.rows).toEqual([
      { id: "1", name: "ann" },
      { id: "3", name: "cy" },
    ]);
    expect(got.messages["query:columns"]!.at(-1).columns).toEqual([
      { name: "id", type: "string" },
      { name: "name", type: "string" },
    ]);
    expect(got.messages["query:stats"]![0]).toMatchObject({ id, rows: 2, bytesScanned: 45, objectSize: 45 });
    expect(got.messages["query:end"]![0]).toMatchObject({ id, status: "ok", rows: 2, truncatedRows: 0 });
    expect(got.order.at(-1)).toBe("query:end");
  });

  it("reports a query error with its code and position", async () => {
    const socket = await openSocket();
    let id: string | undefined;
    const got = collect(socket, () => id);
    const ack = await run(socket, csv("people.csv", "SELECT FROM S3Object"));
    id = ack.ok ? ack.id : undefined;
    await waitUntil(() => got.order.includes("query:error"), "query:error");
    expect(got.messages["query:error"]![0].error).toMatchObject({ code: expect.stringMatching(/^Parse/), position: { line: 1, column: 8 } });
    expect(got.order).not.toContain("query:end");
  });

  it("refuses an invalid payload in the ack, naming the field", async () => {
    const socket = await openSocket();
    const ack = await run(socket, { bucket: "lake", key: "people.csv", expression: "", input: { CSV: {} } });
    expect(ack).toMatchObject({ ok: false, error: { code: "ValidationError" } });
    if (!ack.ok) expect(ack.error.message).toMatch(/expression/);
  });

  it("cancels a scan of a large object mid-way: the cancel is acknowledged and nothing follows", async () => {
    const socket = await openSocket();
    let id: string | undefined;
    const got = collect(socket, () => id);
    const ack = await run(socket, csv("big.csv", "SELECT * FROM S3Object s WHERE s.name = 'nobody'"));
    id = ack.ok ? ack.id : undefined;
    await waitUntil(() => (got.messages["query:progress"] ?? []).some((p) => p.bytesScanned > 0), "progress past the start");
    const cancel = await new Promise((resolve) => socket.emit("query:cancel", { id: id! }, resolve));
    expect(cancel).toEqual({ ok: true, status: "cancelled" });
    const seen = got.order.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(got.order.length).toBe(seen);
    expect(got.order).not.toContain("query:end");
    expect(got.order).not.toContain("query:error");
    const last = got.messages["query:progress"]!.at(-1);
    expect(last.bytesScanned).toBeLessThan(last.objectSize);
  });

  it("refuses a socket without a session", async () => {
    const anonymous: ConsoleSocket = connect(`${api.url}/console`, { transports: ["websocket"], reconnection: false, extraHeaders: { origin: api.url } });
    sockets.push(anonymous);
    expect((await new Promise<Error>((resolve) => anonymous.on("connect_error", resolve))).message).toContain("Unauthorized");
  });
});

describe("the query console's tRPC procedures and download route", () => {
  it("lists buckets and objects, keeps history per user, and saves queries", async () => {
    const { cookie, csrf } = await signIn();
    const get = async (path: string, input?: unknown) => {
      const res = await fetch(`${api.url}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`, { headers: { cookie } });
      return (await res.json()).result.data;
    };
    expect((await get("query.buckets")).map((b: { name: string }) => b.name)).toEqual(["lake"]);
    expect((await get("query.objects", { bucket: "lake", prefix: "pe" })).objects.map((o: { key: string }) => o.key)).toEqual(["people.csv"]);
    expect(await get("query.guessInput", { bucket: "lake", key: "people.csv" })).toEqual({ CSV: { FileHeaderInfo: "USE" }, CompressionType: "NONE" });
    const history = await get("query.history");
    expect(history.map((r: { status: string }) => r.status)).toEqual(expect.arrayContaining(["ok", "error", "cancelled"]));
    const save = await fetch(`${api.url}/trpc/query.save`, {
      method: "POST",
      headers: { cookie, "x-herald-csrf": csrf, origin: api.url, "content-type": "application/json" },
      body: JSON.stringify({ name: "oslo", expression: "SELECT * FROM S3Object s WHERE s.city = 'Oslo'", input: { CSV: { FileHeaderInfo: "USE" } }, bucket: "lake", key: "people.csv" }),
    });
    expect(save.status).toBe(200);
    expect((await get("query.saved")).map((q: { name: string }) => q.name)).toEqual(["oslo"]);
    expect((await fetch(`${api.url}/trpc/query.buckets`)).status).toBe(401);
  });

  it("downloads every result as CSV for a signed-in browser only", async () => {
    const { cookie } = await signIn();
    const params = new URLSearchParams({ bucket: "lake", key: "people.csv", expression: "SELECT s.name, s.city FROM S3Object s", input: JSON.stringify({ CSV: { FileHeaderInfo: "USE" } }), format: "csv" });
    const res = await fetch(`${api.url}/download/query?${params}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="people.csv-results.csv"');
    expect(await res.text()).toBe("name,city\r\nann,Oslo\r\nbob,Rome\r\ncy,Oslo\r\n");
    expect((await fetch(`${api.url}/download/query?${params}`)).status).toBe(401);
    params.set("expression", "SELEC");
    const bad = await fetch(`${api.url}/download/query?${params}`, { headers: { cookie } });
    expect(bad.status).toBe(400);
  });
});
