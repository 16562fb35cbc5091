"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc.tsx";
import { formatCount, formatTime } from "@/components/ui/format.ts";
import { PageHeader } from "@/components/ui/page-header.tsx";
import { EmptyState, QueryView } from "@/components/ui/states.tsx";
import { bucketHref } from "./bucket-name.ts";
import { NewBucketForm } from "./new-bucket-form.tsx";

/** Every bucket with a notification configuration, and the way to configure a new one. */
export function BucketList() {
  const trpc = useTRPC();
  const buckets = useQuery(trpc.buckets.list.queryOptions());
  return (
    <div className="stack">
      <PageHeader title="Buckets & rules" description="Which events of which bucket go to which targets." actions={<NewBucketForm />} />
      <section className="card" aria-label="Buckets">
        <QueryView query={buckets} what="buckets">
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No buckets yet">
                <p style={{ margin: 0 }}>
                  A bucket appears here once it has a notification rule. Enter its name under <strong>Bucket name</strong> and choose{" "}
                  <strong>New bucket</strong> to create its first rule.
                </p>
              </EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table" aria-label="Buckets">
                  <thead>
                    <tr>
                      <th scope="col">Bucket</th>
                      <th scope="col">Rules</th>
                      <th scope="col">Configured since</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((bucket) => (
                      <tr key={bucket.name}>
                        <td>
                          <Link href={bucketHref(bucket.name)}>{bucket.name}</Link>
                        </td>
                        <td>{bucket.ruleCount === 0 ? <span className="muted">no rules</span> : formatCount(bucket.ruleCount)}</td>
                        <td className="muted">{formatTime(Date.parse(bucket.createdAt))}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )
          }
        </QueryView>
      </section>
    </div>
  );
}
