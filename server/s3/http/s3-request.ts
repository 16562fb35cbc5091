import type http from "node:http";
import { AppError } from "../../errors/app-error.ts";

export interface S3Target {
  bucket: string | undefined;
  /** Decoded object key; undefined for bucket and service requests. */
  key: string | undefined;
  /** The path and query exactly as received (SigV4 signs these). */
  rawPath: string;
  rawQuery: string;
  query: URLSearchParams;
}

/**
 * Which bucket and key a request addresses: virtual-host style when the Host
 * is `<bucket>.<domain>`, path style (`/<bucket>/<key>`) otherwise. In a path
 * `+` is a literal plus, so the key is percent-decoded only.
 */
export function resolveTarget(req: http.IncomingMessage, domain: string): S3Target {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? "" : url.slice(q + 1);
  const query = new URLSearchParams(rawQuery);
  const host = (req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
  const suffix = `.${domain.toLowerCase()}`;
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    throw new AppError("InvalidArgument", "the request path is not valid percent-encoding");
  }
  if (path.includes("\0")) throw new AppError("InvalidArgument", "object keys cannot contain NUL");
  if (domain !== "" && host.endsWith(suffix) && host.length > suffix.length) {
    const bucket = host.slice(0, -suffix.length);
    const key = path.replace(/^\//, "");
    return { bucket, key: key === "" ? undefined : key, rawPath, rawQuery, query };
  }
  const withoutSlash = path.replace(/^\//, "");
  if (withoutSlash === "") return { bucket: undefined, key: undefined, rawPath, rawQuery, query };
  const slash = withoutSlash.indexOf("/");
  if (slash < 0) return { bucket: withoutSlash, key: undefined, rawPath, rawQuery, query };
  const key = withoutSlash.slice(slash + 1);
  return { bucket: withoutSlash.slice(0, slash), key: key === "" ? undefined : key, rawPath, rawQuery, query };
}

/** User metadata from `x-amz-meta-*` headers, names without the prefix. */
export function userMetadata(headers: http.IncomingHttpHeaders): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith("x-amz-meta-") && value !== undefined) metadata[name.slice("x-amz-meta-".length)] = Array.isArray(value) ? value.join(",") : value;
  }
  return metadata;
}

export function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
