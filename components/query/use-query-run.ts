"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { consoleSocket } from "@/components/providers/console-socket.ts";
import type { QueryColumn } from "@/server/query/column-types.ts";
import type { QueryErrorInfo } from "@/server/query/query-error.ts";
import type { RunQueryInput } from "@/server/query/query-input.ts";
import type { QueryProgress, QueryStats, QuerySummary } from "@/server/query/query-service.ts";

export type RunStatus = "idle" | "starting" | "running" | "cancelling" | "done" | "failed" | "cancelled";

export interface QueryRunState {
  status: RunStatus;
  /** What ran (for downloads and saving), once started. */
  input: RunQueryInput | null;
  columns: QueryColumn[];
  /** Grows as rows stream in; `rowCount` changes with it (the array itself is mutated in place, so cheap to append). */
  rows: Record<string, unknown>[];
  rowCount: number;
  progress: QueryProgress | null;
  stats: QueryStats | null;
  summary: QuerySummary | null;
  error: QueryErrorInfo | null;
  startedAt: number | null;
}

const IDLE: QueryRunState = { status: "idle", input: null, columns: [], rows: [], rowCount: 0, progress: null, stats: null, summary: null, error: null, startedAt: null };

/**
 * One query at a time over the console socket: run, cancel, and the results
 * as they stream. Rows are appended to one array and the page re-renders at
 * most once a frame, so tens of thousands of rows cost no more than a few
 * hundred renders. Messages of a query this hook no longer follows are ignored.
 */
export function useQueryRun(onFinished?: () => void) {
  const [state, setState] = useState<QueryRunState>(IDLE);
  const current = useRef<string | null>(null);
  const rows = useRef<Record<string, unknown>[]>([]);
  const frame = useRef<number | null>(null);
  const finished = useRef(onFinished);
  useEffect(() => {
    finished.current = onFinished;
  }, [onFinished]);

  useEffect(() => {
    const socket = consoleSocket();
    const mine = (id: string) => id === current.current;
    const flushRows = () => {
      frame.current = null;
      setState((s) => ({ ...s, rows: rows.current, rowCount: rows.current.length }));
    };
    const onColumns = (m: { id: string; columns: QueryColumn[] }) => mine(m.id) && setState((s) => ({ ...s, columns: m.columns }));
    const onRows = (m: { id: string; rows: Record<string, unknown>[] }) => {
      if (!mine(m.id)) return;
      for (const row of m.rows) rows.current.push(row);
      frame.current ??= requestAnimationFrame(flushRows);
    };
    const onProgress = ({ id, ...progress }: { id: string } & QueryProgress) => mine(id) && setState((s) => ({ ...s, progress }));
    const onStats = ({ id, ...stats }: { id: string } & QueryStats) => mine(id) && setState((s) => ({ ...s, stats, progress: stats }));
    const onEnd = (summary: QuerySummary) => {
      if (!mine(summary.id)) return;
      current.current = null;
      setState((s) => ({ ...s, status: "done", summary, rows: rows.current, rowCount: rows.current.length }));
      finished.current?.();
    };
    const onError = (m: { id: string; error: QueryErrorInfo }) => {
      if (!mine(m.id)) return;
      current.current = null;
      setState((s) => ({ ...s, status: "failed", error: m.error, rows: rows.current, rowCount: rows.current.length }));
      finished.current?.();
    };
    // A dropped connection ends the server's side of the query too.
    const onDisconnect = () => {
      if (current.current === null) return;
      current.current = null;
      setState((s) => ({ ...s, status: "failed", error: { code: "Disconnected", message: "the connection to Herald was lost; the query stopped" } }));
    };
    socket.on("query:columns", onColumns);
    socket.on("query:rows", onRows);
    socket.on("query:progress", onProgress);
    socket.on("query:stats", onStats);
    socket.on("query:end", onEnd);
    socket.on("query:error", onError);
    socket.on("disconnect", onDisconnect);
    return () => {
      socket.off("query:columns", onColumns);
      socket.off("query:rows", onRows);
      socket.off("query:progress", onProgress);
      socket.off("query:stats", onStats);
      socket.off("query:end", onEnd);
      socket.off("query:error", onError);
      socket.off("disconnect", onDisconnect);
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      // Leaving the page stops what it started.
      if (current.current) socket.emit("query:cancel", { id: current.current });
    };
  }, []);

  const run = useCallback((input: RunQueryInput) => {
    const socket = consoleSocket();
    if (current.current) socket.emit("query:cancel", { id: current.current });
    current.current = null;
    rows.current = [];
    setState({ ...IDLE, status: "starting", input, startedAt: Date.now() });
    socket.emit("query:run", input, (ack) => {
      if (ack.ok) {
        current.current = ack.id;
        setState((s) => ({ ...s, status: "running" }));
      } else {
        setState((s) => ({ ...s, status: "failed", error: ack.error }));
      }
    });
  }, []);

  const cancel = useCallback(() => {
    const id = current.current;
    if (!id) return;
    setState((s) => ({ ...s, status: "cancelling" }));
    consoleSocket().emit("query:cancel", { id }, (ack) => {
      if (current.current !== id) return;
      current.current = null;
      setState((s) => ({ ...s, status: ack.ok ? "cancelled" : s.status === "cancelling" ? "failed" : s.status, ...(ack.ok ? {} : { error: ack.error }), rows: rows.current, rowCount: rows.current.length }));
      finished.current?.();
    });
  }, []);

  return { state, run, cancel };
}
