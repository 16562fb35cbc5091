"use client";

import { useEffect, useRef, type ReactNode } from "react";

/**
 * A native modal <dialog> that is open while mounted: the browser traps focus,
 * closes it on Escape and returns focus to the control that opened it.
 */
export function ModalDialog({ label, onClose, className, children }: { label: string; onClose: () => void; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label={label}
      className={className}
      // The close event is queued: in development React remounts effects, so a
      // close from the first mount can arrive after the dialog reopened.
      onClose={() => {
        if (!ref.current?.open) onClose();
      }}
    >
      {children}
    </dialog>
  );
}
