import { defineTargetType } from "../define-target-type.ts";
import { POSTGRES_SECRET_FIELDS, postgresConfigSchema } from "./postgres-config.ts";
import { PostgresTarget } from "./postgres-target.ts";

export const postgresTargetType = defineTargetType("postgres", "PostgreSQL", postgresConfigSchema, POSTGRES_SECRET_FIELDS, PostgresTarget);
