import { AppError } from "../../errors/app-error.ts";
import { type CredentialScope, parseCredential } from "./credential-scope.ts";

export interface ParsedAuthorization {
  credential: CredentialScope;
  signedHeaders: string[];
  signature: string;
}

const FIELD = "authorization";

/** Parses "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." (any order, any spacing). */
export function parseAuthorizationHeader(value: string): ParsedAuthorization {
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== "AWS4-HMAC-SHA256") {
    // Signature Version 2 and SigV4a are real schemes Herald chooses not to speak, not garbage.
    if (algorithm === "AWS" || algorithm.startsWith("AWS4-")) {
      throw new AppError(
        "InvalidRequest",
        "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
        { field: FIELD },
      );
    }
    throw malformed(`the algorithm '${algorithm}' is not AWS4-HMAC-SHA256`);
  }

  const fields = new Map<string, string>();
  for (const piece of trimmed.slice(space).split(",")) {
    const part = piece.trim();
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) throw malformed(`'${part}' is not of the form Name=Value`);
    const name = part.slice(0, eq).trim();
    if (fields.has(name)) throw malformed(`${name} is given twice`);
    fields.set(name, part.slice(eq + 1).trim());
  }

  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!credential) throw malformed("it has no Credential");
  if (!signedHeaders) throw malformed("it has no SignedHeaders");
  if (!signature) throw malformed("it has no Signature");

  return {
    credential: parseCredential(credential, FIELD),
    signedHeaders: parseSignedHeaders(signedHeaders, FIELD),
    signature,
  };
}

/** "host;x-amz-date" -> ["host", "x-amz-date"]; names are case-insensitive, canonical form is lower case. */
export function parseSignedHeaders(list: string, field: string): string[] {
  const names = list.split(";").map((name) => name.trim().toLowerCase());
  if (names.some((name) => name === "")) {
    throw new AppError("AuthorizationHeaderMalformed", `The authorization header is malformed; SignedHeaders '${list}' has an empty name.`, {
      field,
    });
  }
  return names;
}

function malformed(reason: string): AppError {
  return new AppError("AuthorizationHeaderMalformed", `The authorization header is malformed; ${reason}.`, { field: FIELD });
}
