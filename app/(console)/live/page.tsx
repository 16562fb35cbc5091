import type { Metadata } from "next";
import { LiveEvents } from "@/components/events/live-events.tsx";

export const metadata: Metadata = { title: "Live events" };

export default function LivePage() {
  return <LiveEvents />;
}
