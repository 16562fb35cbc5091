import type { Metadata } from "next";
import { TargetHealthDetail } from "@/components/health/target-health-detail.tsx";

export const metadata: Metadata = { title: "Target health" };

/** A malformed escape in a hand-typed URL should reach the page's "not found", not crash the render. */
function decodeArn(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export default async function TargetHealthPage({ params }: { params: Promise<{ arn: string }> }) {
  const { arn } = await params;
  return <TargetHealthDetail arn={decodeArn(arn)} />;
}
