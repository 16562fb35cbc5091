import type { HeraldConfig } from "../../config/config.ts";
import { LocalDiskStore } from "./local-disk-store.ts";
import type { ObjectStore } from "./object-store.ts";
import { UpstreamStore } from "./upstream-store.ts";

/**
 * The one object store of a Herald process, chosen by the configuration:
 * local disk under the data directory, or an upstream S3 service. Opened
 * whether or not the S3 endpoint listens, because the query console reads
 * the same objects.
 */
export async function openObjectStore(s3: HeraldConfig["s3"]): Promise<ObjectStore> {
  if (s3.backend === "upstream") {
    return new UpstreamStore({
      endpoint: s3.upstream.endpoint!,
      region: s3.upstream.region,
      accessKeyId: s3.upstream.accessKeyId!,
      secretAccessKey: s3.upstream.secretAccessKey!,
    });
  }
  return LocalDiskStore.open({ root: s3.objectsDir });
}
