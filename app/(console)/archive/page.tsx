import type { Metadata } from "next";
import { EventArchive } from "@/components/events/event-archive.tsx";

export const metadata: Metadata = { title: "Event archive" };

export default function ArchivePage() {
  return <EventArchive />;
}
