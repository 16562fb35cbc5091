"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Spinner } from "@/components/ui/states.tsx";
import { targetInputSchema } from "@/server/settings/target-input.ts";
import { deliveryOptionsSchema } from "@/server/targets/delivery-options.ts";
import { addIssues, serverFieldError, type FieldErrors } from "./form-errors.ts";
import { errorTargets, jsonSchemaOf } from "./json-schema.ts";
import { fromDraft, toDraft, type Draft, type DraftIssue } from "./schema-draft.ts";
import { Message, RequiredMark } from "./field-parts.tsx";
import { SchemaForm } from "./schema-form.tsx";
import { TARGET_TYPE_NAMES, TARGET_TYPES, targetTypeOf, type FormMode } from "./target-types.ts";
import styles from "./targets.module.css";

const DELIVERY_SCHEMA = jsonSchemaOf(deliveryOptionsSchema);
const FIXED_FIELDS = ["id", "type", "name", "enabled"];

/** Creates a target, or edits one (its ID and type are part of the ARN and stay as they are). */
export function TargetForm({ mode, titleId, onCancel, onSaved }: { mode: FormMode; titleId: string; onCancel: () => void; onSaved: (notice: string) => void }) {
  const editing = mode.kind === "edit" ? mode.target : null;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const uid = useId();
  const formRef = useRef<HTMLFormElement>(null);

  const [type, setType] = useState(editing?.type ?? TARGET_TYPE_NAMES[0] ?? "");
  const [id, setId] = useState(editing?.id ?? "");
  const [name, setName] = useState(editing?.name ?? "");
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  // One draft per type, so switching the type back and forth loses nothing typed.
  const [configs, setConfigs] = useState<Record<string, Draft>>(() => {
    const entry = editing ? targetTypeOf(editing.type) : undefined;
    return editing && entry ? { [editing.type]: toDraft(jsonSchemaOf(entry.schema), editing.config) } : {};
  });
  const [delivery, setDelivery] = useState<Draft>(() => toDraft(DELIVERY_SCHEMA, editing?.delivery));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [focusTick, setFocusTick] = useState(0);

  const entry = targetTypeOf(type);
  const configSchema = useMemo(() => (entry ? jsonSchemaOf(entry.schema) : undefined), [entry]);
  const configDraft = configs[type] ?? (configSchema ? toDraft(configSchema, undefined) : {});

  // Which error paths have a control to show them on; the rest go to the banner.
  const shown = useMemo(() => [...(configSchema ? errorTargets(configSchema, "config") : []), ...errorTargets(DELIVERY_SCHEMA, "delivery")], [configSchema]);
  const bannerErrors = Object.entries(errors).filter(
    ([key]) => !FIXED_FIELDS.includes(key) && !shown.some((t) => key === t.path || (t.deep && key.startsWith(`${t.path}.`))),
  );

  useEffect(() => {
    if (focusTick === 0) return;
    const form = formRef.current;
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>("[data-form-banner]");
    target?.focus();
  }, [focusTick]);

  function fail(next: FieldErrors) {
    setErrors(next);
    setFocusTick((t) => t + 1);
  }

  function onServerError(error: { message: string; data?: { field?: string | null } | null }) {
    const { field, message } = serverFieldError(error);
    fail(field ? { [field]: message } : { "": error.message });
  }

  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.targets.list.queryKey() });
  const create = useMutation(
    trpc.targets.create.mutationOptions({
      onSuccess: (target) => {
        void invalidate();
        onSaved(`Created target ${target.name}.`);
      },
      onError: onServerError,
    }),
  );
  const update = useMutation(
    trpc.targets.update.mutationOptions({
      onSuccess: (target) => {
        void invalidate();
        onSaved(`Saved target ${target.name}.`);
      },
      onError: onServerError,
    }),
  );
  const pending = create.isPending || update.isPending;

  function submit(event: FormEvent) {
    event.preventDefault();
    const issues: DraftIssue[] = [];
    const config = configSchema ? (fromDraft(configSchema, configDraft, ["config"], issues) as Record<string, unknown>) : undefined;
    const deliveryValue = fromDraft(DELIVERY_SCHEMA, delivery, ["delivery"], issues);
    const next: FieldErrors = {};
    addIssues(next, issues);
    if (entry && config) {
      const parsed = entry.schema.safeParse(config);
      if (!parsed.success) addIssues(next, parsed.error.issues, ["config"]);
    } else if (!editing) {
      next.type = "choose a target type";
    }
    const input = targetInputSchema.safeParse({
      id: id.trim(),
      type,
      ...(name.trim() ? { name: name.trim() } : {}),
      config: config ?? {},
      delivery: deliveryValue,
      enabled,
    });
    if (!input.success) addIssues(next, input.error.issues);
    if (!input.success || Object.keys(next).length > 0) {
      fail(next);
      return;
    }
    setErrors({});
    if (!editing) {
      create.mutate(input.data);
      return;
    }
    // The server merges delivery options into the stored ones; sending them all makes "empty" mean the default here too.
    update.mutate({
      arn: editing.arn,
      update: {
        name: name.trim() || editing.id,
        enabled,
        delivery: deliveryOptionsSchema.parse(input.data.delivery ?? {}),
        // Masked secrets go back as they came: the server keeps the stored value for them.
        ...(config ? { config } : {}),
      },
    });
  }

  const typeError = errors.type;
  const idError = errors.id;
  const nameError = errors.name;

  return (
    <form ref={formRef} className={styles.form} onSubmit={submit} noValidate aria-labelledby={titleId}>
      <div className="dialog-body">
        <h2 id={titleId}>{editing ? `Edit target ${editing.name}` : "New target"}</h2>
        {bannerErrors.length > 0 ? (
          <div className="form-error" role="alert" tabIndex={-1} data-form-banner>
            {bannerErrors.map(([key, message]) => (
              <div key={key}>{message}</div>
            ))}
          </div>
        ) : null}

        <div className={styles.fields}>
          <Field label="Type" htmlFor={`${uid}-type`} error={typeError} hint={editing ? "The type is part of the ARN and cannot change." : undefined}>
            <select
              id={`${uid}-type`}
              value={type}
              disabled={Boolean(editing)}
              data-autofocus={editing ? undefined : true}
              aria-invalid={typeError ? true : undefined}
              aria-describedby={typeError ? `${uid}-type-error` : undefined}
              onChange={(e) => {
                setType(e.target.value);
                setErrors({});
              }}
            >
              {TARGET_TYPE_NAMES.map((typeName) => (
                <option key={typeName} value={typeName}>
                  {TARGET_TYPES[typeName]?.label ?? typeName}
                </option>
              ))}
              {editing && !entry ? <option value={editing.type}>{editing.type}</option> : null}
            </select>
          </Field>

          <div className="field">
            <label htmlFor={`${uid}-id`}>
              ID
              {editing ? null : <RequiredMark />}
            </label>
            <input
              id={`${uid}-id`}
              type="text"
              value={id}
              readOnly={Boolean(editing)}
              aria-required={editing ? undefined : true}
              spellCheck={false}
              autoComplete="off"
              maxLength={64}
              aria-invalid={idError ? true : undefined}
              aria-describedby={idError ? `${uid}-id-error` : `${uid}-id-hint`}
              onChange={(e) => setId(e.target.value)}
            />
            <Message
              id={`${uid}-id`}
              error={idError}
              hint={editing ? "Part of the ARN: it cannot change." : "Letters, digits, '-' and '_'. Part of the ARN: it cannot change later."}
            />
          </div>

          <Field label="Name" htmlFor={`${uid}-name`} error={nameError} hint="Shown in the console. Empty means the ID.">
            <input
              id={`${uid}-name`}
              type="text"
              value={name}
              maxLength={200}
              autoComplete="off"
              data-autofocus={editing ? true : undefined}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? `${uid}-name-error` : undefined}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>

          <div className={`field ${styles.checkField}`}>
            <label className="checkbox">
              <input type="checkbox" id={`${uid}-enabled`} checked={enabled} aria-describedby={`${uid}-enabled-hint`} onChange={(e) => setEnabled(e.target.checked)} />
              Enabled
            </label>
            <Message id={`${uid}-enabled`} error={errors.enabled} hint="A disabled target gets no worker: its events are refused and it is not checked." />
          </div>
        </div>

        {configSchema && entry ? (
          <fieldset>
            <legend>{entry.label} settings</legend>
            {errors.config ? (
              <p className={styles.groupError} role="alert">
                {errors.config}
              </p>
            ) : null}
            <SchemaForm
              schema={configSchema}
              value={configDraft}
              onChange={(next) => setConfigs((all) => ({ ...all, [type]: next }))}
              path="config"
              idPrefix={`${uid}-config`}
              errors={errors}
              secretFields={entry.secretFields}
              label="Config"
            />
          </fieldset>
        ) : (
          <p className="muted">This console has no form for targets of type {type}; its settings are kept as they are.</p>
        )}

        <fieldset>
          <legend>Delivery options</legend>
          <p className={styles.fieldsetHint}>Leave a field empty to use its default.</p>
          {errors.delivery ? (
            <p className={styles.groupError} role="alert">
              {errors.delivery}
            </p>
          ) : null}
          <SchemaForm schema={DELIVERY_SCHEMA} value={delivery} onChange={setDelivery} path="delivery" idPrefix={`${uid}-delivery`} errors={errors} label="Delivery" />
        </fieldset>
      </div>

      <div className={`dialog-actions ${styles.stickyActions}`}>
        {pending ? <Spinner label="Saving" /> : null}
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={pending}>
          {editing ? "Save target" : "Create target"}
        </Button>
      </div>
    </form>
  );
}
