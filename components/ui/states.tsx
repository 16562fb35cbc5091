import type { ReactNode } from "react";
import { Button } from "./button.tsx";

export function Spinner({ label = "Loading" }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function LoadingState({ what }: { what: string }) {
  return (
    <div className="state" aria-busy="true">
      <Spinner /> <span>Loading {what}…</span>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state">
      <div className="title">{title}</div>
      {children}
    </div>
  );
}

/** A failed load: what failed, the server's message, and a way to try again. */
export function ErrorState({ what, error, onRetry }: { what: string; error: { message: string } | null; onRetry?: () => void }) {
  return (
    <div className="state error" role="alert">
      <div className="title">Could not load {what}</div>
      <div>{error?.message ?? "unknown error"}</div>
      {onRetry ? (
        <div style={{ marginTop: 10 }}>
          <Button small onClick={onRetry}>
            Try again
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** Renders loading, error or the data of a TanStack query, so every page handles all three the same way. */
export function QueryView<T>({
  query,
  what,
  children,
}: {
  query: { isPending: boolean; isError: boolean; error: { message: string } | null; data: T | undefined; refetch: () => unknown };
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <LoadingState what={what} />;
  if (query.isError || query.data === undefined) return <ErrorState what={what} error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
