"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { EmptyState, QueryView } from "@/components/ui/states.tsx";
import { saveQueryInputSchema } from "@/server/query/query-input.ts";
import type { LoadableQuery } from "./query-history-panel.tsx";
import styles from "./query.module.css";

/**
 * Saved queries: save what is in the editor under a name (the same name
 * replaces it), click one to load it, delete. Validated with the server's schema.
 */
export function SavedQueriesPanel({ current, onLoad }: { current: () => { ok: true; query: LoadableQuery } | { ok: false; message: string }; onLoad: (query: LoadableQuery) => void }) {
  const trpc = useTRPC();
  const client = useQueryClient();
  const saved = useQuery(trpc.query.saved.queryOptions());
  const refresh = () => void client.invalidateQueries({ queryKey: trpc.query.saved.queryKey() });
  const save = useMutation(trpc.query.save.mutationOptions({ onSuccess: () => (refresh(), setName("")) }));
  const remove = useMutation(trpc.query.deleteSaved.mutationOptions({ onSuccess: refresh }));
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const now = current();
    if (!now.ok) return setError(now.message);
    const parsed = saveQueryInputSchema.safeParse({
      name,
      expression: now.query.expression,
      input: now.query.input,
      ...(now.query.bucket ? { bucket: now.query.bucket } : {}),
      ...(now.query.key ? { key: now.query.key } : {}),
    });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? "invalid");
    setError(null);
    save.mutate(parsed.data);
  }

  return (
    <div className="stack">
      <form className="row" onSubmit={submit} noValidate style={{ alignItems: "flex-end" }}>
        <div style={{ flex: 1 }}>
          <Field label="Save the current query as" htmlFor="saved-name" error={error ?? (save.isError ? save.error.message : null)}>
            <input id="saved-name" type="text" value={name} placeholder="e.g. failed orders" aria-invalid={error ? "true" : undefined} onChange={(event) => setName(event.target.value)} />
          </Field>
        </div>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save query"}
        </Button>
      </form>
      <QueryView query={saved} what="saved queries">
        {(queries) =>
          queries.length === 0 ? (
            <EmptyState title="No saved queries">
              <span className="small">Name the query in the editor and save it to find it here.</span>
            </EmptyState>
          ) : (
            <ul className={styles.panelList} aria-label="Saved queries">
              {queries.map((query) => (
                <li key={query.id} className={styles.savedRow}>
                  <button type="button" className={styles.panelItem} onClick={() => onLoad(query)} title="Load this query">
                    <span className="row">
                      <strong>{query.name}</strong>
                      {query.bucket ? (
                        <span className="mono small muted">
                          {query.bucket}/{query.key}
                        </span>
                      ) : null}
                    </span>
                    <code className={styles.panelSql}>{query.expression}</code>
                  </button>
                  <Button small variant="danger" onClick={() => remove.mutate({ id: query.id })} disabled={remove.isPending} aria-label={`Delete ${query.name}`}>
                    Delete
                  </Button>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </div>
  );
}
