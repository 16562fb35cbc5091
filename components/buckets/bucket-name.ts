import { z } from "zod";

/**
 * S3's bucket naming rules, checked before navigating to a new bucket's page:
 * an impossible name would only ever receive a configuration, never an event.
 */
export const newBucketNameSchema = z
  .string()
  .min(3, "a bucket name has at least 3 characters")
  .max(63, "a bucket name has at most 63 characters")
  .regex(/^[a-z0-9.-]+$/, "use only lowercase letters, digits, dots and hyphens")
  .regex(/^[a-z0-9].*[a-z0-9]$/, "a bucket name starts and ends with a letter or a digit");

export function bucketHref(bucket: string): string {
  return `/buckets/${encodeURIComponent(bucket)}`;
}
