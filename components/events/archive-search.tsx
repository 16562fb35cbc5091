"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useRef, useState } from "react";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { Button } from "@/components/ui/button.tsx";
import { formatCount } from "@/components/ui/format.ts";
import { PageHeader } from "@/components/ui/page-header.tsx";
import { EmptyState, QueryView } from "@/components/ui/states.tsx";
import { ArchiveFilterForm } from "./archive-filter-form.tsx";
import { checkFilters, filtersFromParams, filtersToQuery, hasFilters, isArchiveField, type ArchiveFilters } from "./archive-filters.ts";
import { ArchiveTable } from "./archive-table.tsx";
import { EventDetailDrawer } from "./event-detail-drawer.tsx";
import styles from "./events.module.css";

const PAGE_SIZE = 50;

/**
 * The archive search. The filters live in the URL (shareable, survive a
 * reload); the page position is a stack of cursors, since the API pages only
 * backwards (`nextCursor`) and "Newer" must return to where we were.
 */
export function ArchiveSearch() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = filtersFromParams(params);
  const urlKey = filtersToQuery(filters);
  const { input, errors } = checkFilters(filters);
  const valid = Object.keys(errors).length === 0;

  // Cursors belong to one search: a new search starts again at the newest page.
  const [paging, setPaging] = useState<{ key: string; cursors: number[] }>({ key: urlKey, cursors: [] });
  const cursors = paging.key === urlKey ? paging.cursors : [];
  const cursor = cursors[cursors.length - 1];
  const [openId, setOpenId] = useState<string | null>(null);
  const resultsRef = useRef<HTMLDivElement>(null);

  const search = useQuery(
    trpc.events.search.queryOptions(
      { ...input, limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) },
      { enabled: valid, placeholderData: keepPreviousData },
    ),
  );

  const serverField = search.error?.data?.field;
  const formErrors = isArchiveField(serverField) && search.error ? { ...errors, [serverField]: search.error.message } : errors;

  function runSearch(next: ArchiveFilters) {
    const query = filtersToQuery(next);
    if (query === urlKey) {
      // The same search again: the URL does not change, so go back to the newest page and fetch anew.
      setPaging({ key: urlKey, cursors: [] });
      if (cursors.length === 0 && valid) void search.refetch();
      return;
    }
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }

  function page(nextCursors: number[]) {
    setPaging({ key: urlKey, cursors: nextCursors });
    resultsRef.current?.scrollIntoView({ block: "start" });
  }

  return (
    <>
      <PageHeader title="Event archive" description="Every event Herald accepted, newest first, with what became of its deliveries." />
      <div className="stack">
        <div className="card">
          <ArchiveFilterForm filters={filters} errors={formErrors} onSearch={runSearch} />
        </div>
        <div className="card stack" ref={resultsRef}>
          {!valid ? (
            <div className="form-error" role="alert">
              The search in this address has invalid filters; correct them above and search again.
            </div>
          ) : (
            <QueryView query={search} what="archived events">
              {(data) => {
                const first = cursors.length * PAGE_SIZE + 1;
                return (
                  <>
                    <div className={styles.toolbar}>
                      <span role="status" data-testid="archive-total">
                        <strong>{formatCount(data.total)}</strong> {data.total === 1 ? "event matches" : "events match"}
                      </span>
                      {search.isFetching ? <span className="spinner" role="status" aria-label="Updating results" /> : null}
                      <div className="row right">
                        <Button small onClick={() => void search.refetch()} disabled={search.isFetching}>
                          Refresh
                        </Button>
                      </div>
                    </div>
                    {data.events.length === 0 ? (
                      <EmptyState title={hasFilters(filters) ? "No events match these filters" : "The archive is empty"}>
                        <span>{hasFilters(filters) ? "Widen the time range or clear a filter." : "Events appear here once Herald accepts them."}</span>
                      </EmptyState>
                    ) : (
                      <div className={search.isPlaceholderData ? styles.stale : undefined} aria-busy={search.isPlaceholderData}>
                        <ArchiveTable events={data.events} selectedId={openId} onOpen={setOpenId} />
                      </div>
                    )}
                    {data.events.length > 0 || cursors.length > 0 ? (
                      <nav className={styles.pager} aria-label="Pages">
                        <Button onClick={() => page(cursors.slice(0, -1))} disabled={cursors.length === 0 || search.isPlaceholderData}>
                          Newer
                        </Button>
                        <Button
                          onClick={() => data.nextCursor !== null && page([...cursors, data.nextCursor])}
                          disabled={data.nextCursor === null || search.isPlaceholderData}
                        >
                          Older
                        </Button>
                        <span className="muted small">
                          {data.events.length > 0
                            ? `Page ${cursors.length + 1} · events ${formatCount(first)}–${formatCount(first + data.events.length - 1)} of ${formatCount(data.total)}`
                            : `Page ${cursors.length + 1}`}
                        </span>
                      </nav>
                    ) : null}
                  </>
                );
              }}
            </QueryView>
          )}
        </div>
      </div>
      {openId ? <EventDetailDrawer eventId={openId} onClose={() => setOpenId(null)} /> : null}
    </>
  );
}
