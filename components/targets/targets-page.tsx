"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states.tsx";
import { TargetFormDialog } from "./target-form-dialog.tsx";
import { TARGET_TYPES, type FormMode } from "./target-types.ts";
import { TargetsTable } from "./targets-table.tsx";
import styles from "./targets.module.css";

const REFRESH_MS = 5_000;
const NOTICE_MS = 10_000;

const TYPE_LABELS = Object.values(TARGET_TYPES)
  .map((t) => t.label)
  .join(", ");

/** The targets page: every configured target with live health and queue depth, and the forms to manage them. */
export function TargetsPage() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.targets.list.queryOptions(), refetchInterval: REFRESH_MS });
  const [form, setForm] = useState<FormMode | null>(null);
  const [notice, setNotice] = useState("");

  // A confirmation is news for a moment, not a status to keep reading all day.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(""), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const openCreate = () => setForm({ kind: "create" });
  const empty = list.data !== undefined && list.data.length === 0;

  let content;
  if (list.data === undefined) {
    content = list.isError ? <ErrorState what="targets" error={list.error} onRetry={() => void list.refetch()} /> : <LoadingState what="targets" />;
  } else if (empty) {
    content = (
      <EmptyState title="No targets yet">
        <p>A target is where Herald delivers the events that bucket rules match ({TYPE_LABELS}).</p>
        <Button variant="primary" onClick={openCreate}>
          New target
        </Button>
      </EmptyState>
    );
  } else {
    content = <TargetsTable targets={list.data} onEdit={(target) => setForm({ kind: "edit", target })} onNotice={setNotice} />;
  }

  return (
    <>
      <PageHeader
        title="Targets"
        description="Where Herald delivers events. Health and queue depth refresh every 5 seconds."
        actions={
          empty ? undefined : (
            <Button variant="primary" onClick={openCreate}>
              New target
            </Button>
          )
        }
      />
      <p role="status" className={styles.notice}>
        {notice}
      </p>
      {list.isError && list.data !== undefined ? (
        <p className="form-error" role="alert">
          Could not refresh the list ({list.error.message}); showing what was loaded at {new Date(list.dataUpdatedAt).toLocaleTimeString(undefined, { hour12: false })}.
        </p>
      ) : null}
      <div className="card">{content}</div>
      <TargetFormDialog mode={form} onClose={() => setForm(null)} onSaved={setNotice} />
    </>
  );
}
