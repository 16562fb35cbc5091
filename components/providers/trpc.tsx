"use client";

import { QueryCache, QueryClient, QueryClientProvider, MutationCache } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import { CSRF_COOKIE, CSRF_HEADER, parseCookies } from "@/server/auth/cookies.ts";
import type { AppRouter } from "@/server/trpc/app-router.ts";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

function csrfToken(): string {
  return parseCookies(document.cookie).get(CSRF_COOKIE) ?? "";
}

/** A session that ended (expired, signed out elsewhere) sends the browser back to sign-in. */
function onError(error: unknown): void {
  if (error instanceof TRPCClientError && error.data?.code === "UNAUTHORIZED" && window.location.pathname !== "/sign-in") {
    window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
}

export function ConsoleProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError }),
        mutationCache: new MutationCache({ onError }),
        defaultOptions: {
          queries: {
            staleTime: 5_000,
            retry: (count, error) => !(error instanceof TRPCClientError && error.data?.httpStatus < 500) && count < 2,
          },
        },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: "/trpc", headers: () => ({ [CSRF_HEADER]: csrfToken() }) })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
