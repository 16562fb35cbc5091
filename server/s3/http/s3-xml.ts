import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { AppError } from "../../errors/app-error.ts";

const S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: false, processEntities: true });
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  // Element names that may repeat become arrays even when they occur once.
  isArray: (name) => ["Object", "Part", "Tag"].includes(name),
  processEntities: true,
  // Character references (`&#10;`, how SDKs send a "\n" RecordDelimiter or a key with a control character) are XML, not HTML extras.
  htmlEntities: true,
});

/** An S3 XML document: `<Root xmlns="...">...</Root>` with the declaration S3 sends. */
export function s3Xml(root: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: { "@_xmlns": S3_NS, ...body } })}`;
}

/** Parses a request body; anything that is not well-formed XML with `root` is MalformedXML. */
export function parseS3Xml(text: string, root: string): Record<string, unknown> {
  if (text.trim() === "" || XMLValidator.validate(text) !== true) throw new AppError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
  const parsed = parser.parse(text) as Record<string, unknown>;
  const value = parsed[root];
  if (value === undefined || value === null || typeof value !== "object") {
    throw new AppError("MalformedXML", `The XML you provided was not well-formed or did not validate against our published schema (expected <${root}>)`);
  }
  return value as Record<string, unknown>;
}

export function isoDate(date: Date): string {
  return date.toISOString().replace(/(\.\d{3})\d*Z$/, "$1Z");
}
