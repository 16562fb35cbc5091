import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { LazyResource } from "../../../targets/lazy-resource.ts";
import { sqlString } from "./duckdb-sql.ts";

export interface DuckdbEngineOptions {
  /** Where the private scan directory is made; on the objects' filesystem, scans can hard-link object files there. */
  scratchRoot?: string;
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
    const root = options.scratchRoot ?? tmpdir();
    await mkdir(root, { recursive: true });
    // In Herald's own scratch directory, a crashed process's scan directories (links, pipes) are garbage now.
    if (options.scratchRoot !== undefined) {
      for (const entry of await readdir(root)) {
        if (entry.startsWith("herald-select-")) await rm(path.join(root, entry), { recursive: true, force: true });
      }
    }
    const pipeDir = await mkdtemp(path.join(root, "herald-select-"));
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

/**
 * A DuckDB for scans created on first use (most Herald processes never run a
 * query). 128 MB: a line scan needs little, and Herald's whole process stays
 * well under 512 MiB while one runs.
 */
export function lazyDuckdbEngine(scratchRoot?: string): () => Promise<DuckdbEngine> {
  // A failed creation is tried again on the next query.
  const engine = new LazyResource(
    () => DuckdbEngine.create({ threads: 2, memoryLimit: "128MB", ...(scratchRoot === undefined ? {} : { scratchRoot }) }),
    (created) => created.close(),
    "DuckDB is closed",
  );
  return () => engine.get();
}
