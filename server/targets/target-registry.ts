import type { ZodError } from "zod";
import { AppError } from "../errors/app-error.ts";
import { fromZodError } from "../errors/error-mapping.ts";
import { amqpTargetType } from "./amqp/amqp-target-type.ts";
import { kafkaTargetType } from "./kafka/kafka-target-type.ts";
import { mqttTargetType } from "./mqtt/mqtt-target-type.ts";
import { mysqlTargetType } from "./mysql/mysql-target-type.ts";
import { natsTargetType } from "./nats/nats-target-type.ts";
import { postgresTargetType } from "./postgres/postgres-target-type.ts";
import { redisTargetType } from "./redis/redis-target-type.ts";
import { SECRET_MASK } from "./target-config-schemas.ts";
import type { TargetType } from "./target.ts";
import { webhookTargetType } from "./webhook/webhook-target-type.ts";

/** Every target type Herald can deliver to, by its `type` name. */
export const TARGET_TYPES = {
  webhook: webhookTargetType,
  redis: redisTargetType,
  kafka: kafkaTargetType,
  amqp: amqpTargetType,
  nats: natsTargetType,
  mqtt: mqttTargetType,
  postgres: postgresTargetType,
  mysql: mysqlTargetType,
} as const satisfies Record<string, TargetType>;

export type TargetTypeName = keyof typeof TARGET_TYPES;

// Defined with the browser-safe schemas, so the console shows and sends back the same mask.
export { SECRET_MASK };

export function isTargetTypeName(type: string): type is TargetTypeName {
  return Object.hasOwn(TARGET_TYPES, type);
}

export function listTargetTypes(): TargetType[] {
  return Object.values(TARGET_TYPES);
}

/** The type's definition; an unknown type is a ValidationError naming `type`. */
export function getTargetType(type: string): TargetType {
  if (typeof type === "string" && isTargetTypeName(type)) return TARGET_TYPES[type];
  const known = Object.keys(TARGET_TYPES).join(", ");
  throw new AppError("ValidationError", `type: unknown target type ${JSON.stringify(type)} (known: ${known})`, {
    field: "type",
    details: { type, known: Object.keys(TARGET_TYPES) },
  });
}

/**
 * Validates a target's config against its type's schema and returns it with
 * defaults filled in. Errors are InvalidTargetConfig naming the field, e.g.
 * `config.endpoint` or `config.tls.keyFile`.
 */
export function parseTargetConfig(type: string, raw: unknown): Record<string, unknown> {
  const targetType = getTargetType(type);
  const parsed = targetType.configSchema.safeParse(raw);
  if (!parsed.success) throw invalidConfig(parsed.error);
  const config = parsed.data as Record<string, unknown>;
  const leftover = leftoverMask(targetType, config);
  if (leftover !== undefined) {
    throw new AppError("InvalidTargetConfig", `${leftover}: send the secret itself, not the mask ${SECRET_MASK}`, { field: leftover });
  }
  return config;
}

/**
 * A mask that survives mergeMaskedSecrets had no stored secret to stand for
 * (a create, or a secret never set); storing it would make "********" the
 * password. Returns the field holding one.
 */
function leftoverMask(targetType: TargetType, config: Record<string, unknown>): string | undefined {
  for (const [field, value] of Object.entries(config)) {
    if (typeof value !== "string") continue;
    if (value === SECRET_MASK && targetType.secretFields.includes(field)) return `config.${field}`;
    if (urlPasswordOf(value) === SECRET_MASK) return `config.${field}`;
  }
  if (isStringRecord(config.headers)) {
    for (const [name, value] of Object.entries(config.headers)) {
      if (value === SECRET_MASK && isCredentialHeader(name)) return `config.headers.${name}`;
    }
  }
  return undefined;
}

/** A copy of `config` fit to leave the server: secret fields, URL passwords and credential headers masked. */
export function maskTargetConfig(type: string, config: Record<string, unknown>): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...config };
  for (const [field, value] of Object.entries(masked)) {
    if (typeof value === "string" && value !== "" && isSecretField(type, field)) masked[field] = SECRET_MASK;
  }
  for (const [field, value] of Object.entries(masked)) {
    if (typeof value === "string" && value !== SECRET_MASK) masked[field] = maskUrlPassword(value);
  }
  if (isStringRecord(masked.headers)) {
    masked.headers = Object.fromEntries(
      Object.entries(masked.headers).map(([name, value]) => [name, isCredentialHeader(name) && value !== "" ? SECRET_MASK : value]),
    );
  }
  return masked;
}

/**
 * An edit made from a masked view sends the masks back: each masked value is
 * replaced by the stored one, so only secrets the operator actually typed change.
 */
export function mergeMaskedSecrets(
  type: string,
  incoming: Record<string, unknown>,
  existing: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...incoming };
  for (const [field, value] of Object.entries(merged)) {
    if (value !== SECRET_MASK || !isSecretField(type, field)) continue;
    if (typeof existing[field] === "string") merged[field] = existing[field];
    else delete merged[field];
  }
  for (const [field, value] of Object.entries(merged)) {
    const stored = existing[field];
    if (typeof value !== "string" || typeof stored !== "string" || urlPasswordOf(value) !== SECRET_MASK) continue;
    // The host or path may have been edited while the password was left masked.
    const password = urlPasswordOf(stored);
    if (password !== undefined) merged[field] = value.replace(URL_PASSWORD, (_all, before: string) => `${before}${password}@`);
  }
  if (isStringRecord(merged.headers) && isStringRecord(existing.headers)) {
    const storedHeaders = existing.headers;
    merged.headers = Object.fromEntries(
      Object.entries(merged.headers).map(([name, value]) => {
        const stored = storedHeaders[name];
        return [name, value === SECRET_MASK && isCredentialHeader(name) && stored !== undefined ? stored : value];
      }),
    );
  }
  return merged;
}

// For a type no longer known (a stored target from a newer or older Herald): mask what looks secret.
const SECRET_LOOKING_FIELD = /password|secret|token|credential|apikey|api_key/i;

function isSecretField(type: string, field: string): boolean {
  return isTargetTypeName(type) ? TARGET_TYPES[type].secretFields.includes(field) : SECRET_LOOKING_FIELD.test(field);
}

// Headers that carry credentials by name or by convention (X-Api-Key, X-Auth-Token, Cookie...).
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|passw|api-?key|auth|signature/i;

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

// `scheme://user:password@`, matched on the raw string so masking changes nothing else in it.
const URL_PASSWORD = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@:]*:)([^@/?#]+)@/;

/** `scheme://user:secret@host` → `scheme://user:********@host`; anything else unchanged. */
export function maskUrlPassword(value: string): string {
  return value.replace(URL_PASSWORD, (_all, before: string) => `${before}${SECRET_MASK}@`);
}

function urlPasswordOf(value: string): string | undefined {
  return URL_PASSWORD.exec(value)?.[2];
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
}

function invalidConfig(error: ZodError): AppError {
  const generic = fromZodError(error, "config");
  let field = generic.field;
  let message = generic.message;
  const first = error.issues[0];
  // zod reports unknown keys at the object that holds them; naming the key is what helps.
  if (first?.code === "unrecognized_keys" && first.keys[0] !== undefined) {
    field = `${field ?? "config"}.${first.keys[0]}`;
    message = `${field}: unknown field`;
  }
  return new AppError("InvalidTargetConfig", message, {
    ...(field === undefined ? {} : { field }),
    ...(generic.details === undefined ? {} : { details: generic.details }),
    cause: error,
  });
}
