import { XMLBuilder, XMLParser, XMLValidator, type EntityDecoderOptions } from "fast-xml-parser";
import { AppError } from "../errors/app-error.ts";
import type { BucketNotificationConfig } from "./notification-config.ts";
import type { FilterRuleInput, NotificationConfigInput, NotificationRuleInput } from "./notification-config-schema.ts";

const S3_XML_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

const ROOT = "NotificationConfiguration";

/** Destinations S3 knows but Herald does not deliver to; every Herald target is addressed as a Queue. */
const UNSUPPORTED_CONFIGURATIONS: Record<string, string> = {
  CloudFunctionConfiguration: "CloudFunctionConfiguration (Lambda)",
  LambdaFunctionConfiguration: "LambdaFunctionConfiguration",
  TopicConfiguration: "TopicConfiguration (SNS)",
  EventBridgeConfiguration: "EventBridgeConfiguration",
};

const XML_ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;
const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/**
 * Only XML's own entities and character references. The parser's default
 * decoder ignores numeric references (and silently drops some), which would
 * corrupt keys that a writer had to escape, such as `&#13;`.
 */
const xmlEntityDecoder: EntityDecoderOptions = {
  setExternalEntities: () => undefined,
  addInputEntities: (entities) => {
    // A notification configuration has no use for a DTD, and entity
    // expansion is the classic way to blow up an XML parser.
    if (Object.keys(entities).length > 0) throw new AppError("MalformedXML", "DOCTYPE entity declarations are not accepted");
  },
  reset: () => undefined,
  setXmlVersion: () => undefined,
  decode: (text) =>
    text.includes("&")
      ? text.replace(XML_ENTITY, (_, hex: string | undefined, dec: string | undefined, name: string | undefined) =>
          hex !== undefined
            ? String.fromCodePoint(parseInt(hex, 16))
            : dec !== undefined
              ? String.fromCodePoint(parseInt(dec, 10))
              : NAMED_ENTITIES[name ?? ""]!,
        )
      : text,
};

const parser = new XMLParser({
  ignoreAttributes: true,
  // Clients may write the S3 namespace with a prefix (`<s3:Event>`) or not at all.
  removeNSPrefix: true,
  // Ids like "007" and filter values with spaces must arrive exactly as written.
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Every element as an array, so repeated and single elements read the same and repeats can be refused.
  isArray: () => true,
  entityDecoder: xmlEntityDecoder,
});

const builder = new XMLBuilder({ ignoreAttributes: false, processEntities: false, suppressEmptyNode: false });

/**
 * Reads an S3 NotificationConfiguration document (as PutBucketNotificationConfiguration
 * sends it) into the raw input that validateNotificationConfig checks.
 * QueueConfigurations sharing an Id, events and filter are one rule with several
 * targets (that is how toNotificationXml writes such a rule); sharing only the Id
 * they stay separate rules, which validation reports as DuplicateRuleId.
 * Throws MalformedXML or UnsupportedConfiguration.
 */
export function parseNotificationXml(xml: string, bucket: string): NotificationConfigInput {
  const document = parseDocument(xml);
  const roots = Object.entries(document).flatMap(([name, elements]) => (elements ?? []).map(() => `<${name}>`));
  if (roots.length !== 1 || roots[0] !== `<${ROOT}>`) {
    throw new AppError("MalformedXML", `the root element must be one <${ROOT}>, found ${roots.join(", ") || "none"}`);
  }
  const root = document[ROOT]![0];
  if (typeof root === "object" && root !== null) {
    for (const name of Object.keys(root)) {
      const what = UNSUPPORTED_CONFIGURATIONS[name];
      if (what) {
        throw new AppError("UnsupportedConfiguration", `${what} is not supported; Herald delivers to targets named in QueueConfiguration`, {
          details: { element: name },
        });
      }
    }
  }
  const queues = elementsOf(root, ROOT, ["QueueConfiguration"]).QueueConfiguration ?? [];
  return { bucket, rules: mergeSameRule(queues.map((queue, index) => readQueueConfiguration(queue, `QueueConfiguration[${index}]`))) };
}

/** Writes a configuration as S3 returns it from GetBucketNotificationConfiguration: one QueueConfiguration per target. */
export function toNotificationXml(config: BucketNotificationConfig): string {
  const queues = config.rules.flatMap((rule) => {
    const filterRules = [
      ...(rule.prefix ? [{ Name: "prefix", Value: escapeXmlText(rule.prefix) }] : []),
      ...(rule.suffix ? [{ Name: "suffix", Value: escapeXmlText(rule.suffix) }] : []),
    ];
    return rule.targetArns.map((arn) => ({
      Id: escapeXmlText(rule.id),
      Queue: escapeXmlText(arn),
      Event: rule.events.map(escapeXmlText),
      ...(filterRules.length > 0 ? { Filter: { S3Key: { FilterRule: filterRules } } } : {}),
    }));
  });
  return builder.build({
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    [ROOT]: { "@_xmlns": S3_XML_NAMESPACE, ...(queues.length > 0 ? { QueueConfiguration: queues } : {}) },
  }) as string;
}

/**
 * Escapes element text. A carriage return is written as a reference because
 * XML parsers turn a literal one into a newline; other control characters are
 * written as references too, as S3 does for keys in listings (XML 1.0 has no
 * literal form for them).
 */
function escapeXmlText(value: string): string {
  return value.replace(/[&<>\r\u0001-\u0008\u000B\u000C\u000E-\u001F]/g, (c) => {
    if (c === "&") return "&amp;";
    if (c === "<") return "&lt;";
    if (c === ">") return "&gt;";
    return `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`;
  });
}

type Elements = Record<string, unknown[] | undefined>;

function parseDocument(xml: string): Elements {
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    throw new AppError("MalformedXML", `malformed XML at line ${line}, column ${col}: ${msg}`, { details: { line, column: col } });
  }
  try {
    return parser.parse(xml) as Elements;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("MalformedXML", `malformed XML: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

function readQueueConfiguration(queue: unknown, where: string): NotificationRuleInput {
  const parts = elementsOf(queue, where, ["Id", "Queue", "Event", "Filter"]);
  const id = textOf(single(parts, "Id", where), `${where}.Id`);
  // Names and ARNs never contain whitespace, so indentation around them is forgiven; Id and filter values are kept verbatim.
  const arn = textOf(single(parts, "Queue", where), `${where}.Queue`)?.trim();
  const events = (parts.Event ?? []).map((event, i) => textOf(event, `${where}.Event[${i}]`)!.trim());
  const filter = single(parts, "Filter", where);
  return {
    id: id ?? "",
    events,
    ...(filter === undefined ? {} : { filterRules: readFilter(filter, `${where}.Filter`) }),
    targetArns: arn === undefined ? [] : [arn],
  };
}

function readFilter(filter: unknown, where: string): FilterRuleInput[] {
  const key = single(elementsOf(filter, where, ["S3Key"]), "S3Key", where);
  if (key === undefined) return [];
  const rules = elementsOf(key, `${where}.S3Key`, ["FilterRule"]).FilterRule ?? [];
  return rules.map((rule, i) => {
    const at = `${where}.S3Key.FilterRule[${i}]`;
    const parts = elementsOf(rule, at, ["Name", "Value"]);
    const name = textOf(single(parts, "Name", at), `${at}.Name`);
    const value = textOf(single(parts, "Value", at), `${at}.Value`);
    if (name === undefined || value === undefined) throw new AppError("MalformedXML", `${at} needs both <Name> and <Value>`);
    return { name: name.trim(), value };
  });
}

function mergeSameRule(rules: NotificationRuleInput[]): NotificationRuleInput[] {
  const merged: NotificationRuleInput[] = [];
  const byId = new Map<string, NotificationRuleInput[]>();
  for (const rule of rules) {
    const sameId = rule.id === "" ? undefined : byId.get(rule.id);
    const twin = sameId?.find((other) => subscriptionKey(other) === subscriptionKey(rule));
    if (twin) {
      twin.targetArns.push(...rule.targetArns);
      continue;
    }
    merged.push(rule);
    if (sameId) sameId.push(rule);
    else byId.set(rule.id, [rule]);
  }
  return merged;
}

/** Events and filter, independent of the order they were written in. */
function subscriptionKey(rule: NotificationRuleInput): string {
  const filters = (rule.filterRules ?? []).map((f) => `${f.name.toLowerCase()}\u0000${f.value}`).sort();
  return JSON.stringify([[...rule.events].sort(), filters]);
}

/** The child elements of an element, refusing stray text and elements S3 does not define there. */
function elementsOf(node: unknown, where: string, allowed: readonly string[]): Elements {
  if (typeof node === "string") {
    if (node.trim() !== "") throw new AppError("MalformedXML", `${where} must contain elements, not text`);
    return {};
  }
  const elements = node as Elements & { "#text"?: unknown };
  for (const name of Object.keys(elements)) {
    if (name === "#text") {
      if (String(elements["#text"]).trim() !== "") throw new AppError("MalformedXML", `${where} must contain elements, not text`);
    } else if (!allowed.includes(name)) {
      throw new AppError("MalformedXML", `unexpected element <${name}> in ${where}; expected ${allowed.map((a) => `<${a}>`).join(", ")}`, {
        details: { element: name },
      });
    }
  }
  return elements;
}

function single(parts: Elements, name: string, where: string): unknown {
  const list = parts[name];
  if (list === undefined) return undefined;
  if (list.length > 1) throw new AppError("MalformedXML", `${where} has more than one <${name}>`, { details: { element: name } });
  return list[0];
}

function textOf(node: unknown, where: string): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node !== "string") throw new AppError("MalformedXML", `${where} must contain text, not elements`);
  return node;
}
