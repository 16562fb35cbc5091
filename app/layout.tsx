import type { ReactNode } from "react";
import { ConsoleProviders } from "@/components/providers/trpc.tsx";
import "./globals.css";

export const metadata = { title: { default: "Herald", template: "%s · Herald" }, description: "S3 event notification hub" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <ConsoleProviders>{children}</ConsoleProviders>
      </body>
    </html>
  );
}
