"use client";

import type { KeyboardEvent } from "react";
import type { ArchivedEvent } from "@/server/store/archive-store.ts";
import { Badge } from "@/components/ui/badge.tsx";
import { formatTime } from "@/components/ui/format.ts";
import styles from "./events.module.css";

/** One page of archive results; a row opens the event (click, Enter or Space). */
export function ArchiveTable({ events, selectedId, onOpen }: { events: ArchivedEvent[]; selectedId: string | null; onOpen: (id: string) => void }) {
  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, id: string) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onOpen(id);
    }
  };
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Archived events">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Event name</th>
            <th scope="col">Bucket</th>
            <th scope="col">Key</th>
            <th scope="col">Outcome</th>
            <th scope="col" className={styles.num}>
              Seq
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr
              key={event.seq}
              className={`clickable ${event.id === selectedId ? "selected" : ""}`}
              tabIndex={0}
              onClick={() => {
                if ((window.getSelection()?.toString() ?? "") === "") onOpen(event.id);
              }}
              onKeyDown={(e) => onKeyDown(e, event.id)}
            >
              <td className={styles.nowrap}>{formatTime(event.receivedAt)}</td>
              <td>{event.eventName}</td>
              <td>{event.bucket}</td>
              <td className={`mono ${styles.keyCell}`}>{event.key}</td>
              <td>
                <Badge tone={event.outcome}>{event.outcome}</Badge>
              </td>
              <td className={styles.num}>{event.seq}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
