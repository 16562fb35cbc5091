"use client";

import { Suspense } from "react";
import { LoadingState } from "@/components/ui/states.tsx";
import { ArchiveSearch } from "./archive-search.tsx";

/** Next requires a Suspense boundary around anything reading useSearchParams on a prerendered page. */
export function EventArchive() {
  return (
    <Suspense fallback={<LoadingState what="the archive" />}>
      <ArchiveSearch />
    </Suspense>
  );
}
