import { AppError } from "../../errors/app-error.ts";
import { type RequestTime, parseAmzDate } from "./amz-date.ts";
import { parseSignedHeaders } from "./authorization-header.ts";
import { type CredentialScope, parseCredential } from "./credential-scope.ts";
import type { QueryParam } from "./uri-encoding.ts";

/** AWS's ceiling for a presigned URL's lifetime: seven days. */
export const MAX_PRESIGNED_EXPIRES_SECONDS = 604_800;

export const PRESIGN_PARAMS = [
  "X-Amz-Algorithm",
  "X-Amz-Credential",
  "X-Amz-Date",
  "X-Amz-Expires",
  "X-Amz-SignedHeaders",
  "X-Amz-Signature",
] as const;

export interface ParsedPresign {
  credential: CredentialScope;
  time: RequestTime;
  expiresSeconds: number;
  signedHeaders: string[];
  signature: string;
}

export function isPresigned(params: readonly QueryParam[]): boolean {
  return params.some((param) => param.name === "X-Amz-Signature" || param.name === "X-Amz-Algorithm" || param.name === "X-Amz-Credential");
}

export function parsePresignedQuery(params: readonly QueryParam[]): ParsedPresign {
  const values = new Map<string, string>();
  for (const param of params) {
    if (!(PRESIGN_PARAMS as readonly string[]).includes(param.name)) continue;
    // Two values would leave which one was signed open to interpretation.
    if (values.has(param.name)) throw malformed(`${param.name} is given twice`, param.name);
    values.set(param.name, param.value);
  }
  const required = (name: (typeof PRESIGN_PARAMS)[number]): string => {
    const value = values.get(name);
    if (value === undefined || value === "") throw malformed(`the query parameter ${name} is missing`, name);
    return value;
  };

  const algorithm = required("X-Amz-Algorithm");
  if (algorithm !== "AWS4-HMAC-SHA256") {
    throw malformed(`X-Amz-Algorithm '${algorithm}' is not supported; use AWS4-HMAC-SHA256`, "X-Amz-Algorithm");
  }
  const credential = parseCredential(required("X-Amz-Credential"), "X-Amz-Credential");
  const dateText = required("X-Amz-Date");
  const time = parseAmzDate(dateText);
  if (!time) throw malformed(`X-Amz-Date '${dateText}' is not of the form YYYYMMDDTHHMMSSZ`, "X-Amz-Date");

  const expiresText = required("X-Amz-Expires");
  if (!/^\d{1,10}$/.test(expiresText)) {
    throw new AppError("InvalidArgument", "X-Amz-Expires should be a number of seconds", { field: "X-Amz-Expires" });
  }
  const expiresSeconds = Number(expiresText);
  if (expiresSeconds < 1) {
    throw new AppError("InvalidArgument", "X-Amz-Expires must be non-negative and at least 1 second", { field: "X-Amz-Expires" });
  }
  if (expiresSeconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
    throw new AppError("InvalidArgument", "X-Amz-Expires must be less than a week (in seconds) that is 604800", {
      field: "X-Amz-Expires",
    });
  }

  return {
    credential,
    time,
    expiresSeconds,
    signedHeaders: parseSignedHeaders(required("X-Amz-SignedHeaders"), "X-Amz-SignedHeaders"),
    signature: required("X-Amz-Signature"),
  };
}

function malformed(reason: string, field: string): AppError {
  return new AppError("AuthorizationHeaderMalformed", `The presigned URL is malformed; ${reason}.`, { field });
}
