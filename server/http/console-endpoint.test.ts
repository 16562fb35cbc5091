import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect } from "socket.io-client";
import type { ConsoleSocket } from "../../components/providers/console-socket.ts";
import type { EventsMessage, SubscribeAck } from "../live/live-protocol.ts";
import type { StatsTick } from "../live/console-protocol.ts";
import { startTestApi, type TestApi } from "../../test/support/test-http.ts";
import { startHttpReceiver, type HttpReceiver } from "../../test/support/http-receiver.ts";
import { waitUntil } from "../../test/support/test-herald.ts";

const PASSWORD = "correct horse battery";
let api: TestApi;
let receiver: HttpReceiver;
const sockets: ConsoleSocket[] = [];

interface TrpcResponse {
  status: number;
  setCookies: string[];
  body: any;
}

/** Calls one tRPC procedure over real HTTP as the browser does (GET for queries, POST for mutations). */
async function trpc(kind: "query" | "mutation", path: string, input: unknown, headers: Record<string, string> = {}): Promise<TrpcResponse> {
  const url =
    kind === "query"
      ? `${api.url}/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`
      : `${api.url}/trpc/${path}`;
  const res = await fetch(url, {
    method: kind === "query" ? "GET" : "POST",
    headers: { ...(kind === "mutation" ? { "content-type": "application/json" } : {}), ...headers },
    ...(kind === "mutation" ? { body: JSON.stringify(input ?? null) } : {}),
  });
  return { status: res.status, setCookies: res.headers.getSetCookie(), body: await res.json() };
}

async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const res = await trpc("mutation", "auth.signIn", { user: "root", password: PASSWORD });
  expect(res.status).toBe(200);
  const pairs = res.setCookies.map((c) => c.split(";")[0]!);
  const csrf = decodeURIComponent(pairs.find((p) => p.startsWith("herald_csrf="))!.slice("herald_csrf=".length));
  return { cookie: pairs.join("; "), csrf };
}

function openSocket(headers: Record<string, string>): ConsoleSocket {
  const socket: ConsoleSocket = connect(`${api.url}/console`, { transports: ["websocket"], reconnection: false, extraHeaders: headers });
  sockets.push(socket);
  return socket;
}

beforeAll(async () => {
  api = await startTestApi({ HERALD_ROOT_USER: "root", HERALD_ROOT_PASSWORD: PASSWORD }, { console: true });
  receiver = await startHttpReceiver();
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await api.stop();
  await receiver.stop();
});

describe("console sign-in and the tRPC endpoint", () => {
  it("answers every console procedure with 401 until signed in, and says who is signed in after", async () => {
    expect((await trpc("query", "auth.session", undefined)).body.result.data).toBeNull();
    const refused = await trpc("query", "targets.list", undefined);
    expect(refused.status).toBe(401);
    expect(refused.body.error.data.appCode).toBe("Unauthorized");

    const { cookie } = await signIn();
    expect(cookie).toContain("herald_session=");
    const session = await trpc("query", "auth.session", undefined, { cookie });
    expect(session.body.result.data.user).toBe("root");
    expect((await trpc("query", "targets.list", undefined, { cookie })).status).toBe(200);
  });

  it("sets the session cookie httpOnly and SameSite=Strict, and the CSRF cookie readable by the page", async () => {
    const res = await trpc("mutation", "auth.signIn", { user: "root", password: PASSWORD });
    const session = res.setCookies.find((c) => c.startsWith("herald_session="))!;
    const csrf = res.setCookies.find((c) => c.startsWith("herald_csrf="))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(csrf).not.toMatch(/HttpOnly/);
  });

  it("refuses a wrong password or user with one message that names neither", async () => {
    for (const attempt of [{ user: "root", password: "wrong password" }, { user: "nobody", password: PASSWORD }]) {
      const res = await trpc("mutation", "auth.signIn", attempt);
      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe("wrong user name or password");
      expect(res.setCookies).toEqual([]);
    }
  });

  it("reports an empty sign-in field on that field", async () => {
    const res = await trpc("mutation", "auth.signIn", { user: "", password: "x" });
    expect(res.status).toBe(400);
    expect(res.body.error.data.field).toBe("user");
  });

  it("refuses mutations without the session's CSRF token or from another origin", async () => {
    const { cookie, csrf } = await signIn();
    const input = { id: "csrf-hook", type: "webhook", config: { endpoint: receiver.url } };
    const missing = await trpc("mutation", "targets.create", input, { cookie });
    expect(missing.status).toBe(403);
    const wrong = await trpc("mutation", "targets.create", input, { cookie, "x-herald-csrf": "not-the-token" });
    expect(wrong.status).toBe(403);
    const crossOrigin = await trpc("mutation", "targets.create", input, { cookie, "x-herald-csrf": csrf, origin: "http://evil.example" });
    expect(crossOrigin.status).toBe(403);
    expect((await trpc("query", "targets.list", undefined, { cookie })).body.result.data).toEqual([]);
    const ok = await trpc("mutation", "targets.create", input, { cookie, "x-herald-csrf": csrf, origin: api.url });
    expect(ok.status).toBe(200);
    expect(ok.body.result.data.arn).toBe("arn:herald:sqs:us-east-1:csrf-hook:webhook");
  });

  it("signs out: the session no longer works", async () => {
    const { cookie, csrf } = await signIn();
    expect((await trpc("mutation", "auth.signOut", null, { cookie, "x-herald-csrf": csrf })).status).toBe(200);
    expect((await trpc("query", "targets.list", undefined, { cookie })).status).toBe(401);
  });

  it("maps domain errors to their HTTP status and names a rule's own field", async () => {
    const { cookie, csrf } = await signIn();
    const headers = { cookie, "x-herald-csrf": csrf };
    const unknownTarget = await trpc("mutation", "buckets.saveRule", { bucket: "photos", rule: { id: "r1", events: ["s3:ObjectCreated:*"], targetArns: ["arn:herald:sqs:us-east-1:nope:webhook"] } }, headers);
    expect(unknownTarget.status).toBe(400);
    expect(unknownTarget.body.error.data).toMatchObject({ appCode: "TargetArnNotFound", field: "targetArns[0]" });
    const badEvent = await trpc("mutation", "buckets.saveRule", { bucket: "photos", rule: { id: "r1", events: ["s3:ObjectMade:*"], targetArns: [] } }, headers);
    expect(badEvent.body.error.data.appCode).toBe("InvalidEventName");
    expect(badEvent.body.error.data.field).toMatch(/^events/);
    const missing = await trpc("query", "targets.get", { arn: "arn:herald:sqs:us-east-1:ghost:webhook" }, { cookie });
    expect(missing.status).toBe(404);
  });

  it("saves, replaces in place and deletes rules", async () => {
    const { cookie, csrf } = await signIn();
    const headers = { cookie, "x-herald-csrf": csrf };
    const arn = "arn:herald:sqs:us-east-1:csrf-hook:webhook";
    await trpc("mutation", "buckets.saveRule", { bucket: "docs", rule: { id: "a", events: ["s3:ObjectCreated:*"], prefix: "a/", targetArns: [arn] } }, headers);
    await trpc("mutation", "buckets.saveRule", { bucket: "docs", rule: { id: "b", events: ["s3:ObjectRemoved:*"], targetArns: [arn] } }, headers);
    const replaced = await trpc("mutation", "buckets.saveRule", { bucket: "docs", replacing: "a", rule: { id: "a2", events: ["s3:ObjectCreated:Put"], suffix: ".pdf", targetArns: [arn] } }, headers);
    expect(replaced.body.result.data.rules.map((r: { id: string }) => r.id)).toEqual(["a2", "b"]);
    const deleted = await trpc("mutation", "buckets.deleteRule", { bucket: "docs", ruleId: "b" }, headers);
    expect(deleted.body.result.data.rules.map((r: { id: string }) => r.id)).toEqual(["a2"]);
    const gone = await trpc("mutation", "buckets.deleteRule", { bucket: "docs", ruleId: "b" }, headers);
    expect(gone.status).toBe(404);
  });

  it("previews an XML import without applying it, and an invalid rule changes nothing", async () => {
    const { cookie, csrf } = await signIn();
    const headers = { cookie, "x-herald-csrf": csrf };
    const before = (await trpc("query", "buckets.config", { bucket: "docs" }, { cookie })).body.result.data;
    const xml = (id: string, arn: string) =>
      `<NotificationConfiguration><QueueConfiguration><Id>${id}</Id><Queue>${arn}</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>`;
    const preview = await trpc("mutation", "buckets.previewXml", { bucket: "docs", xml: xml("x1", "arn:herald:sqs:us-east-1:csrf-hook:webhook") }, headers);
    expect(preview.body.result.data.next.rules.map((r: { id: string }) => r.id)).toEqual(["x1"]);
    expect(preview.body.result.data.current).toEqual(before);
    const invalid = await trpc("mutation", "buckets.importXml", { bucket: "docs", xml: xml("x1", "arn:herald:sqs:us-east-1:missing:webhook") }, headers);
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.data.appCode).toBe("TargetArnNotFound");
    expect((await trpc("query", "buckets.config", { bucket: "docs" }, { cookie })).body.result.data).toEqual(before);
  });
});

describe("the /console Socket.IO namespace", () => {
  it("refuses a socket without a session, and one from another origin even with a session", async () => {
    const anonymous = openSocket({});
    expect((await new Promise<Error>((resolve) => anonymous.on("connect_error", resolve))).message).toContain("Unauthorized");
    const { cookie } = await signIn();
    const foreign = openSocket({ cookie, origin: "http://evil.example" });
    expect((await new Promise<Error>((resolve) => foreign.on("connect_error", resolve))).message).toContain("Forbidden");
  });

  it("streams live events filtered by outcome and sends stats ticks to a signed-in browser", async () => {
    const { cookie } = await signIn();
    const socket = openSocket({ cookie, origin: api.url });
    const received: EventsMessage["events"] = [];
    socket.on("events", (m) => received.push(...m.events));
    const ticks: StatsTick[] = [];
    socket.on("stats", (tick) => ticks.push(tick));
    const ack = await new Promise<SubscribeAck>((resolve) => socket.emit("subscribe", { filter: { bucket: "docs", outcome: "matched" } }, resolve));
    expect(ack.ok).toBe(true);
    socket.emit("watchStats", true);
    const res = await api.call("POST", "/api/v1/events", {
      body: { events: [{ bucket: "docs", key: "unmatched.txt", eventName: "s3:ObjectRemoved:Delete" }, { bucket: "docs", key: "hit.pdf", eventName: "s3:ObjectCreated:Put" }] },
    });
    expect(res.status).toBe(202);
    await waitUntil(() => received.length >= 1 && ticks.length >= 1, "a live event and a stats tick");
    expect(received.map((e) => [e.key, e.matched])).toEqual([["hit.pdf", 1]]);
    expect(ticks[0]!.targets.map((t) => t.arn)).toContain("arn:herald:sqs:us-east-1:csrf-hook:webhook");
  });
});
