"use client";

import { Button } from "@/components/ui/button.tsx";
import { formatCount, formatTime, timeAgo } from "@/components/ui/format.ts";
import type { DeadLetterRow as DeadLetter } from "./types.ts";
import styles from "./health.module.css";

const COLUMNS = 6;

/** One dead letter; clicking the row (or its key, for keyboards) opens its details underneath. */
export function DeadLetterRow({
  letter,
  selected,
  open,
  now,
  busy,
  onSelect,
  onToggle,
  onRetry,
}: {
  letter: DeadLetter;
  selected: boolean;
  open: boolean;
  now: number;
  busy: boolean;
  onSelect: (selected: boolean) => void;
  onToggle: () => void;
  onRetry: () => void;
}) {
  const { event } = letter;
  const where = `${event.bucket}/${event.key}`;
  const detailId = `dead-letter-${letter.deliveryId}`;
  return (
    <>
      <tr className={`clickable ${open || selected ? "selected" : ""}`} onClick={onToggle}>
        <td className={styles.checkCell} onClick={(e) => e.stopPropagation()}>
          <input type="checkbox" aria-label={`Select ${where}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
        </td>
        <td>
          <button
            type="button"
            className={styles.keyButton}
            aria-expanded={open}
            aria-controls={open ? detailId : undefined}
            onClick={(e) => {
              e.stopPropagation();
              onToggle();
            }}
          >
            {where}
          </button>
          <div className="small muted">{event.eventName}</div>
        </td>
        <td className="mono small">{letter.ruleId}</td>
        <td>{formatCount(letter.attempts)}</td>
        <td>
          <div className={styles.clip} title={letter.lastError ?? undefined}>
            {letter.lastError ?? <span className="muted">none recorded</span>}
          </div>
        </td>
        <td title={formatTime(letter.updatedAt)}>{timeAgo(letter.updatedAt, now)}</td>
      </tr>
      {open ? (
        <tr className={styles.detailRow} id={detailId}>
          <td colSpan={COLUMNS}>
            <div className="stack">
              <dl className={styles.facts} aria-label={`Details of ${where}`}>
                <dt>Event id</dt>
                <dd className="mono">{event.id}</dd>
                <dt>Sequence</dt>
                <dd>{event.seq}</dd>
                <dt>Delivery id</dt>
                <dd>{letter.deliveryId}</dd>
                <dt>Rule</dt>
                <dd className="mono">{letter.ruleId}</dd>
                <dt>Attempts</dt>
                <dd>{formatCount(letter.attempts)}</dd>
                <dt>Event time</dt>
                <dd>{formatTime(event.eventTime)}</dd>
                <dt>Received</dt>
                <dd>
                  {formatTime(event.receivedAt)} <span className="muted small">via {event.source}</span>
                </dd>
                <dt>Dead since</dt>
                <dd>{formatTime(letter.updatedAt)}</dd>
              </dl>
              <div>
                <h3>Last error</h3>
                <pre className="json">{letter.lastError ?? "No error was recorded."}</pre>
              </div>
              <div className="row">
                <Button small onClick={onRetry} disabled={busy}>
                  Retry this dead letter
                </Button>
                <Button small variant="ghost" onClick={onToggle}>
                  Close details
                </Button>
              </div>
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}
