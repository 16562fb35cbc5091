import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.ts";
import { Emitter } from "./emitter.ts";
import type { AcceptedEvent, EventSink, NewEvent } from "./new-event.ts";

/** An in-memory sink that accepts in order, or refuses when told to. */
class MemorySink implements EventSink {
  readonly accepted: NewEvent[] = [];
  failWith: Error | undefined;
  #seq = 100;

  async submit(events: readonly NewEvent[]): Promise<AcceptedEvent[]> {
    if (this.failWith) throw this.failWith;
    this.accepted.push(...events);
    return events.map(() => {
      this.#seq += 1;
      return { id: `evt-${this.#seq}`, seq: this.#seq, matched: 1 };
    });
  }
}

const NOW = Date.UTC(2024, 0, 1, 0, 0, 0, 7);

function setup(enabled = true) {
  const sink = new MemorySink();
  const emitter = new Emitter({ sink, region: "us-east-1", clock: () => NOW, enabled });
  return { sink, emitter };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("Emitter", () => {
  it("emits an object-created event (default Put) and resolves with the acceptance", async () => {
    const { sink, emitter } = setup();
    const accepted = await emitter.emitObjectCreated({ bucket: "b", key: "dir/a b.txt", size: 5, eTag: '"e"', contentType: "text/plain" });
    expect(accepted).toEqual({ id: "evt-101", seq: 101, matched: 1 });
    const [event] = sink.accepted;
    expect(event?.eventName).toBe("s3:ObjectCreated:Put");
    expect(event?.source).toBe("emitter");
    expect(event?.eventTime).toBe(NOW);
    expect(event?.record.awsRegion).toBe("us-east-1");
    expect(event?.record.s3.object).toMatchObject({ key: "dir/a+b.txt", size: 5, eTag: "e", contentType: "text/plain" });
    expect(emitter.stats()).toEqual({ emitted: 1, failed: 0, dropped: 0 });
  });

  it("emits removal and tagging events with their defaults", async () => {
    const { sink, emitter } = setup();
    await emitter.emitObjectRemoved({ bucket: "b", key: "k", versionId: "v9" });
    await emitter.emitObjectTagging({ bucket: "b", key: "k", eventName: "s3:ObjectTagging:Delete" });
    expect(sink.accepted.map((e) => e.eventName)).toEqual(["s3:ObjectRemoved:Delete", "s3:ObjectTagging:Delete"]);
    expect(sink.accepted[0]?.record.s3.object).toEqual({ key: "k", versionId: "v9", sequencer: "" });
    expect(sink.accepted[1]?.record.eventVersion).toBe("2.3");
  });

  it.each([
    ["emitObjectCreated", "s3:ObjectRemoved:Delete"],
    ["emitObjectRemoved", "s3:ObjectCreated:Put"],
    ["emitObjectTagging", "s3:ObjectAcl:Put"],
  ] as const)("refuses %s with %s as InvalidEventName", async (method, eventName) => {
    const { sink, emitter } = setup();
    const error = await rejection(emitter[method]({ bucket: "b", key: "k", size: 1, eTag: "e", eventName }));
    expect(error.code).toBe("InvalidEventName");
    expect(error.field).toBe("eventName");
    expect(sink.accepted).toEqual([]);
    expect(emitter.stats().failed).toBe(1);
  });

  it("refuses an unknown event name and invalid fields", async () => {
    const { emitter } = setup();
    const unknown = await rejection(emitter.emitObjectCreated({ bucket: "b", key: "k", size: 1, eTag: "e", eventName: "s3:Nope" as never }));
    expect(unknown.code).toBe("InvalidEventName");
    const badBucket = await rejection(emitter.emitObjectCreated({ bucket: "a/b", key: "k", size: 1, eTag: "e" }));
    expect(badBucket.field).toBe("bucket");
    expect(emitter.stats()).toEqual({ emitted: 0, failed: 2, dropped: 0 });
  });

  it("emits built events and inputs together in one submission", async () => {
    const { sink, emitter } = setup();
    const first = await emitter.emitObjectCreated({ bucket: "b", key: "one", size: 1, eTag: "e" });
    expect(first?.seq).toBe(101);
    const rebuilt = sink.accepted[0] as NewEvent;
    const accepted = await emitter.emit([rebuilt, { eventName: "s3:ObjectAccessed:Get", bucket: "b", key: "two" }]);
    expect(accepted.map((a) => a.seq)).toEqual([102, 103]);
    expect(sink.accepted[2]?.record.eventName).toBe("s3:ObjectAccessed:Get");
    expect(emitter.stats().emitted).toBe(3);
  });

  it("rejects and counts failures when the sink refuses", async () => {
    const { sink, emitter } = setup();
    sink.failWith = new AppError("ShuttingDown", "closing");
    const error = await rejection(emitter.emit([{ eventName: "s3:ObjectCreated:Put", bucket: "b", key: "k" }, { eventName: "s3:ObjectCreated:Put", bucket: "b", key: "l" }]));
    expect(error.code).toBe("ShuttingDown");
    expect(emitter.stats()).toEqual({ emitted: 0, failed: 2, dropped: 0 });
  });

  it("drops everything when disabled, without touching the sink", async () => {
    const { sink, emitter } = setup(false);
    expect(emitter.isEnabled()).toBe(false);
    expect(await emitter.emitObjectCreated({ bucket: "b", key: "k", size: 1, eTag: "e" })).toBeNull();
    expect(await emitter.emit([{ eventName: "s3:ObjectCreated:Put", bucket: "b", key: "k" }])).toEqual([]);
    expect(sink.accepted).toEqual([]);
    expect(emitter.stats()).toEqual({ emitted: 0, failed: 0, dropped: 2 });
  });
});
