"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import styles from "./targets.module.css";

/** An ARN in monospace with a copy button; where the clipboard API is unavailable (plain HTTP), the text is selected instead. */
export function ArnCell({ arn }: { arn: string }) {
  const text = useRef<HTMLElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "selected">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 3000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(arn);
      setState("copied");
    } catch {
      const node = text.current;
      const selection = window.getSelection();
      if (!node || !selection) return;
      const range = document.createRange();
      range.selectNodeContents(node);
      selection.removeAllRanges();
      selection.addRange(range);
      setState("selected");
    }
  }

  return (
    <div className={styles.arn}>
      <code ref={text}>{arn}</code>
      <span className="row" style={{ gap: 4 }}>
        <Button small variant="ghost" aria-label="Copy ARN" onClick={() => void copy()}>
          Copy
        </Button>
        <span role="status" className="muted small">
          {state === "copied" ? "Copied" : state === "selected" ? "Selected: press Ctrl+C" : ""}
        </span>
      </span>
    </div>
  );
}
