import type { EventPattern } from "../events/event-names.ts";

/** One rule of a bucket's notification configuration (an S3 QueueConfiguration). */
export interface NotificationRule {
  /** The configuration Id; unique within the bucket. Delivered as s3.configurationId. */
  id: string;
  /** Event names or patterns as the user wrote them (compound names allowed). */
  events: EventPattern[];
  prefix?: string;
  suffix?: string;
  /** ARNs of the targets that receive matching events. */
  targetArns: string[];
}

export interface BucketNotificationConfig {
  bucket: string;
  rules: NotificationRule[];
}
