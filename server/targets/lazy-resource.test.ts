import { describe, expect, it } from "vitest";
import { LazyResource } from "./lazy-resource.ts";

describe("LazyResource", () => {
  it("builds once on first use and shares one build between concurrent callers", async () => {
    let builds = 0;
    const lazy = new LazyResource(async () => ({ n: ++builds }), () => undefined);
    expect(lazy.current).toBeUndefined();
    const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
    expect(a).toBe(b);
    expect(await lazy.get()).toBe(a);
    expect(builds).toBe(1);
  });

  it("retries a failed build on the next use", async () => {
    let attempt = 0;
    const lazy = new LazyResource(async () => {
      attempt += 1;
      if (attempt === 1) throw new Error("tls.caFile: cannot read");
      return "pool";
    }, () => undefined);
    await expect(lazy.get()).rejects.toThrow("tls.caFile");
    expect(await lazy.get()).toBe("pool");
  });

  it("refuses use after close and disposes of a build that finishes after close", async () => {
    const disposed: string[] = [];
    let finish: (v: string) => void = () => undefined;
    const lazy = new LazyResource(() => new Promise<string>((resolve) => (finish = resolve)), (v) => void disposed.push(v));
    const pending = lazy.get();
    const closing = lazy.close();
    finish("late");
    await expect(pending).rejects.toThrow("closed");
    expect(await closing).toBeUndefined();
    expect(disposed).toEqual(["late"]);
    await expect(lazy.get()).rejects.toThrow("closed");
    expect(lazy.isClosed).toBe(true);
  });

  it("hands back the built resource on close", async () => {
    const lazy = new LazyResource(async () => "client", () => undefined);
    await lazy.get();
    expect(await lazy.close()).toBe("client");
  });

  it("discards a dead resource, handing it back, and builds a new one on the next use", async () => {
    let builds = 0;
    const lazy = new LazyResource(async () => `session-${++builds}`, () => undefined, "amqp: target is closed");
    expect(await lazy.get()).toBe("session-1");
    expect(lazy.discard()).toBe("session-1");
    expect(lazy.current).toBeUndefined();
    expect(await lazy.get()).toBe("session-2");
    await lazy.close();
    await expect(lazy.get()).rejects.toThrow("amqp: target is closed");
  });
});
