import type { Metadata } from "next";
import { BucketList } from "@/components/buckets/bucket-list.tsx";

export const metadata: Metadata = { title: "Buckets & rules" };

export default function BucketsPage() {
  return <BucketList />;
}
