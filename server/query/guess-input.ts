import type { InputSerialization } from "../s3/select/io/input-options.ts";

/**
 * A first guess at how to read an object, from its key (and content type when
 * the key says nothing): the console prefills its input form with it and the
 * user corrects what is wrong. Compression comes from the last extension
 * (`.gz`, `.bz2`), the format from the one before it. Unknown keys are read
 * as CSV with a header row, the most common thing people query.
 */
export function guessInput(key: string, contentType?: string): InputSerialization {
  let name = key.toLowerCase();
  let compression: "NONE" | "GZIP" | "BZIP2" = "NONE";
  if (name.endsWith(".gz") || name.endsWith(".gzip")) {
    compression = "GZIP";
    name = name.replace(/\.gz(ip)?$/, "");
  } else if (name.endsWith(".bz2")) {
    compression = "BZIP2";
    name = name.replace(/\.bz2$/, "");
  }
  const type = (contentType ?? "").toLowerCase();
  const withCompression = (input: Omit<InputSerialization, "CompressionType">): InputSerialization => ({ ...input, CompressionType: compression });

  if (name.endsWith(".parquet")) return { Parquet: {} };
  if (name.endsWith(".tsv") || name.endsWith(".tab")) return withCompression({ CSV: { FileHeaderInfo: "USE", FieldDelimiter: "\t" } });
  if (name.endsWith(".csv")) return withCompression({ CSV: { FileHeaderInfo: "USE" } });
  if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) return withCompression({ JSON: { Type: "LINES" } });
  if (name.endsWith(".json")) return withCompression({ JSON: { Type: "DOCUMENT" } });
  if (type.includes("ndjson") || type.includes("jsonl") || type.includes("json-seq")) return withCompression({ JSON: { Type: "LINES" } });
  if (type.includes("json")) return withCompression({ JSON: { Type: "DOCUMENT" } });
  if (type.includes("parquet")) return { Parquet: {} };
  if (type.includes("tab-separated")) return withCompression({ CSV: { FileHeaderInfo: "USE", FieldDelimiter: "\t" } });
  return withCompression({ CSV: { FileHeaderInfo: "USE" } });
}
