import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import type { ClientToServerEvents, EventsMessage, ServerToClientEvents, SubscribeAck } from "../live/live-protocol.ts";
import { startTestApi, TEST_TOKEN, type TestApi } from "../../test/support/test-http.ts";
import { waitUntil } from "../../test/support/test-herald.ts";

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let api: TestApi;
const sockets: LiveSocket[] = [];

function open(token: string | undefined): LiveSocket {
  const socket: LiveSocket = connect(`${api.url}/live`, { transports: ["websocket"], reconnection: false, auth: token === undefined ? {} : { token } });
  sockets.push(socket);
  return socket;
}

function subscribe(socket: LiveSocket, request: Parameters<ClientToServerEvents["subscribe"]>[0]): Promise<SubscribeAck> {
  return new Promise((resolve) => socket.emit("subscribe", request, resolve));
}

async function emit(events: { bucket: string; key: string; eventName: string }[]) {
  const res = await api.call("POST", "/api/v1/events", { body: { events } });
  expect(res.status).toBe(202);
  return res.json.events as { id: string; seq: number }[];
}

beforeAll(async () => {
  api = await startTestApi({ HERALD_LIVE_HISTORY: "16" });
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await api.stop();
});

describe("the /live Socket.IO namespace of the real server", () => {
  it("refuses a connection without the API token", async () => {
    const socket = open(undefined);
    const error = await new Promise<Error>((resolve) => socket.on("connect_error", resolve));
    expect(error.message).toContain("Unauthorized");
    const wrong = open("nope");
    expect((await new Promise<Error>((resolve) => wrong.on("connect_error", resolve))).message).toContain("Unauthorized");
  });

  it("streams emitted events that pass the filter, and catches up from a seq without duplicates", async () => {
    const socket = open(TEST_TOKEN);
    const received: EventsMessage["events"] = [];
    socket.on("events", (m) => received.push(...m.events));
    const ack = await subscribe(socket, { filter: { bucket: "live", eventPattern: "s3:ObjectCreated:*" } });
    expect(ack.ok).toBe(true);
    const emitted = await emit([
      { bucket: "live", key: "a", eventName: "s3:ObjectCreated:Put" },
      { bucket: "other", key: "b", eventName: "s3:ObjectCreated:Put" },
      { bucket: "live", key: "c", eventName: "s3:ObjectRemoved:Delete" },
      { bucket: "live", key: "d", eventName: "s3:ObjectCreated:Copy" },
    ]);
    await waitUntil(() => received.length >= 2, "live events");
    expect(received.map((e) => e.key)).toEqual(["a", "d"]);

    // A client that was away asks from the seq it had: it gets what it missed, once.
    const late = open(TEST_TOKEN);
    const caught: EventsMessage["events"] = [];
    late.on("events", (m) => caught.push(...m.events));
    await subscribe(late, { filter: {}, fromSeq: emitted[0]!.seq });
    const more = await emit([{ bucket: "live", key: "e", eventName: "s3:ObjectCreated:Put" }]);
    await waitUntil(() => caught.length >= 4, "catch-up and live");
    await new Promise((r) => setTimeout(r, 150));
    expect(caught.map((e) => e.seq)).toEqual([emitted[1]!.seq, emitted[2]!.seq, emitted[3]!.seq, more[0]!.seq]);
  });

  it("marks a gap when asked for events the history no longer holds", async () => {
    const first = await emit([{ bucket: "gap", key: "0", eventName: "s3:ObjectCreated:Put" }]);
    await emit(Array.from({ length: 40 }, (_, i) => ({ bucket: "gap", key: String(i + 1), eventName: "s3:ObjectCreated:Put" })));
    const socket = open(TEST_TOKEN);
    const gaps: { fromSeq: number; toSeq: number; reason: string }[] = [];
    socket.on("gap", (g) => gaps.push(g));
    await subscribe(socket, { filter: { bucket: "gap" }, fromSeq: first[0]!.seq });
    await waitUntil(() => gaps.length > 0, "gap marker");
    expect(gaps[0]).toMatchObject({ reason: "history-evicted", fromSeq: first[0]!.seq + 1 });
  });
});
