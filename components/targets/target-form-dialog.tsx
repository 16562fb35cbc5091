"use client";

import { useEffect, useId, useRef } from "react";
import { TargetForm } from "./target-form.tsx";
import type { FormMode } from "./target-types.ts";
import styles from "./targets.module.css";

/** The create/edit form in a modal dialog: Escape or Cancel closes it, focus returns to what opened it. */
export function TargetFormDialog({ mode, onClose, onSaved }: { mode: FormMode | null; onClose: () => void; onSaved: (notice: string) => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (mode && !element.open) {
      element.showModal();
      element.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    } else if (!mode && element.open) {
      element.close();
    }
  }, [mode]);

  return (
    <dialog ref={dialog} className={styles.formDialog} aria-labelledby={titleId} onClose={onClose}>
      {mode ? (
        <TargetForm
          key={mode.kind === "edit" ? mode.target.arn : "new"}
          mode={mode}
          titleId={titleId}
          onCancel={() => dialog.current?.close()}
          onSaved={(notice) => {
            onSaved(notice);
            dialog.current?.close();
          }}
        />
      ) : null}
    </dialog>
  );
}
