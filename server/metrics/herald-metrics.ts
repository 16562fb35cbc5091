import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface TargetGaugeSource {
  /** Called at scrape time so gauges never go stale. */
  targetGauges(): { arn: string; type: string; queued: number; oldestAgeSeconds: number; deadLetters: number; alarm: boolean }[];
  liveSubscribers(): number;
}

/**
 * Herald's Prometheus metrics, on a registry of its own (one per engine
 * instance, so tests can run several side by side).
 */
export class HeraldMetrics {
  readonly registry = new Registry();
  readonly eventsReceived: Counter<"event_name" | "source">;
  readonly eventsUnmatched: Counter<"event_name">;
  readonly eventsRejected: Counter<"reason">;
  readonly deliveries: Counter<"target" | "type" | "outcome">;
  readonly deliveryDuration: Histogram<"target" | "type">;

  constructor(options: { defaultMetrics: boolean } = { defaultMetrics: true }) {
    const registers = [this.registry];
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: "herald_process_" });
    this.eventsReceived = new Counter({
      name: "herald_events_received_total",
      help: "Events accepted, by event name and source (api, ingest, s3, emitter)",
      labelNames: ["event_name", "source"],
      registers,
    });
    this.eventsUnmatched = new Counter({
      name: "herald_events_unmatched_total",
      help: "Accepted events that matched no rule",
      labelNames: ["event_name"],
      registers,
    });
    this.eventsRejected = new Counter({
      name: "herald_events_rejected_total",
      help: "Events refused before acceptance, by reason (queue_limit, shutting_down, storage)",
      labelNames: ["reason"],
      registers,
    });
    this.deliveries = new Counter({
      name: "herald_deliveries_total",
      help: "Delivery attempts by target and outcome (success, retry, dead, discarded, blocked)",
      labelNames: ["target", "type", "outcome"],
      registers,
    });
    this.deliveryDuration = new Histogram({
      name: "herald_delivery_duration_seconds",
      help: "Time to deliver one batch to a target",
      labelNames: ["target", "type"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  /** Registers the scrape-time gauges once the engine that feeds them exists. */
  bindGauges(source: TargetGaugeSource): void {
    const registers = [this.registry];
    new Gauge({
      name: "herald_queue_depth",
      help: "Deliveries queued per target",
      labelNames: ["target", "type"],
      registers,
      collect() {
        this.reset();
        for (const t of source.targetGauges()) this.set({ target: t.arn, type: t.type }, t.queued);
      },
    });
    new Gauge({
      name: "herald_queue_oldest_age_seconds",
      help: "Age of the oldest queued delivery per target",
      labelNames: ["target", "type"],
      registers,
      collect() {
        this.reset();
        for (const t of source.targetGauges()) this.set({ target: t.arn, type: t.type }, t.oldestAgeSeconds);
      },
    });
    new Gauge({
      name: "herald_dead_letters",
      help: "Dead letters held per target",
      labelNames: ["target", "type"],
      registers,
      collect() {
        this.reset();
        for (const t of source.targetGauges()) this.set({ target: t.arn, type: t.type }, t.deadLetters);
      },
    });
    new Gauge({
      name: "herald_queue_limit_alarm",
      help: "1 while a target's queue is at its configured limit under the alarm policy",
      labelNames: ["target", "type"],
      registers,
      collect() {
        this.reset();
        for (const t of source.targetGauges()) this.set({ target: t.arn, type: t.type }, t.alarm ? 1 : 0);
      },
    });
    new Gauge({
      name: "herald_live_subscribers",
      help: "Connected live event stream subscribers",
      registers,
      collect() {
        this.set(source.liveSubscribers());
      },
    });
  }
}
