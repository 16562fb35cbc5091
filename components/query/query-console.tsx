"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";
import { EmptyState } from "@/components/ui/states.tsx";
import { downloadUrl } from "@/server/query/download-input.ts";
import { runQueryInputSchema } from "@/server/query/query-input.ts";
import { DEFAULT_DRAFT, draftOf, validateDraft, type InputDraft, type InputField } from "./input-draft.ts";
import { InputOptionsForm } from "./input-options-form.tsx";
import { ObjectPicker } from "./object-picker.tsx";
import { QueryHistoryPanel, type LoadableQuery } from "./query-history-panel.tsx";
import { QueryProgressView } from "./query-progress.tsx";
import { ResultsTable } from "./results-table.tsx";
import { SavedQueriesPanel } from "./saved-queries-panel.tsx";
import { SqlEditor } from "./sql-editor.tsx";
import { useQueryRun } from "./use-query-run.ts";
import styles from "./query.module.css";

const DEFAULT_SQL = "SELECT * FROM S3Object s LIMIT 100";

/** The /query page: pick an object, say how to read it, write SQL, watch the results stream in. */
export function QueryConsole() {
  const params = useSearchParams();
  const trpc = useTRPC();
  const client = useQueryClient();
  const [bucket, setBucket] = useState(params.get("bucket") ?? "");
  const [key, setKey] = useState(params.get("key") ?? "");
  const [draft, setDraft] = useState<InputDraft>(DEFAULT_DRAFT);
  const [draftErrors, setDraftErrors] = useState<Partial<Record<InputField, string>>>({});
  const [expression, setExpression] = useState(DEFAULT_SQL);
  const [formError, setFormError] = useState<string | null>(null);
  const [tab, setTab] = useState<"history" | "saved">("history");
  const refreshHistory = useCallback(() => void client.invalidateQueries({ queryKey: trpc.query.history.queryKey() }), [client, trpc]);
  const { state, run, cancel } = useQueryRun(refreshHistory);
  const guessed = useRef<string | null>(null);

  // The input options follow the object: guessed from its key and content type, then the user's to edit.
  const guess = useCallback(
    (b: string, k: string) => {
      if (!b || !k || guessed.current === `${b}/${k}`) return;
      guessed.current = `${b}/${k}`;
      client.fetchQuery(trpc.query.guessInput.queryOptions({ bucket: b, key: k })).then(
        (input) => {
          if (guessed.current === `${b}/${k}`) setDraft(draftOf(input));
        },
        () => undefined,
      );
    },
    [client, trpc],
  );
  useEffect(() => guess(bucket, key), [guess, bucket, key]);

  const select = useCallback((b: string, k: string) => {
    setBucket(b);
    setKey(k);
    setDraftErrors({});
    setFormError(null);
  }, []);

  /** What the form holds, validated with the server's schemas. */
  const current = useCallback((): { ok: true; query: LoadableQuery } | { ok: false; message: string } => {
    const checked = validateDraft(draft);
    setDraftErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) return { ok: false, message: "fix the input options first" };
    return { ok: true, query: { bucket: bucket || null, key: key || null, expression, input: checked.input } };
  }, [draft, bucket, key, expression]);

  const start = useCallback(() => {
    const now = current();
    if (!now.ok) return setFormError(now.message);
    const parsed = runQueryInputSchema.safeParse({ ...now.query, bucket, key });
    if (!parsed.success) return setFormError(parsed.error.issues[0]?.message ?? "invalid query");
    setFormError(null);
    run(parsed.data);
  }, [current, bucket, key, run]);

  const load = useCallback((query: LoadableQuery) => {
    if (query.bucket && query.key) {
      guessed.current = `${query.bucket}/${query.key}`;
      setBucket(query.bucket);
      setKey(query.key);
    }
    setExpression(query.expression);
    setDraft(draftOf(query.input));
    setDraftErrors({});
  }, []);

  const busy = state.status === "starting" || state.status === "running" || state.status === "cancelling";
  const position = state.status === "failed" && state.input?.expression === expression ? state.error?.position : undefined;

  return (
    <>
      <PageHeader title="Query" description="S3 Select over the objects in Herald's store: SQL on CSV and JSON, results as they stream." />
      <div className={styles.layout}>
        <aside className={`card stack ${styles.sidebar}`} aria-label="Object">
          <h2>Object</h2>
          <ObjectPicker bucket={bucket} objectKey={key} onSelect={select} />
        </aside>
        <section className="stack" aria-label="Query editor">
          <div className="card stack">
            <div className="row">
              <h2 style={{ margin: 0 }}>SQL</h2>
              <span className="mono small muted" data-testid="query-target">
                {bucket && key ? `${bucket}/${key}` : "no object chosen"}
              </span>
            </div>
            <SqlEditor value={expression} onChange={setExpression} onRun={() => !busy && start()} errorAt={position} />
            <InputOptionsForm draft={draft} onChange={setDraft} errors={draftErrors} />
            <div className="row">
              <Button variant="primary" onClick={start} disabled={busy}>
                {busy ? "Running…" : "Run"}
              </Button>
              <Button variant="danger" onClick={cancel} disabled={state.status !== "running"}>
                {state.status === "cancelling" ? "Cancelling…" : "Cancel"}
              </Button>
              <span className="muted small">Ctrl/⌘ + Enter runs</span>
              {formError ? (
                <span className="form-error" role="alert">
                  {formError}
                </span>
              ) : null}
              <span className="row right">
                <DownloadLink state={state} format="csv" />
                <DownloadLink state={state} format="json" />
              </span>
            </div>
          </div>
          <div className="card stack">
            <QueryProgressView state={state} />
            {state.error ? (
              <div className={`state error ${styles.queryError}`} role="alert" data-testid="query-error">
                <div className="title">
                  <span className="mono">{state.error.code}</span>
                  {state.error.position ? ` at line ${state.error.position.line}, column ${state.error.position.column}` : ""}
                </div>
                {/* The position is in the title already. */}
                <div>{state.error.position ? state.error.message.replace(/^at line \d+, column \d+: /, "") : state.error.message}</div>
              </div>
            ) : null}
            {state.columns.length > 0 ? (
              <ResultsTable columns={state.columns} rows={state.rows} rowCount={state.rowCount} />
            ) : state.status === "idle" ? (
              <EmptyState title="No results yet">
                <span className="small">Choose an object, write a query and run it.</span>
              </EmptyState>
            ) : state.status === "done" ? (
              <EmptyState title="No rows">
                <span className="small">The query matched nothing in {state.input?.key}.</span>
              </EmptyState>
            ) : state.status === "cancelled" ? (
              <EmptyState title="Cancelled">
                <span className="small">The scan stopped before any row matched. Run it again to start over.</span>
              </EmptyState>
            ) : busy ? (
              <EmptyState title="Waiting for the first rows…" />
            ) : null}
          </div>
          <div className="card">
            <div className="tabs" role="tablist">
              <button type="button" role="tab" aria-selected={tab === "history"} onClick={() => setTab("history")}>
                History
              </button>
              <button type="button" role="tab" aria-selected={tab === "saved"} onClick={() => setTab("saved")}>
                Saved queries
              </button>
            </div>
            <div role="tabpanel">{tab === "history" ? <QueryHistoryPanel onLoad={load} /> : <SavedQueriesPanel current={current} onLoad={load} />}</div>
          </div>
        </section>
      </div>
    </>
  );
}

/** Re-runs the last query on the server and downloads every result (not just the rows shown). */
function DownloadLink({ state, format }: { state: ReturnType<typeof useQueryRun>["state"]; format: "csv" | "json" }) {
  const label = `Download ${format.toUpperCase()}`;
  if (!state.input || state.status !== "done") {
    return (
      <Button small disabled title="Run a query first">
        {label}
      </Button>
    );
  }
  return (
    <a className="btn small" href={downloadUrl({ ...state.input, format })} download>
      {label}
    </a>
  );
}
