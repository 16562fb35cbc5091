import { AppError } from "../errors/app-error.ts";
import { toNewEvent, type RecordInput } from "./build-record.ts";
import { parseEmitEvent } from "./emit-input.ts";
import { EVENT_CATEGORIES, categoryOf, parseEventName, type EventCategory, type EventName } from "./event-names.ts";
import type { AcceptedEvent, EventSink, NewEvent } from "./new-event.ts";

export interface EmitterOptions {
  sink: EventSink;
  region: string;
  /** Milliseconds since the epoch. */
  clock: () => number;
  /** When false every emit is a no-op that resolves to null / []: notifications switched off. */
  enabled?: boolean;
}

export interface EmitterStats {
  /** Events the sink durably accepted. */
  emitted: number;
  /** Events refused by validation or lost with a failing sink. */
  failed: number;
  /** Events ignored because the emitter is disabled. */
  dropped: number;
}

/** Fields every object operation shares. */
interface ObjectOperation {
  bucket: string;
  key: string;
  versionId?: string;
  principalId?: string;
  requestId?: string;
  sourceIp?: string;
  source?: { host?: string; port?: string | number; userAgent?: string };
  sequencer?: string;
}

export interface ObjectCreatedArgs extends ObjectOperation {
  /** Default s3:ObjectCreated:Put; must be an s3:ObjectCreated:* name. */
  eventName?: EventName;
  size: number;
  eTag: string;
  contentType?: string;
  metadata?: Record<string, string>;
}

export interface ObjectRemovedArgs extends ObjectOperation {
  /** Default s3:ObjectRemoved:Delete; must be an s3:ObjectRemoved:* name. */
  eventName?: EventName;
}

export interface ObjectTaggingArgs extends ObjectOperation {
  /** Default s3:ObjectTagging:Put; must be an s3:ObjectTagging:* name. */
  eventName?: EventName;
}

/**
 * The in-process way for S3 handlers to raise events (after ZapFS's Emitter).
 * Unlike ZapFS it resolves only once the sink has durably accepted the events
 * and rejects when it could not, so a caller can decide whether the operation
 * may report success; failures are counted, never swallowed.
 */
export class Emitter {
  readonly #sink: EventSink;
  readonly #region: string;
  readonly #clock: () => number;
  readonly #enabled: boolean;
  readonly #stats: EmitterStats = { emitted: 0, failed: 0, dropped: 0 };

  constructor(options: EmitterOptions) {
    this.#sink = options.sink;
    this.#region = options.region;
    this.#clock = options.clock;
    this.#enabled = options.enabled ?? true;
  }

  isEnabled(): boolean {
    return this.#enabled;
  }

  emitObjectCreated(args: ObjectCreatedArgs): Promise<AcceptedEvent | null> {
    return this.#emitOne("ObjectCreated", args, "s3:ObjectCreated:Put");
  }

  emitObjectRemoved(args: ObjectRemovedArgs): Promise<AcceptedEvent | null> {
    return this.#emitOne("ObjectRemoved", args, "s3:ObjectRemoved:Delete");
  }

  emitObjectTagging(args: ObjectTaggingArgs): Promise<AcceptedEvent | null> {
    return this.#emitOne("ObjectTagging", args, "s3:ObjectTagging:Put");
  }

  /**
   * Emits built events as they are, or builds them from inputs first. All go to
   * the sink in one submission, so they are accepted (or refused) together.
   */
  async emit(events: readonly (NewEvent | RecordInput)[]): Promise<AcceptedEvent[]> {
    if (!this.#enabled) {
      this.#stats.dropped += events.length;
      return [];
    }
    let built: NewEvent[];
    try {
      const now = this.#clock();
      built = events.map((event, index) =>
        "record" in event ? event : this.#build(parseEventName(event.eventName, `[${index}].eventName`), event, now),
      );
    } catch (error) {
      this.#stats.failed += events.length;
      throw error;
    }
    return this.#submit(built);
  }

  stats(): EmitterStats {
    return { ...this.#stats };
  }

  async #emitOne(category: EventCategory, args: ObjectOperation & { eventName?: EventName }, fallback: EventName) {
    if (!this.#enabled) {
      this.#stats.dropped += 1;
      return null;
    }
    let event: NewEvent;
    try {
      const eventName = parseEventName(args.eventName ?? fallback, "eventName");
      if (categoryOf(eventName) !== category) {
        throw new AppError(
          "InvalidEventName",
          `${eventName} is not an s3:${category}:* event (expected one of ${EVENT_CATEGORIES[category].join(", ")})`,
          { field: "eventName", details: { eventName, expectedCategory: category } },
        );
      }
      // The same rules as the HTTP API, so an event is valid whichever way it came in.
      const input = parseEmitEvent({ ...args, eventName });
      event = this.#build(eventName, input, this.#clock());
    } catch (error) {
      this.#stats.failed += 1;
      throw error;
    }
    const [accepted] = await this.#submit([event]);
    if (!accepted) throw new AppError("InternalError", "the event sink accepted no event");
    return accepted;
  }

  #build(eventName: EventName, input: RecordInput, now: number): NewEvent {
    return toNewEvent({ ...input, eventName }, { region: this.#region, now, source: "emitter" });
  }

  async #submit(events: NewEvent[]): Promise<AcceptedEvent[]> {
    if (events.length === 0) return [];
    try {
      const accepted = await this.#sink.submit(events);
      this.#stats.emitted += accepted.length;
      return accepted;
    } catch (error) {
      this.#stats.failed += events.length;
      throw error;
    }
  }
}
