import type { Metadata } from "next";
import { HealthOverview } from "@/components/health/health-overview.tsx";

export const metadata: Metadata = { title: "Target health" };

export default function HealthPage() {
  return <HealthOverview />;
}
