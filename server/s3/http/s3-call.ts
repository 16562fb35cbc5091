import type http from "node:http";
import type { Readable } from "node:stream";
import type { HeraldEngine } from "../../engine/herald-engine.ts";
import type { EventName } from "../../events/event-names.ts";
import type { Emitter } from "../../events/emitter.ts";
import type { Logger } from "../../logging/logger.ts";
import type { AuthResult, CredentialStore } from "../auth/sigv4.ts";
import type { DuckdbEngine } from "../select/duckdb/duckdb-engine.ts";
import type { ObjectStore } from "../storage/object-store.ts";
import type { S3Target } from "./s3-request.ts";

export interface S3EndpointOptions {
  /** Virtual-host style: requests to `<bucket>.<domain>` address that bucket. */
  domain: string;
  /** Emit s3:ObjectAccessed:Get/Head (off by default: reads are many and rarely wanted). */
  accessEvents: boolean;
  /** Answer without waiting for the event to be durably queued. */
  asyncEvents: boolean;
  region: string;
}

export interface S3Deps {
  store: ObjectStore;
  /** DuckDB for the S3 Select scans it answers exactly; absent, every query runs on Herald's evaluator. */
  duckdb?: () => Promise<DuckdbEngine>;
  credentials: CredentialStore;
  emitter: Emitter;
  engine: HeraldEngine;
  logger: Logger;
  clock: () => number;
  options: S3EndpointOptions;
}

/** The object an event describes. */
export interface EventObject {
  key: string;
  size?: number;
  eTag?: string;
  contentType?: string;
  metadata?: Record<string, string>;
}

/** One authenticated S3 request, as an operation handler sees it. */
export interface S3Call {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  target: S3Target;
  auth: AuthResult;
  requestId: string;
  deps: S3Deps;
  /** The request body with its signature or digest verified while it streams. */
  body(): Readable;
  /** The declared length of the (decoded) body, when the client gave one. */
  bodyLength(): number | undefined;
  /** Emits the operation's event: durably queued before it resolves unless events are asynchronous. */
  emit(eventName: EventName, object?: EventObject): Promise<void>;
}
