"use client";

import { useRef, type ReactNode } from "react";
import { Button } from "./button.tsx";

/** A destructive action behind a confirmation dialog that says what will happen. */
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  onConfirm,
  disabled,
  small,
  variant = "danger",
}: {
  label: ReactNode;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  small?: boolean;
  variant?: "danger" | "primary" | "secondary";
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <Button variant={variant} small={small} disabled={disabled} onClick={() => dialog.current?.showModal()}>
        {label}
      </Button>
      <dialog ref={dialog} aria-label={title}>
        <div className="dialog-body">
          <h2>{title}</h2>
          <div>{children}</div>
        </div>
        <div className="dialog-actions">
          <Button onClick={() => dialog.current?.close()}>Cancel</Button>
          <Button
            variant={variant === "danger" ? "danger" : "primary"}
            onClick={() => {
              dialog.current?.close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </Button>
        </div>
      </dialog>
    </>
  );
}
