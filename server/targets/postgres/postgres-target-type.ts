import type { TargetType } from "../target.ts";
import { POSTGRES_SECRET_FIELDS, postgresConfigSchema } from "./postgres-config.ts";
import { PostgresTarget } from "./postgres-target.ts";

export const postgresTargetType: TargetType<typeof postgresConfigSchema> = {
  type: "postgres",
  label: "PostgreSQL",
  configSchema: postgresConfigSchema,
  secretFields: POSTGRES_SECRET_FIELDS,
  create: (config, context) => new PostgresTarget(config, context),
};
