import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { sqlString } from "./duckdb-sql.ts";

export interface DuckdbEngineOptions {
  /** Worker threads DuckDB may use for one scan. */
  threads: number;
  /** DuckDB's own memory cap (it spills or fails beyond it; a scan needs little). */
  memoryLimit: string;
}

/**
 * One in-memory DuckDB for S3 Select scans, confined before any query runs:
 * it may open files only in a private directory where Herald creates the
 * pipes that carry one object's bytes, extensions never load, and the
 * configuration is locked so no statement can loosen that.
 */
export class DuckdbEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    /** Where scans put their pipes; the only place DuckDB may read. */
    readonly pipeDir: string,
  ) {}

  static async create(options: DuckdbEngineOptions): Promise<DuckdbEngine> {
    const pipeDir = await mkdtemp(path.join(tmpdir(), "herald-select-"));
    const instance = await DuckDBInstance.create(":memory:", {
      threads: String(options.threads),
      memory_limit: options.memoryLimit,
      autoinstall_known_extensions: "false",
      autoload_known_extensions: "false",
    });
    const setup = await instance.connect();
    try {
      await setup.run(`SET allowed_directories = [${sqlString(`${pipeDir}${path.sep}`)}]`);
      await setup.run("SET enable_external_access = false");
      await setup.run("SET lock_configuration = true");
    } finally {
      setup.closeSync();
    }
    return new DuckdbEngine(instance, pipeDir);
  }

  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  async close(): Promise<void> {
    this.instance.closeSync();
    await rm(this.pipeDir, { recursive: true, force: true });
  }
}

let shared: Promise<DuckdbEngine> | undefined;

/** The process's DuckDB for scans, created on first use. */
export function sharedDuckdbEngine(): Promise<DuckdbEngine> {
  shared ??= DuckdbEngine.create({ threads: 2, memoryLimit: "128MB" }).catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
