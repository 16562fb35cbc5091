"use client";

import { useId, useState, type ChangeEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { diffConfigs } from "./config-diff.ts";
import { ConfigDiffView } from "./config-diff-view.tsx";
import { ModalDialog } from "./modal-dialog.tsx";
import type { TargetLabel } from "./rules-table.tsx";
import { serverErrorOf } from "./server-error.ts";
import styles from "./buckets.module.css";

/**
 * Replaces the bucket's rules from an S3 NotificationConfiguration document:
 * the server validates it and reports what would change, and only then can it be applied.
 */
export function ImportXmlDialog({
  bucket,
  targetOf,
  onClose,
  onImported,
}: {
  bucket: string;
  targetOf: (arn: string) => TargetLabel;
  onClose: () => void;
  onImported: (ruleCount: number) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const base = useId();
  const [xml, setXml] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const preview = useMutation(trpc.buckets.previewXml.mutationOptions());
  const apply = useMutation(
    trpc.buckets.importXml.mutationOptions({
      onSuccess: async (config) => {
        await queryClient.invalidateQueries(trpc.buckets.pathFilter());
        onImported(config.rules.length);
      },
    }),
  );

  // A preview describes the text it was made from; editing the text makes it stale.
  const previewed = preview.isSuccess && preview.variables.xml === xml ? preview.data : null;
  const failure = serverErrorOf(apply.error ?? (preview.variables?.xml === xml ? preview.error : null));
  const textareaError = localError ?? (failure?.field === "xml" ? failure.message : null);

  function changeXml(next: string) {
    setXml(next);
    setLocalError(null);
    apply.reset();
  }

  async function chooseFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    try {
      changeXml(await file.text());
      setFileName(file.name);
    } catch {
      setLocalError(`could not read ${file.name}`);
    }
  }

  function runPreview() {
    if (xml.trim() === "") {
      setLocalError("paste or choose a NotificationConfiguration XML");
      return;
    }
    apply.reset();
    preview.mutate({ bucket, xml });
  }

  const ids = { file: `${base}-file`, xml: `${base}-xml` };

  return (
    <ModalDialog label="Import XML" onClose={onClose} className={styles.wideDialog}>
      <div className="dialog-body">
        <h2>Import XML</h2>
        <p className="muted small" style={{ margin: 0 }}>
          An S3 <code>NotificationConfiguration</code> document replaces every rule of bucket <code>{bucket}</code>. Preview it to see what changes; nothing is
          saved until you apply it.
        </p>
        <Field label="XML file" htmlFor={ids.file} hint={fileName ? `Loaded ${fileName}; you can edit it below.` : "Or paste the document below."}>
          <input id={ids.file} type="file" accept=".xml,application/xml,text/xml" onChange={(e) => void chooseFile(e)} />
        </Field>
        <Field label="NotificationConfiguration XML" htmlFor={ids.xml} error={textareaError}>
          <textarea
            id={ids.xml}
            value={xml}
            onChange={(e) => changeXml(e.target.value)}
            rows={12}
            spellCheck={false}
            aria-invalid={Boolean(textareaError)}
            aria-describedby={textareaError ? `${ids.xml}-error` : undefined}
            placeholder={'<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">…'}
          />
        </Field>
        {failure && failure.field !== "xml" ? (
          <div className="form-error" role="alert">
            {failure.message}
            {failure.field ? (
              <div className="small">
                At <code>{failure.field}</code>. Nothing was changed.
              </div>
            ) : (
              <div className="small">Nothing was changed.</div>
            )}
          </div>
        ) : null}
        {previewed ? <ConfigDiffView diff={diffConfigs(previewed.current, previewed.next)} targetOf={targetOf} /> : null}
      </div>
      <div className={`dialog-actions ${styles.stickyActions}`}>
        <Button onClick={onClose}>Cancel</Button>
        <Button onClick={runPreview} disabled={preview.isPending}>
          {preview.isPending ? "Previewing…" : "Preview import"}
        </Button>
        <Button variant="primary" onClick={() => apply.mutate({ bucket, xml })} disabled={!previewed || apply.isPending}>
          {apply.isPending ? "Applying…" : "Apply import"}
        </Button>
      </div>
    </ModalDialog>
  );
}
