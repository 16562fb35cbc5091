"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import type { HeraldEvent } from "@/server/events/s3-record.ts";
import { formatClock } from "@/components/ui/format.ts";
import { gapText, type LiveRow } from "./live-rows.ts";
import styles from "./events.module.css";

/** Every row, and the header, is exactly this tall: the virtualizer never measures. */
const ROW_HEIGHT = 34;
const COLUMNS = ["Time", "Event name", "Bucket", "Key", "Targets", "Seq"] as const;

/** Only the text of an explicit selection (dragging over a key to copy it) should not open the drawer. */
const selecting = () => (window.getSelection()?.toString() ?? "") !== "";

/**
 * The live table: a virtualized ARIA table, since only the few dozen visible
 * rows of thousands are in the DOM. Rows are a roving tab stop (Tab enters the
 * table once; arrows, Home and End move; Enter opens).
 */
export function LiveTable({ rows, selectedId, onOpen }: { rows: LiveRow[]; selectedId: string | null; onOpen: (event: HeraldEvent) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const [scrolledAway, setScrolledAway] = useState(false);
  const [focusInside, setFocusInside] = useState(false);
  const [activeUid, setActiveUid] = useState<number | null>(null);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.uid ?? index,
    overscan: 10,
    // The sticky header sits above the rows inside the scroll element.
    scrollMargin: ROW_HEIGHT,
    scrollPaddingStart: ROW_HEIGHT,
    // New rows arrive at the top. Whoever has scrolled down or focused a row
    // keeps the rows they are on; otherwise the newest stay in view.
    anchorTo: scrolledAway || focusInside ? "end" : "start",
  });

  // A focused row that scrolls out of the rendered window is removed without a blur event.
  useLayoutEffect(() => {
    if (focusInside && !bodyRef.current?.contains(document.activeElement)) setFocusInside(false);
  }, [rows, focusInside]);

  const items = virtualizer.getVirtualItems();
  const activeShown = items.some((item) => rows[item.index]?.uid === activeUid);
  const firstShown = items[0] ? rows[items[0].index]?.uid : undefined;
  const tabStop = activeShown ? activeUid : firstShown;

  function focusRow(index: number) {
    const target = Math.max(0, Math.min(rows.length - 1, index));
    const find = () => bodyRef.current?.querySelector<HTMLElement>(`[data-index="${target}"]`);
    const element = find();
    if (element) {
      element.focus();
      return;
    }
    virtualizer.scrollToIndex(target, { align: "auto" });
    requestAnimationFrame(() => find()?.focus());
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>, index: number, row: LiveRow) {
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + pageRows,
      PageUp: index - pageRows,
      Home: 0,
      End: rows.length - 1,
    };
    const to = moves[event.key];
    if (to !== undefined) {
      event.preventDefault();
      focusRow(to);
    } else if ((event.key === "Enter" || event.key === " ") && row.kind === "event") {
      event.preventDefault();
      onOpen(row.event);
    }
  }

  return (
    <div className={styles.liveWrap}>
      <div
        ref={scrollRef}
        className={`${styles.liveScroll} ${rows.length === 0 ? styles.liveScrollEmpty : ""}`}
        role="table"
        aria-label="Live events"
        aria-rowcount={rows.length + 1}
        onScroll={(event) => setScrolledAway(event.currentTarget.scrollTop > 0)}
      >
        <div className={styles.liveGrid}>
          <div role="rowgroup" className={styles.liveHead}>
            <div role="row" aria-rowindex={1} className={`${styles.gridRow} ${styles.headRow}`} style={{ height: ROW_HEIGHT }}>
              {COLUMNS.map((column) => (
                <div role="columnheader" key={column} className={column === "Targets" || column === "Seq" ? styles.num : undefined}>
                  {column}
                </div>
              ))}
            </div>
          </div>
          <div
            role="rowgroup"
            ref={bodyRef}
            className={styles.liveBody}
            style={{ height: virtualizer.getTotalSize() }}
            onFocus={() => setFocusInside(true)}
            onBlur={(event) => {
              if (!event.currentTarget.contains(event.relatedTarget)) setFocusInside(false);
            }}
          >
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              const common = {
                role: "row",
                "aria-rowindex": item.index + 2,
                "data-index": item.index,
                tabIndex: row.uid === tabStop ? 0 : -1,
                style: { height: ROW_HEIGHT, transform: `translateY(${item.start - ROW_HEIGHT}px)` },
                onFocus: () => setActiveUid(row.uid),
                onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => onKeyDown(event, item.index, row),
              } as const;
              if (row.kind === "gap") {
                return (
                  <div key={item.key} {...common} className={`${styles.gridRow} ${styles.bodyRow} ${styles.gapRow}`}>
                    <div role="cell" aria-colspan={COLUMNS.length} className={styles.gapCell}>
                      {gapText(row)}
                    </div>
                  </div>
                );
              }
              const { event } = row;
              return (
                <div
                  key={item.key}
                  {...common}
                  className={`${styles.gridRow} ${styles.bodyRow} ${styles.eventRow} ${event.id === selectedId ? styles.selected : ""}`}
                  onClick={() => {
                    if (!selecting()) onOpen(event);
                  }}
                >
                  <EventCells event={event} />
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {scrolledAway && rows.length > 0 ? (
        <button type="button" className={`btn small primary ${styles.jump}`} onClick={() => virtualizer.scrollToOffset(0)}>
          Jump to newest
        </button>
      ) : null}
    </div>
  );
}

/** Rows only move as events arrive; memoized so a frame re-renders none of the cells it already formatted. */
const EventCells = memo(function EventCells({ event }: { event: HeraldEvent }) {
  return (
    <>
      <div role="cell" className={styles.tabular}>
        {formatClock(event.receivedAt)}
      </div>
      <div role="cell" title={event.eventName}>
        {event.eventName}
      </div>
      <div role="cell" title={event.bucket}>
        {event.bucket}
      </div>
      <div role="cell" className="mono" title={event.key}>
        {event.key}
      </div>
      <div role="cell" className={styles.num}>
        {event.matched ?? "—"}
      </div>
      <div role="cell" className={styles.num}>
        {event.seq}
      </div>
    </>
  );
});
