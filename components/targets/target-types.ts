import { TARGET_CONFIG_SCHEMAS, type TargetConfigSchema } from "@/server/targets/target-config-schemas.ts";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/app-router.ts";

/** Every type the console can configure, straight from the server's schema table, so new types appear by themselves. */
export const TARGET_TYPES: Readonly<Record<string, TargetConfigSchema>> = TARGET_CONFIG_SCHEMAS;
export const TARGET_TYPE_NAMES: readonly string[] = Object.keys(TARGET_TYPES);

export function targetTypeOf(type: string): TargetConfigSchema | undefined {
  return Object.hasOwn(TARGET_TYPES, type) ? TARGET_TYPES[type] : undefined;
}

export function typeLabel(type: string): string {
  return targetTypeOf(type)?.label ?? type;
}

/** A target as `targets.list` returns it: config secrets masked, live stats or null when disabled. */
export type Target = inferRouterOutputs<AppRouter>["targets"]["list"][number];

export type FormMode = { kind: "create" } | { kind: "edit"; target: Target };
