"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { formatMs } from "@/components/ui/format.ts";
import { Spinner } from "@/components/ui/states.tsx";

type Outcome = { ok: boolean; text: string } | null;

/** Pause/Resume and an on-demand health check, with what each did said next to them. */
export function TargetControls({ arn, paused }: { arn: string; paused: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<Outcome>(null);

  const setPaused = useMutation(
    trpc.targets.setPaused.mutationOptions({
      onSuccess: (target) => {
        queryClient.setQueryData(trpc.targets.get.queryKey({ arn }), target);
        void queryClient.invalidateQueries({ queryKey: trpc.targets.list.queryKey() });
        setOutcome({ ok: true, text: target.paused ? "Paused: events queue up until you resume." : "Resumed: queued events are being delivered." });
      },
      onError: (error) => setOutcome({ ok: false, text: error.message }),
    }),
  );
  const checkHealth = useMutation(
    trpc.targets.checkHealth.mutationOptions({
      onSuccess: (result) => {
        void queryClient.invalidateQueries({ queryKey: trpc.targets.get.queryKey({ arn }) });
        setOutcome(
          result.ok
            ? { ok: true, text: `Health check passed in ${formatMs(result.latencyMs)}.` }
            : { ok: false, text: `Health check failed: ${result.error ?? "no reason given"}` },
        );
      },
      onError: (error) => setOutcome({ ok: false, text: error.message }),
    }),
  );
  const busy = setPaused.isPending || checkHealth.isPending;

  return (
    <>
      <Button
        onClick={() => {
          setOutcome(null);
          setPaused.mutate({ arn, paused: !paused });
        }}
        disabled={busy}
      >
        {paused ? "Resume" : "Pause"}
      </Button>
      <Button
        onClick={() => {
          setOutcome(null);
          checkHealth.mutate({ arn });
        }}
        disabled={busy}
      >
        Check health now
      </Button>
      {busy ? <Spinner label="Working" /> : null}
      <span role="status" className="small muted">
        {outcome?.ok ? outcome.text : null}
      </span>
      {outcome && !outcome.ok ? (
        <span role="alert" className="small form-error">
          {outcome.text}
        </span>
      ) : null}
    </>
  );
}
