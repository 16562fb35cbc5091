import type { HeraldEvent } from "../events/s3-record.ts";

type Listener = (event: HeraldEvent) => void;

/**
 * Fans accepted events out to in-process listeners (the Socket.IO live
 * stream). A throwing listener is isolated so it cannot break acceptance.
 */
export class LiveHub {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }

  publish(event: HeraldEvent, onError: (error: unknown) => void): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        onError(error);
      }
    }
  }
}
