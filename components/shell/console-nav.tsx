"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc.tsx";

const LINKS = [
  { href: "/health", label: "Target health" },
  { href: "/live", label: "Live events" },
  { href: "/archive", label: "Event archive" },
  { href: "/query", label: "Query" },
  { href: "/buckets", label: "Buckets & rules" },
  { href: "/targets", label: "Targets" },
];

export function ConsoleNav() {
  const pathname = usePathname();
  const trpc = useTRPC();
  const session = useQuery(trpc.auth.session.queryOptions());
  const signOut = useMutation(trpc.auth.signOut.mutationOptions({ onSuccess: () => window.location.assign("/sign-in") }));
  return (
    <nav className="nav" aria-label="Console">
      <div className="brand">Herald</div>
      {LINKS.map((link) => (
        <Link key={link.href} href={link.href} aria-current={pathname === link.href || pathname.startsWith(`${link.href}/`) ? "page" : undefined}>
          {link.label}
        </Link>
      ))}
      <div className="spacer" />
      {session.data ? <div className="who">Signed in as {session.data.user}</div> : null}
      <button className="btn ghost" style={{ color: "#cfd6e2" }} onClick={() => signOut.mutate()} disabled={signOut.isPending}>
        Sign out
      </button>
    </nav>
  );
}
