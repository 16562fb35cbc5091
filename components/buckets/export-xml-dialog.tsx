"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { QueryView } from "@/components/ui/states.tsx";
import { ModalDialog } from "./modal-dialog.tsx";
import styles from "./buckets.module.css";

/** `container` is inside the open modal dialog: the page behind it is inert. */
function download(text: string, fileName: string, container: HTMLElement) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/xml" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  container.append(link);
  link.click();
  link.remove();
  // Revoked on the next tick: some browsers start the download only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The bucket's rules as the S3 NotificationConfiguration document GetBucketNotificationConfiguration returns. */
export function ExportXmlDialog({ bucket, onClose }: { bucket: string; onClose: () => void }) {
  const trpc = useTRPC();
  const exported = useQuery(trpc.buckets.exportXml.queryOptions({ bucket }));
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");

  async function copyXml(xml: string) {
    try {
      await navigator.clipboard.writeText(xml);
      setCopy("copied");
    } catch {
      setCopy("failed");
    }
  }

  return (
    <ModalDialog label="Export XML" onClose={onClose} className={styles.wideDialog}>
      <div className="dialog-body">
        <h2>Export XML</h2>
        <p className="muted small" style={{ margin: 0 }}>
          The rules of bucket <code>{bucket}</code> as an S3 <code>NotificationConfiguration</code>, one <code>QueueConfiguration</code> per target.
        </p>
        <QueryView query={exported} what="the exported XML">
          {({ xml }) => (
            <>
              <pre className={`json ${styles.xml}`} aria-label="Exported NotificationConfiguration XML" tabIndex={0}>
                {xml}
              </pre>
              <div className="row">
                <Button variant="primary" onClick={(e) => download(xml, `${bucket}-notification.xml`, e.currentTarget.parentElement ?? document.body)}>
                  Download
                </Button>
                <Button onClick={() => void copyXml(xml)}>Copy</Button>
                <span role="status" className="small muted">
                  {copy === "copied" ? "Copied to the clipboard." : copy === "failed" ? "The browser refused the clipboard: select the text and copy it." : ""}
                </span>
              </div>
            </>
          )}
        </QueryView>
      </div>
      <div className="dialog-actions">
        <Button onClick={onClose}>Close</Button>
      </div>
    </ModalDialog>
  );
}
