"use client";

import { useId, useRef, useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import type { NotificationRule } from "@/server/rules/notification-config.ts";
import type { NotificationRuleInput } from "@/server/rules/notification-config-schema.ts";
import { EventPicker } from "./event-picker.tsx";
import { ModalDialog } from "./modal-dialog.tsx";
import { EMPTY_DRAFT, draftOf, errorsFromServer, hasErrors, inputOf, validateDraft, type RuleDraft, type RuleErrors } from "./rule-draft.ts";
import { serverErrorOf } from "./server-error.ts";
import { TargetPicker } from "./target-picker.tsx";
import styles from "./buckets.module.css";

/** Adds a rule to the bucket, or edits `editing` in place (its position in the bucket is kept). */
export function RuleFormDialog({
  bucket,
  editing,
  ruleIds,
  onClose,
  onSaved,
}: {
  bucket: string;
  editing: NotificationRule | null;
  /** Every rule id of the bucket, to refuse a duplicate before asking the server. */
  ruleIds: readonly string[];
  onClose: () => void;
  onSaved: (ruleId: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const base = useId();
  const [draft, setDraft] = useState<RuleDraft>(() => (editing ? draftOf(editing) : EMPTY_DRAFT));
  const [errors, setErrors] = useState<RuleErrors>({});
  const submitted = useRef<NotificationRuleInput | null>(null);

  const save = useMutation(
    trpc.buckets.saveRule.mutationOptions({
      onSuccess: async (_config, variables) => {
        await queryClient.invalidateQueries(trpc.buckets.pathFilter());
        onSaved(variables.rule.id);
      },
      onError: (error) => {
        const server = serverErrorOf(error);
        if (server && submitted.current) setErrors(errorsFromServer(server, submitted.current));
      },
    }),
  );

  function update<K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) {
    setDraft((current) => ({ ...current, [key]: value }));
    // An edited field's error no longer describes it.
    const cleared: Partial<RuleErrors> = { [key]: undefined, form: undefined };
    if (key === "events") cleared.eventName = undefined;
    if (key === "targetArns") cleared.targetArn = undefined;
    setErrors((current) => ({ ...current, ...cleared }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = inputOf(draft);
    const taken = ruleIds.filter((id) => id !== editing?.id);
    const found = validateDraft(input, taken);
    setErrors(found);
    if (hasErrors(found)) return;
    submitted.current = input;
    save.mutate({ bucket, rule: input, ...(editing ? { replacing: editing.id } : {}) });
  }

  const ids = { id: `${base}-id`, prefix: `${base}-prefix`, suffix: `${base}-suffix` };
  const title = editing ? `Edit rule ${editing.id}` : "New rule";

  return (
    <ModalDialog label="Rule" onClose={onClose} className={styles.wideDialog}>
      <form aria-label="Rule" onSubmit={submit} noValidate>
        <div className="dialog-body">
          <h2>{title}</h2>
          <p className="muted small" style={{ margin: 0 }}>
            Events of bucket <code>{bucket}</code> whose name and key match this rule are delivered to its targets.
          </p>
          <Field label="Rule ID" htmlFor={ids.id} error={errors.id} hint="Unique within the bucket; events carry it as s3.configurationId.">
            <input
              id={ids.id}
              type="text"
              value={draft.id}
              onChange={(e) => update("id", e.target.value)}
              aria-invalid={Boolean(errors.id)}
              aria-describedby={errors.id ? `${ids.id}-error` : undefined}
              autoFocus
              autoComplete="off"
              spellCheck={false}
            />
          </Field>
          <EventPicker selected={draft.events} onChange={(next) => update("events", next)} error={errors.events} invalidName={errors.eventName} />
          <div className={styles.filters}>
            <Field label="Prefix" htmlFor={ids.prefix} error={errors.prefix} hint="Keys must start with this, e.g. images/. Empty: any key.">
              <input
                id={ids.prefix}
                type="text"
                value={draft.prefix}
                onChange={(e) => update("prefix", e.target.value)}
                aria-invalid={Boolean(errors.prefix)}
                aria-describedby={errors.prefix ? `${ids.prefix}-error` : undefined}
                autoComplete="off"
                spellCheck={false}
              />
            </Field>
            <Field label="Suffix" htmlFor={ids.suffix} error={errors.suffix} hint="Keys must end with this, e.g. .jpg. Empty: any key.">
              <input
                id={ids.suffix}
                type="text"
                value={draft.suffix}
                onChange={(e) => update("suffix", e.target.value)}
                aria-invalid={Boolean(errors.suffix)}
                aria-describedby={errors.suffix ? `${ids.suffix}-error` : undefined}
                autoComplete="off"
                spellCheck={false}
              />
            </Field>
          </div>
          <TargetPicker selected={draft.targetArns} onChange={(next) => update("targetArns", next)} error={errors.targetArns} invalidArn={errors.targetArn} />
          {errors.form ? (
            <div className="form-error" role="alert">
              {errors.form}
            </div>
          ) : null}
        </div>
        <div className={`dialog-actions ${styles.stickyActions}`}>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save rule"}
          </Button>
        </div>
      </form>
    </ModalDialog>
  );
}
