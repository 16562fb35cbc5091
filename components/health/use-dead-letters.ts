"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC, useTRPCClient } from "@/components/providers/trpc.tsx";

export const DEAD_LETTER_PAGE = 50;

/**
 * A target's dead letters, 50 at a time, each page continuing after the
 * last id of the one before. tRPC's infiniteQueryOptions only knows inputs
 * named `cursor`, so this builds the infinite query by hand, under the
 * procedure's own key path so invalidating `targets.deadLetters` reaches it.
 */
export function useDeadLetters(arn: string) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  return useInfiniteQuery({
    queryKey: [...trpc.targets.deadLetters.pathKey(), { input: { arn, limit: DEAD_LETTER_PAGE }, type: "infinite" }],
    queryFn: ({ pageParam }) => client.targets.deadLetters.query({ arn, limit: DEAD_LETTER_PAGE, ...(pageParam > 0 ? { afterId: pageParam } : {}) }),
    initialPageParam: 0,
    getNextPageParam: (page) => (page.length < DEAD_LETTER_PAGE ? undefined : page[page.length - 1]?.deliveryId),
  });
}
