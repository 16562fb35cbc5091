import { AppError } from "../../errors/app-error.ts";

export interface CredentialScope {
  accessKeyId: string;
  /** YYYYMMDD */
  date: string;
  region: string;
  service: string;
  /** "date/region/service/aws4_request", as it appears in every string to sign. */
  scope: string;
}

/**
 * Parses "AKID/20261123/us-east-1/s3/aws4_request". The scope is taken from
 * the right so an access key id that itself holds a '/' still parses. Any
 * region is accepted: Herald answers for whichever region a client targets.
 */
export function parseCredential(credential: string, field: string): CredentialScope {
  const parts = credential.split("/");
  if (parts.length < 5) {
    throw malformed(`the Credential '${credential}' must have the form <access-key-id>/<date>/<region>/s3/aws4_request`, field);
  }
  const terminator = parts.pop() ?? "";
  const service = parts.pop() ?? "";
  const region = parts.pop() ?? "";
  const date = parts.pop() ?? "";
  const accessKeyId = parts.join("/");
  if (accessKeyId === "") throw malformed("the Credential has an empty access key id", field);
  if (!/^\d{8}$/.test(date)) throw malformed(`the credential date '${date}' is not of the form YYYYMMDD`, field);
  if (region === "") throw malformed("the Credential has an empty region", field);
  if (service !== "s3") throw malformed(`the Credential's service '${service}' is wrong; expecting 's3'`, field);
  if (terminator !== "aws4_request") {
    throw malformed(`the Credential's terminator '${terminator}' is wrong; expecting 'aws4_request'`, field);
  }
  return { accessKeyId, date, region, service, scope: `${date}/${region}/${service}/aws4_request` };
}

function malformed(reason: string, field: string): AppError {
  return new AppError("AuthorizationHeaderMalformed", `The authorization header is malformed; ${reason}.`, { field });
}
