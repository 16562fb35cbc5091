import type { Metadata } from "next";
import { BucketDetail } from "@/components/buckets/bucket-detail.tsx";

type Props = { params: Promise<{ bucket: string }> };

/** A malformed escape in a hand-typed URL is shown as typed rather than failing the page. */
function bucketOf(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { bucket } = await params;
  return { title: `${bucketOf(bucket)} · Buckets & rules` };
}

export default async function BucketPage({ params }: Props) {
  const { bucket } = await params;
  const name = bucketOf(bucket);
  // Keyed by bucket: dialogs and messages of one bucket must not carry over to the next.
  return <BucketDetail key={name} bucket={name} />;
}
