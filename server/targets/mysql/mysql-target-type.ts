import type { TargetType } from "../target.ts";
import { MYSQL_SECRET_FIELDS, mysqlConfigSchema } from "./mysql-config.ts";
import { MysqlTarget } from "./mysql-target.ts";

export const mysqlTargetType: TargetType<typeof mysqlConfigSchema> = {
  type: "mysql",
  label: "MySQL / MariaDB",
  configSchema: mysqlConfigSchema,
  secretFields: MYSQL_SECRET_FIELDS,
  create: (config, context) => new MysqlTarget(config, context),
};
