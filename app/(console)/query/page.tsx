import type { Metadata } from "next";
import { Suspense } from "react";
import { QueryConsole } from "@/components/query/query-console.tsx";
import { LoadingState } from "@/components/ui/states.tsx";

export const metadata: Metadata = { title: "Query" };

export default function QueryPage() {
  // The console reads ?bucket= and ?key= (from "Query this object" links), which needs a Suspense boundary.
  return (
    <Suspense fallback={<LoadingState what="the query console" />}>
      <QueryConsole />
    </Suspense>
  );
}
