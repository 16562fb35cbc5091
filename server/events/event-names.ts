import { AppError } from "../errors/app-error.ts";

/**
 * The S3 event names Herald knows, grouped by category. Each single name is
 * what an event carries; compound names (wildcards and `Everything`) appear
 * only in rules and expand to singles when a rule is indexed.
 */
export const EVENT_CATEGORIES = {
  ObjectCreated: [
    "s3:ObjectCreated:Put",
    "s3:ObjectCreated:Post",
    "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectCreated:PutRetention",
    "s3:ObjectCreated:PutLegalHold",
  ],
  ObjectRemoved: [
    "s3:ObjectRemoved:Delete",
    "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectRemoved:DeleteAllVersions",
    "s3:ObjectRemoved:NoOP",
  ],
  ObjectAccessed: [
    "s3:ObjectAccessed:Get",
    "s3:ObjectAccessed:Head",
    "s3:ObjectAccessed:GetRetention",
    "s3:ObjectAccessed:GetLegalHold",
    "s3:ObjectAccessed:Attributes",
  ],
  ObjectTagging: ["s3:ObjectTagging:Put", "s3:ObjectTagging:Delete"],
  ObjectAcl: ["s3:ObjectAcl:Put"],
  Replication: [
    "s3:Replication:OperationFailedReplication",
    "s3:Replication:OperationCompletedReplication",
    "s3:Replication:OperationMissedThreshold",
    "s3:Replication:OperationReplicatedAfterThreshold",
    "s3:Replication:OperationNotTracked",
  ],
  ObjectRestore: ["s3:ObjectRestore:Post", "s3:ObjectRestore:Completed"],
  ObjectTransition: ["s3:ObjectTransition:Failed", "s3:ObjectTransition:Complete"],
  LifecycleExpiration: ["s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated"],
  LifecycleDelMarkerExpiration: ["s3:LifecycleDelMarkerExpiration:Delete"],
  LifecycleTransition: ["s3:LifecycleTransition"],
  Scanner: ["s3:Scanner:ManyVersions", "s3:Scanner:LargeVersions", "s3:Scanner:BigPrefix"],
  IntelligentTiering: ["s3:IntelligentTiering"],
  Bucket: ["s3:BucketCreated:*", "s3:BucketRemoved:*"],
} as const;

export type EventCategory = keyof typeof EVENT_CATEGORIES;
export type EventName = (typeof EVENT_CATEGORIES)[EventCategory][number];

export const EVENT_NAMES: readonly EventName[] = Object.values(EVENT_CATEGORIES).flat();

const ALL_SINGLE = new Set<string>(EVENT_NAMES);

/** Compound names and the single names they stand for. */
export const COMPOUND_EVENT_NAMES = {
  "s3:ObjectAccessed:*": EVENT_CATEGORIES.ObjectAccessed,
  "s3:ObjectCreated:*": EVENT_CATEGORIES.ObjectCreated,
  "s3:ObjectRemoved:*": EVENT_CATEGORIES.ObjectRemoved,
  "s3:ObjectTagging:*": EVENT_CATEGORIES.ObjectTagging,
  "s3:Replication:*": EVENT_CATEGORIES.Replication,
  "s3:ObjectRestore:*": EVENT_CATEGORIES.ObjectRestore,
  "s3:LifecycleExpiration:*": EVENT_CATEGORIES.LifecycleExpiration,
  "s3:ObjectTransition:*": EVENT_CATEGORIES.ObjectTransition,
  "s3:Scanner:*": EVENT_CATEGORIES.Scanner,
  Everything: EVENT_NAMES,
} as const satisfies Record<string, readonly EventName[]>;

export type CompoundEventName = keyof typeof COMPOUND_EVENT_NAMES;
export type EventPattern = EventName | CompoundEventName;

export function isEventName(value: string): value is EventName {
  return ALL_SINGLE.has(value);
}

export function isCompoundEventName(value: string): value is CompoundEventName {
  return Object.prototype.hasOwnProperty.call(COMPOUND_EVENT_NAMES, value);
}

export function isEventPattern(value: string): value is EventPattern {
  return isEventName(value) || isCompoundEventName(value);
}

/**
 * Parses a name or pattern as a user wrote it. Throws InvalidEventName naming
 * the value (and the field, when given) for anything unknown.
 */
export function parseEventPattern(value: string, field?: string): EventPattern {
  if (isEventPattern(value)) return value;
  return invalid(value, field);
}

/** Parses a single (non-compound) event name, as an event must carry. */
export function parseEventName(value: string, field?: string): EventName {
  if (isEventName(value)) return value;
  return invalid(value, field);
}

function invalid(value: string, field?: string): never {
  throw new AppError("InvalidEventName", `unknown S3 event name ${JSON.stringify(value)}${field ? ` in ${field}` : ""}`, {
    ...(field ? { field } : {}),
    details: { eventName: value },
  });
}

/** Expands a pattern to the single names it covers (a single name expands to itself). */
export function expandEventPattern(pattern: EventPattern): readonly EventName[] {
  if (isCompoundEventName(pattern)) return COMPOUND_EVENT_NAMES[pattern];
  return [pattern];
}

/** True when `name` is covered by `pattern`. */
export function eventPatternMatches(pattern: EventPattern, name: EventName): boolean {
  return expandEventPattern(pattern).includes(name);
}

const CATEGORY_OF = new Map<string, EventCategory>(
  (Object.entries(EVENT_CATEGORIES) as [EventCategory, readonly string[]][]).flatMap(([category, names]) =>
    names.map((name) => [name, category] as const),
  ),
);

/** The category an event name belongs to, for grouping in pickers and metrics. */
export function categoryOf(name: EventName): EventCategory {
  const category = CATEGORY_OF.get(name);
  if (category === undefined) throw new AppError("InvalidEventName", `unknown S3 event name ${name}`);
  return category;
}

/** eventVersion by event type, as AWS and the reference systems set it. */
export function eventVersionOf(name: EventName): "2.1" | "2.2" | "2.3" {
  switch (categoryOf(name)) {
    case "Replication":
      return "2.2";
    case "ObjectTagging":
    case "ObjectAcl":
    case "ObjectRestore":
    case "ObjectTransition":
    case "LifecycleExpiration":
    case "LifecycleDelMarkerExpiration":
    case "LifecycleTransition":
    case "IntelligentTiering":
      return "2.3";
    default:
      return "2.1";
  }
}

/** Removal-like events carry no size, eTag, content type or metadata. */
export function isRemovalEvent(name: EventName): boolean {
  const category = categoryOf(name);
  return (
    category === "ObjectRemoved" ||
    category === "LifecycleExpiration" ||
    category === "LifecycleDelMarkerExpiration" ||
    name === "s3:BucketRemoved:*"
  );
}
