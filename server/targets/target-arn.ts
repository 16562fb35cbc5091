import { AppError } from "../errors/app-error.ts";

/**
 * Target ARNs follow the MinIO/RustFS shape (`arn:minio:sqs:<region>:<id>:<type>`)
 * with Herald's own partition, so rules written for those stores port over by
 * changing one word.
 */
export const ARN_PARTITION = "herald";
export const ARN_SERVICE = "sqs";

export const TARGET_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
// `:` separates the ARN's parts, so it can appear in none of them.
const REGION_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const TYPE_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

export interface TargetArnParts {
  region: string;
  id: string;
  type: string;
}

export function isValidTargetId(id: string): boolean {
  return TARGET_ID_PATTERN.test(id);
}

/** `arn:herald:sqs:<region>:<id>:<type>`; a ValidationError names the part at fault (`region`, `id` or `type`). */
export function buildTargetArn(parts: TargetArnParts): string {
  checkPart(parts.region, REGION_PATTERN, "region", "1 to 64 letters, digits, '.', '-' or '_'");
  checkPart(parts.id, TARGET_ID_PATTERN, "id", "1 to 64 letters, digits, '-' or '_'");
  checkPart(parts.type, TYPE_PATTERN, "type", "a lower-case target type such as webhook");
  return `arn:${ARN_PARTITION}:${ARN_SERVICE}:${parts.region}:${parts.id}:${parts.type}`;
}

/**
 * Splits a target ARN into its parts. Only the syntax is checked: whether the
 * type is known or the target exists is the caller's question. `field` lets
 * callers name where the ARN came from, e.g. `rules[0].targetArns[2]`.
 */
export function parseTargetArn(arn: string, field = "arn"): TargetArnParts {
  const fail = (why: string): never => {
    throw new AppError("ValidationError", `${field}: ${JSON.stringify(arn)} is not a target ARN (${why}); expected arn:${ARN_PARTITION}:${ARN_SERVICE}:<region>:<id>:<type>`, {
      field,
      details: { arn },
    });
  };
  if (typeof arn !== "string") return fail("not a string");
  const parts = arn.split(":");
  if (parts.length !== 6) return fail(`has ${parts.length} ':'-separated parts, not 6`);
  const [prefix, partition, service, region, id, type] = parts as [string, string, string, string, string, string];
  if (prefix !== "arn") return fail("does not start with arn:");
  if (partition !== ARN_PARTITION) return fail(`partition must be ${ARN_PARTITION}`);
  if (service !== ARN_SERVICE) return fail(`service must be ${ARN_SERVICE}`);
  if (!REGION_PATTERN.test(region)) return fail("bad region");
  if (!TARGET_ID_PATTERN.test(id)) return fail("target id must be 1 to 64 letters, digits, '-' or '_'");
  if (!TYPE_PATTERN.test(type)) return fail("bad target type");
  return { region, id, type };
}

/** True when `arn` parses; for filters and guards that must not throw. */
export function isTargetArn(arn: string): boolean {
  try {
    parseTargetArn(arn);
    return true;
  } catch {
    return false;
  }
}

function checkPart(value: string, pattern: RegExp, field: string, expected: string): void {
  if (typeof value !== "string" || !pattern.test(value)) {
    throw new AppError("ValidationError", `${field}: must be ${expected}`, { field, details: { value } });
  }
}
