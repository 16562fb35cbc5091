// Prisma CLI configuration. Runtime code does not read this file: the server
// builds its own client from the parsed config (server/db/prisma-client.ts).
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaBetterSQLite3({ url: "file:./data/herald.db" });
  },
});
