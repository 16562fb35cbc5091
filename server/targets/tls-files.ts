import { z } from "zod";

/**
 * TLS material for a target's client connection, as file paths so
 * certificates can be rotated on disk. Shared by every target type.
 */
export const tlsFilesSchema = z
  .strictObject({
    /** PEM file of the CA(s) to trust for the server's certificate; like Node's `ca`, it replaces the system CAs for this target. */
    caFile: z.string().min(1).optional().describe("PEM file of the CA(s) to trust; replaces the system CAs for this target."),
    /** Client certificate for mutual TLS; needs keyFile. */
    certFile: z.string().min(1).optional().describe("Client certificate (PEM) for mutual TLS; needs the key file."),
    keyFile: z.string().min(1).optional().describe("Client private key (PEM)."),
    /** Accept any certificate. For testing only: it removes all protection against impersonation. */
    skipVerify: z.boolean().default(false).describe("Accept any certificate. For testing only."),
  })
  .superRefine((tls, ctx) => {
    if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
      const missing = tls.certFile === undefined ? "certFile" : "keyFile";
      ctx.addIssue({ code: "custom", path: [missing], message: "certFile and keyFile must be given together" });
    }
  });

export type TlsFiles = z.infer<typeof tlsFilesSchema>;
