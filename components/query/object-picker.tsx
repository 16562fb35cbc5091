"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { useDebounced } from "@/components/health/use-debounced.ts";
import { Button } from "@/components/ui/button.tsx";
import { Field } from "@/components/ui/field.tsx";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states.tsx";
import { formatBytes } from "./format-bytes.ts";
import styles from "./query.module.css";

/**
 * Choose the object to query: a bucket, then a key, searched by prefix
 * (folders, i.e. common prefixes up to the next `/`, open by click) and paged
 * from the store 100 at a time.
 */
export function ObjectPicker({ bucket, objectKey, onSelect }: { bucket: string; objectKey: string; onSelect: (bucket: string, key: string, contentType?: string) => void }) {
  const trpc = useTRPC();
  const buckets = useQuery(trpc.query.buckets.queryOptions());
  const [prefix, setPrefix] = useState(() => (objectKey.includes("/") ? objectKey.slice(0, objectKey.lastIndexOf("/") + 1) : ""));
  const settledPrefix = useDebounced(prefix, 250);
  const objects = useInfiniteQuery(
    trpc.query.objects.infiniteQueryOptions(
      { bucket, prefix: settledPrefix || undefined, limit: 100 },
      { enabled: bucket !== "", getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );

  // A bucket opened from a link (?bucket=) is selectable even before the list loads.
  useEffect(() => {
    if (bucket === "" && buckets.data?.length === 1) onSelect(buckets.data[0]!.name, "");
  }, [bucket, buckets.data, onSelect]);

  const pages = objects.data?.pages ?? [];
  const prefixes = pages.flatMap((p) => p.prefixes);
  const items = pages.flatMap((p) => p.objects);

  return (
    <div className="stack">
      <Field label="Bucket" htmlFor="query-bucket">
        {buckets.isPending ? (
          <LoadingState what="buckets" />
        ) : buckets.isError ? (
          <ErrorState what="buckets" error={buckets.error} onRetry={() => void buckets.refetch()} />
        ) : buckets.data.length === 0 ? (
          <EmptyState title="No buckets yet">
            <span className="small">Create one and upload objects through Herald&apos;s S3 endpoint.</span>
          </EmptyState>
        ) : (
          <select
            id="query-bucket"
            value={bucket}
            onChange={(event) => {
              setPrefix("");
              onSelect(event.target.value, "");
            }}
          >
            <option value="">Choose a bucket…</option>
            {buckets.data.map((b) => (
              <option key={b.name} value={b.name}>
                {b.name}
              </option>
            ))}
            {bucket !== "" && !buckets.data.some((b) => b.name === bucket) ? <option value={bucket}>{bucket}</option> : null}
          </select>
        )}
      </Field>
      {bucket !== "" ? (
        <>
          <Field label="Key prefix" htmlFor="query-prefix" hint="Type the start of a key; folders open on click.">
            <input id="query-prefix" type="search" value={prefix} placeholder="e.g. logs/2026/" onChange={(event) => setPrefix(event.target.value)} />
          </Field>
          <div className={styles.objectList} role="listbox" aria-label="Objects" aria-busy={objects.isFetching}>
            {objects.isPending ? (
              <LoadingState what="objects" />
            ) : objects.isError ? (
              <ErrorState what="objects" error={objects.error} onRetry={() => void objects.refetch()} />
            ) : prefixes.length === 0 && items.length === 0 ? (
              <EmptyState title="No objects">
                <span className="small">{settledPrefix ? `Nothing under “${settledPrefix}”.` : "This bucket is empty."}</span>
              </EmptyState>
            ) : (
              <>
                {settledPrefix.includes("/") ? (
                  <button type="button" className={styles.objectItem} onClick={() => setPrefix(settledPrefix.replace(/[^/]*\/?$/, "").replace(/[^/]*$/, ""))}>
                    <span className="muted">↑ up one level</span>
                  </button>
                ) : null}
                {prefixes.map((p) => (
                  <button type="button" key={p} className={styles.objectItem} onClick={() => setPrefix(p)}>
                    <span className={styles.folder}>{p.slice(settledPrefix.lastIndexOf("/") + 1)}</span>
                  </button>
                ))}
                {items.map((o) => (
                  <button
                    type="button"
                    role="option"
                    aria-selected={o.key === objectKey}
                    key={o.key}
                    className={`${styles.objectItem} ${o.key === objectKey ? styles.objectSelected : ""}`}
                    onClick={() => onSelect(bucket, o.key, o.contentType)}
                    title={o.key}
                  >
                    <span className="mono">{o.key.slice(settledPrefix.lastIndexOf("/") + 1)}</span>
                    <span className="muted small right">{formatBytes(o.size)}</span>
                  </button>
                ))}
                {objects.hasNextPage ? (
                  <Button small onClick={() => void objects.fetchNextPage()} disabled={objects.isFetchingNextPage}>
                    {objects.isFetchingNextPage ? "Loading…" : "Load more"}
                  </Button>
                ) : null}
              </>
            )}
          </div>
        </>
      ) : null}
    </div>
  );
}
