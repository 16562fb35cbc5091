import { defineTargetType } from "../define-target-type.ts";
import { MYSQL_SECRET_FIELDS, mysqlConfigSchema } from "./mysql-config.ts";
import { MysqlTarget } from "./mysql-target.ts";

export const mysqlTargetType = defineTargetType("mysql", "MySQL / MariaDB", mysqlConfigSchema, MYSQL_SECRET_FIELDS, MysqlTarget);
