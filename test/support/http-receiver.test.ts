import https from "node:https";
import { afterEach, describe, expect, it } from "vitest";
import { createTestCertificates, startHttpReceiver, type HttpReceiver } from "./http-receiver.ts";

const started: HttpReceiver[] = [];

async function receiver(...args: Parameters<typeof startHttpReceiver>): Promise<HttpReceiver> {
  const r = await startHttpReceiver(...args);
  started.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((r) => r.stop()));
});

describe("http receiver", () => {
  it("records requests with their parsed JSON body and answers 200 by default", async () => {
    const r = await receiver();
    const res = await fetch(r.url, { method: "POST", headers: { "content-type": "application/json", "x-a": "1" }, body: JSON.stringify({ hello: "world" }) });
    expect(res.status).toBe(200);
    const [request] = await r.waitFor(1);
    expect(request).toMatchObject({ n: 1, method: "POST", path: "/hook", body: { hello: "world" }, rawBody: '{"hello":"world"}' });
    expect(request?.headers["x-a"]).toBe("1");
    await fetch(`${r.origin}/plain`, { method: "POST", body: "not json" });
    expect((await r.waitFor(2))[1]).toMatchObject({ n: 2, path: "/plain", body: undefined, rawBody: "not json" });
  });

  it("answers as the responder says, also late, and can be changed", async () => {
    const r = await receiver({ respond: (_req, body, n) => ({ status: 201, headers: { "x-n": String(n) }, body: JSON.stringify(body) }) });
    const first = await fetch(r.url, { method: "POST", body: "[1]" });
    expect(first.status).toBe(201);
    expect(first.headers.get("x-n")).toBe("1");
    expect(await first.text()).toBe("[1]");
    r.setResponder(() => new Promise((resolve) => setTimeout(() => resolve({ status: 503, headers: { "retry-after": "3" } }), 50)));
    const second = await fetch(r.url, { method: "POST", body: "{}" });
    expect(second.status).toBe(503);
    expect(second.headers.get("retry-after")).toBe("3");
    r.setResponder(undefined);
    expect((await fetch(r.url, { method: "POST" })).status).toBe(200);
  });

  it("rejects waitFor after the timeout", async () => {
    const r = await receiver();
    await expect(r.waitFor(1, 50)).rejects.toThrow("receiver got 0 of 1 requests within 50 ms");
  });

  it("goes down and comes back on the same port", async () => {
    const r = await receiver();
    await fetch(r.url, { method: "POST" });
    await r.stop();
    expect(r.running).toBe(false);
    await expect(fetch(r.url, { method: "POST" })).rejects.toThrow();
    await r.start();
    expect(r.running).toBe(true);
    expect((await fetch(r.url, { method: "POST" })).status).toBe(200);
    expect(r.requests).toHaveLength(2);
    r.reset();
    expect(r.requests).toHaveLength(0);
    expect(r.connections).toBe(0);
  });

  it("serves HTTPS with a certificate from a CA made by openssl", async () => {
    const certs = createTestCertificates();
    try {
      const r = await receiver({ tls: { key: certs.key, cert: certs.cert } });
      expect(r.origin.startsWith("https://127.0.0.1:")).toBe(true);
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const req = https.request(r.url, { method: "POST", ca: certs.ca }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on("error", reject);
        req.end("{}");
      });
      expect(status).toBe(200);
      expect(r.connections).toBe(1);
    } finally {
      certs.remove();
    }
  });
});
