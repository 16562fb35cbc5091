"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmButton } from "@/components/ui/confirm-button.tsx";
import { PageHeader } from "@/components/ui/page-header.tsx";
import { EmptyState, QueryView } from "@/components/ui/states.tsx";
import type { NotificationRule } from "@/server/rules/notification-config.ts";
import { ExportXmlDialog } from "./export-xml-dialog.tsx";
import { ImportXmlDialog } from "./import-xml-dialog.tsx";
import { RuleFormDialog } from "./rule-form-dialog.tsx";
import { RulesTable, type TargetLabel } from "./rules-table.tsx";
import { TestKeyPanel } from "./test-key-panel.tsx";
import styles from "./buckets.module.css";

type Open = { kind: "rule"; rule: NotificationRule | null } | { kind: "import" } | { kind: "export" } | null;

/** One bucket: its rules with the rule editor, XML import and export, "Test a key" and deleting the configuration. */
export function BucketDetail({ bucket }: { bucket: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const config = useQuery(trpc.buckets.config.queryOptions({ bucket }));
  const buckets = useQuery(trpc.buckets.list.queryOptions());
  const targets = useQuery(trpc.targets.list.queryOptions());
  const [open, setOpen] = useState<Open>(null);
  const [status, setStatus] = useState("");

  const deleteRule = useMutation(
    trpc.buckets.deleteRule.mutationOptions({
      onSuccess: async (_config, variables) => {
        await queryClient.invalidateQueries(trpc.buckets.pathFilter());
        setStatus(`Rule ${variables.ruleId} deleted.`);
      },
    }),
  );
  const deleteBucket = useMutation(
    trpc.buckets.deleteBucket.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.buckets.pathFilter());
        router.push("/buckets");
      },
    }),
  );

  const targetOf = useCallback(
    (arn: string): TargetLabel => ({ arn, name: targets.data?.find((t) => t.arn === arn)?.name ?? arn }),
    [targets.data],
  );

  const rules = config.data?.rules ?? [];
  const exists = rules.length > 0 || Boolean(buckets.data?.some((b) => b.name === bucket));
  const close = () => setOpen(null);

  return (
    <div className="stack">
      <div>
        <Link href="/buckets" className={styles.backLink}>
          ← All buckets
        </Link>
        <PageHeader
          title={bucket}
          description="Notification rules of this bucket, checked in order: an event goes to the targets of every rule whose events and key filter it matches."
          actions={
            <>
              <Button onClick={() => setOpen({ kind: "import" })}>Import XML</Button>
              <Button onClick={() => setOpen({ kind: "export" })}>Export XML</Button>
              {exists ? (
                <ConfirmButton
                  label="Delete bucket configuration"
                  title={`Delete the configuration of bucket ${bucket}?`}
                  confirmLabel="Delete configuration"
                  disabled={deleteBucket.isPending}
                  onConfirm={() => deleteBucket.mutate({ bucket })}
                >
                  {rules.length === 0 ? (
                    <>
                      Bucket <code>{bucket}</code> has no rules left; it is removed from the list.
                    </>
                  ) : (
                    <>
                      {rules.length === 1 ? "The only rule of" : `All ${rules.length} rules of`} <code>{bucket}</code> {rules.length === 1 ? "is" : "are"} deleted, and Herald
                      stops delivering its events. This cannot be undone: export the XML first to keep a copy.
                    </>
                  )}
                </ConfirmButton>
              ) : null}
            </>
          }
        />
      </div>
      {deleteBucket.isError ? (
        <div className="form-error" role="alert">
          Could not delete the configuration: {deleteBucket.error.message}
        </div>
      ) : null}
      <p role="status" className="small muted" style={{ margin: 0, minHeight: "1.2em" }}>
        {status}
      </p>

      <section className="card" aria-labelledby="rules-heading">
        <div className={styles.sectionHeader}>
          <h2 id="rules-heading">Rules</h2>
          <Button variant="primary" onClick={() => setOpen({ kind: "rule", rule: null })} disabled={!config.isSuccess}>
            Add rule
          </Button>
        </div>
        {deleteRule.isError ? (
          <div className="form-error" role="alert" style={{ marginBottom: 10 }}>
            Could not delete rule {deleteRule.variables.ruleId}: {deleteRule.error.message}
          </div>
        ) : null}
        <QueryView query={config} what="the bucket's rules">
          {(data) =>
            data.rules.length === 0 ? (
              <EmptyState title="No rules yet">
                <p style={{ margin: 0 }}>
                  Herald delivers none of this bucket&apos;s events. Choose <strong>Add rule</strong> to create the first rule, or import an S3 configuration with{" "}
                  <strong>Import XML</strong>. The bucket is listed once it has a rule.
                </p>
              </EmptyState>
            ) : (
              <RulesTable
                rules={data.rules}
                targetOf={targetOf}
                onEdit={(rule) => setOpen({ kind: "rule", rule })}
                onDelete={(rule) => {
                  setStatus("");
                  deleteRule.mutate({ bucket, ruleId: rule.id });
                }}
                busyRuleId={deleteRule.isPending ? deleteRule.variables.ruleId : null}
              />
            )
          }
        </QueryView>
      </section>

      <TestKeyPanel bucket={bucket} targetOf={targetOf} />

      {open?.kind === "rule" ? (
        <RuleFormDialog
          bucket={bucket}
          editing={open.rule}
          ruleIds={rules.map((r) => r.id)}
          onClose={close}
          onSaved={(ruleId) => {
            setStatus(`Rule ${ruleId} saved.`);
            close();
          }}
        />
      ) : null}
      {open?.kind === "import" ? (
        <ImportXmlDialog
          bucket={bucket}
          targetOf={targetOf}
          onClose={close}
          onImported={(count) => {
            setStatus(`Imported: the bucket now has ${count} rule${count === 1 ? "" : "s"}.`);
            close();
          }}
        />
      ) : null}
      {open?.kind === "export" ? <ExportXmlDialog bucket={bucket} onClose={close} /> : null}
    </div>
  );
}
