import type { ReactNode } from "react";
import type { HeraldEvent } from "@/server/events/s3-record.ts";
import type { EventOutcome } from "@/server/store/archive-query.ts";
import { Badge } from "@/components/ui/badge.tsx";
import { formatTime } from "@/components/ui/format.ts";
import styles from "./event-detail.module.css";

/** The facts operators look for first; `outcome` is known only once the event is archived. */
export function EventSummary({ event, outcome }: { event: HeraldEvent; outcome?: EventOutcome }) {
  const items: [string, ReactNode][] = [
    ["Event name", <code key="n">{event.eventName}</code>],
    ["Bucket", event.bucket],
    ["Key", <code key="k" className={styles.breakAll}>{event.key}</code>],
    ["Seq", event.seq],
    ["ID", <code key="i" className={styles.breakAll}>{event.id}</code>],
    ["Event time", formatTime(event.eventTime)],
    ["Received", formatTime(event.receivedAt)],
    ["Source", event.source],
    ["Targets matched", event.matched ?? "—"],
  ];
  if (outcome) items.push(["Outcome", <Badge key="o" tone={outcome}>{outcome}</Badge>]);
  return (
    <dl className={styles.summary}>
      {items.map(([term, value]) => (
        <div key={term} className={styles.summaryItem}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
