import { z } from "zod";

/** The two table layouts of MinIO's and RustFS's SQL targets. */
export const SQL_FORMATS = ["namespace", "access"] as const;
export type SqlFormat = (typeof SQL_FORMATS)[number];

// Letters, digits and '_' only, optionally schema-qualified: the name is spliced into SQL, so nothing that needs escaping is accepted.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

export const sqlTableNameSchema = z
  .string()
  .regex(IDENTIFIER, "letters, digits and '_' (not first), at most 63, optionally schema.table")
  .describe("Table the events are written to; created if missing. Letters, digits and '_', optionally schema.table.");

/** `schema.table` quoted part by part with the dialect's quote character. */
export function quoteTableName(name: string, quote: '"' | "`"): string {
  return name
    .split(".")
    .map((part) => `${quote}${part}${quote}`)
    .join(".");
}
