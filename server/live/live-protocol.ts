import { z } from "zod";
import type { ErrorCode } from "../errors/error-codes.ts";
import type { HeraldEvent } from "../events/s3-record.ts";
import { liveFilterSchema } from "./live-filter.ts";

/**
 * The live stream's Socket.IO protocol. Both ends type their sockets with
 * these maps (`Socket<ServerToClientEvents, ClientToServerEvents>` on the
 * client), so payloads cannot drift; the server still validates every client
 * payload with the schemas below, because a client is not bound by our types.
 */

export const subscribeRequestSchema = z.strictObject({
  filter: liveFilterSchema.default({}),
  /** Catch up from history with every event after this seq before going live. */
  fromSeq: z.number().int().optional(),
});

export type SubscribeRequest = z.input<typeof subscribeRequestSchema>;

export interface LiveError {
  code: ErrorCode;
  message: string;
  field?: string;
}

export type SubscribeAck = { ok: true; latestSeq: number } | { ok: false; error: LiveError };
export type LiveAck = { ok: true } | { ok: false; error: LiveError };

export interface EventsMessage {
  events: HeraldEvent[];
  /**
   * Every event up to this seq has been considered for this client (sent,
   * filtered out or reported in a gap): the `fromSeq` to resubscribe with.
   */
  lastSeq: number;
}

/**
 * Events in [fromSeq, toSeq] that match the subscription were not sent:
 * `slow-consumer` when this client could not keep up and its buffer was
 * dropped, `history-evicted` when catch-up asked for events no longer held.
 */
export interface GapMessage {
  fromSeq: number;
  toSeq: number;
  reason: "slow-consumer" | "history-evicted";
}

/** Sent when a request came without an ack callback to answer it. */
export interface ErrorMessage extends LiveError {
  /** The client event that failed. */
  event: string;
}

export interface ServerToClientEvents {
  events: (message: EventsMessage) => void;
  gap: (message: GapMessage) => void;
  error: (message: ErrorMessage) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (response: SubscribeAck) => void) => void;
  unsubscribe: (ack: (response: LiveAck) => void) => void;
  /** Holds delivery; events keep buffering (a gap is reported if the buffer overflows). */
  pause: (ack: (response: LiveAck) => void) => void;
  resume: (ack: (response: LiveAck) => void) => void;
}
