import type { ReactNode } from "react";
import { ConsoleNav } from "@/components/shell/console-nav.tsx";

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <div className="shell">
      <ConsoleNav />
      <main className="main">{children}</main>
    </div>
  );
}
