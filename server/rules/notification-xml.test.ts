import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { BucketNotificationConfig } from "./notification-config.ts";
import { parseNotificationXml, toNotificationXml } from "./notification-xml.ts";
import { collectNotificationConfigErrors, validateNotificationConfig } from "./validate-notification-config.ts";

const WEBHOOK = "arn:herald:sqs::1:webhook";
const QUEUE = "arn:herald:sqs::1:queue";
const KNOWN = new Set([WEBHOOK, QUEUE]);

/**
 * The body @aws-sdk/client-s3 sends for PutBucketNotificationConfiguration with
 * two QueueConfigurations: declaration, namespace, Id before Queue, Events
 * flattened after it, Filter last, and FilterRule names as the SDK's enum spells them.
 */
const AWS_SDK_V3_BODY =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
  "<QueueConfiguration><Id>csv-uploads</Id><Queue>arn:herald:sqs::1:webhook</Queue>" +
  "<Event>s3:ObjectCreated:Put</Event><Event>s3:ObjectCreated:CompleteMultipartUpload</Event>" +
  "<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>uploads/</Value></FilterRule>" +
  "<FilterRule><Name>Suffix</Name><Value>.csv</Value></FilterRule></S3Key></Filter></QueueConfiguration>" +
  "<QueueConfiguration><Id>deletes</Id><Queue>arn:herald:sqs::1:queue</Queue><Event>s3:ObjectRemoved:*</Event></QueueConfiguration>" +
  "</NotificationConfiguration>";

function importXml(xml: string): BucketNotificationConfig {
  return validateNotificationConfig(parseNotificationXml(xml, "photos"), KNOWN);
}

function expectError(xml: string, code: string, message?: RegExp): void {
  let thrown: unknown;
  try {
    parseNotificationXml(xml, "photos");
  } catch (error) {
    thrown = error;
  }
  expect(thrown, xml).toMatchObject({ name: "AppError", code });
  if (message) expect((thrown as Error).message).toMatch(message);
}

describe("parseNotificationXml", () => {
  it("reads the configuration as the AWS SDK v3 sends it", () => {
    expect(importXml(AWS_SDK_V3_BODY)).toEqual({
      bucket: "photos",
      rules: [
        {
          id: "csv-uploads",
          events: ["s3:ObjectCreated:Put", "s3:ObjectCreated:CompleteMultipartUpload"],
          prefix: "uploads/",
          suffix: ".csv",
          targetArns: [WEBHOOK],
        },
        { id: "deletes", events: ["s3:ObjectRemoved:*"], targetArns: [QUEUE] },
      ],
    });
  });

  it("reads the same document without the namespace, with a namespace prefix, and indented", () => {
    const expected = importXml(AWS_SDK_V3_BODY);
    const bare = AWS_SDK_V3_BODY.replace(' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"', "");
    const prefixed = AWS_SDK_V3_BODY.replace(/<(\/?)([A-Z][A-Za-z0-9]*)/g, "<$1s3:$2").replace(
      "<s3:NotificationConfiguration xmlns=",
      "<s3:NotificationConfiguration xmlns:s3=",
    );
    const indented = AWS_SDK_V3_BODY.replace(/></g, ">\n  <").replace(/<(Queue|Event)>/g, "<$1> ").replace(/<\/(Queue|Event)>/g, "\n</$1>");
    for (const xml of [bare, prefixed, indented]) expect(importXml(xml), xml).toEqual(expected);
  });

  it("reads one rule whether events and filter rules appear once or repeatedly", () => {
    const one = parseNotificationXml(
      "<NotificationConfiguration><QueueConfiguration><Id>r</Id><Queue>q</Queue><Event>e</Event></QueueConfiguration></NotificationConfiguration>",
      "b",
    );
    expect(one).toEqual({ bucket: "b", rules: [{ id: "r", events: ["e"], targetArns: ["q"] }] });
  });

  it("treats an empty configuration as no rules", () => {
    for (const xml of [
      "<NotificationConfiguration/>",
      '<?xml version="1.0"?><NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></NotificationConfiguration>',
      "<NotificationConfiguration>\n  \n</NotificationConfiguration>",
    ]) {
      expect(parseNotificationXml(xml, "photos"), xml).toEqual({ bucket: "photos", rules: [] });
    }
  });

  it("keeps ids and filter values exactly as written, and decodes entities and character references", () => {
    const xml =
      "<NotificationConfiguration><QueueConfiguration><Id>007</Id><Queue>q</Queue><Event>e</Event><Filter><S3Key>" +
      "<FilterRule><Name>prefix</Name><Value> a &amp; b&#x1F600;&#38;&#13;/</Value></FilterRule>" +
      "<FilterRule><Name>suffix</Name><Value><![CDATA[&lt;x>]]></Value></FilterRule>" +
      "</S3Key></Filter></QueueConfiguration></NotificationConfiguration>";
    expect(parseNotificationXml(xml, "b").rules[0]).toEqual({
      id: "007",
      events: ["e"],
      filterRules: [
        { name: "prefix", value: " a & b😀&\r/" },
        { name: "suffix", value: "&lt;x>" },
      ],
      targetArns: ["q"],
    });
  });

  it("leaves a missing Id, Queue or Event for validation to report on its field", () => {
    const raw = parseNotificationXml("<NotificationConfiguration><QueueConfiguration/></NotificationConfiguration>", "b");
    expect(collectNotificationConfigErrors(raw, KNOWN).map((e) => e.field)).toEqual(["rules[0].id"]);
    const noQueue = parseNotificationXml(
      "<NotificationConfiguration><QueueConfiguration><Id>r</Id><Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>",
      "b",
    );
    expect(collectNotificationConfigErrors(noQueue, KNOWN).map((e) => e.field)).toEqual(["rules[0].targetArns"]);
  });

  it("merges QueueConfigurations sharing Id, events and filter into one rule with several targets", () => {
    const qc = (queue: string, events: string) =>
      `<QueueConfiguration><Id>r</Id><Queue>${queue}</Queue>${events}<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>a/</Value></FilterRule></S3Key></Filter></QueueConfiguration>`;
    const xml = `<NotificationConfiguration>${qc(WEBHOOK, "<Event>s3:ObjectCreated:Put</Event><Event>s3:ObjectRemoved:*</Event>")}${qc(
      QUEUE,
      "<Event>s3:ObjectRemoved:*</Event><Event>s3:ObjectCreated:Put</Event>",
    )}</NotificationConfiguration>`;
    expect(importXml(xml).rules).toEqual([
      { id: "r", events: ["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"], prefix: "a/", targetArns: [WEBHOOK, QUEUE] },
    ]);
  });

  it("keeps QueueConfigurations sharing only the Id apart, for validation to refuse as DuplicateRuleId", () => {
    const xml =
      "<NotificationConfiguration>" +
      `<QueueConfiguration><Id>r</Id><Queue>${WEBHOOK}</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>` +
      `<QueueConfiguration><Id>r</Id><Queue>${QUEUE}</Queue><Event>s3:ObjectRemoved:*</Event></QueueConfiguration>` +
      "</NotificationConfiguration>";
    const raw = parseNotificationXml(xml, "photos");
    expect(raw.rules).toHaveLength(2);
    expect(collectNotificationConfigErrors(raw, KNOWN).map((e) => [e.code, e.field])).toEqual([["DuplicateRuleId", "rules[1].id"]]);
  });

  it("refuses Lambda, SNS and EventBridge destinations as unsupported", () => {
    for (const element of ["CloudFunctionConfiguration", "LambdaFunctionConfiguration", "TopicConfiguration", "EventBridgeConfiguration"]) {
      expectError(
        `<NotificationConfiguration><QueueConfiguration><Id>r</Id><Queue>q</Queue><Event>e</Event></QueueConfiguration><${element}><Id>x</Id></${element}></NotificationConfiguration>`,
        "UnsupportedConfiguration",
        new RegExp(`^${element}`),
      );
    }
    expectError("<NotificationConfiguration><EventBridgeConfiguration/></NotificationConfiguration>", "UnsupportedConfiguration");
  });

  it("refuses malformed documents with MalformedXML instead of failing", () => {
    const cases: [string, RegExp][] = [
      ["", /malformed XML/],
      ["not xml at all", /malformed XML at line 1/],
      ['{"rules": []}', /malformed XML/],
      ["<NotificationConfiguration><QueueConfiguration>", /malformed XML/],
      ["<NotificationConfiguration><QueueConfiguration></NotificationConfiguration>", /malformed XML/],
      ["<NotificationConfiguration>x &amp y</NotificationConfiguration>", /malformed XML/],
      ["<Configuration/>", /root element must be one <NotificationConfiguration>, found <Configuration>/],
      ["<NotificationConfiguration/><NotificationConfiguration/>", /found <NotificationConfiguration>, <NotificationConfiguration>$/],
      ["<NotificationConfiguration/><Other/>", /found <NotificationConfiguration>, <Other>$/],
      ["<NotificationConfiguration>text</NotificationConfiguration>", /must contain elements, not text/],
      ["<NotificationConfiguration><QueueConfigurations/></NotificationConfiguration>", /unexpected element <QueueConfigurations>/],
      ["<NotificationConfiguration><QueueConfiguration><Events>e</Events></QueueConfiguration></NotificationConfiguration>", /unexpected element <Events>/],
      ["<NotificationConfiguration><QueueConfiguration><Id>a</Id><Id>b</Id></QueueConfiguration></NotificationConfiguration>", /more than one <Id>/],
      ["<NotificationConfiguration><QueueConfiguration><Queue>a</Queue><Queue>b</Queue></QueueConfiguration></NotificationConfiguration>", /more than one <Queue>/],
      ["<NotificationConfiguration><QueueConfiguration><Id><x/></Id></QueueConfiguration></NotificationConfiguration>", /must contain text/],
      [
        "<NotificationConfiguration><QueueConfiguration><Filter><S3Key><FilterRule><Name>prefix</Name></FilterRule></S3Key></Filter></QueueConfiguration></NotificationConfiguration>",
        /needs both <Name> and <Value>/,
      ],
      [
        "<NotificationConfiguration><QueueConfiguration><Filter><Key/></Filter></QueueConfiguration></NotificationConfiguration>",
        /unexpected element <Key>/,
      ],
      ['<!DOCTYPE x [<!ENTITY big "boom">]><NotificationConfiguration/>', /DOCTYPE entity declarations/],
      ["<NotificationConfiguration><QueueConfiguration><Id>&#x110000;</Id></QueueConfiguration></NotificationConfiguration>", /malformed XML/],
    ];
    for (const [xml, message] of cases) expectError(xml, "MalformedXML", message);
  });
});

describe("toNotificationXml", () => {
  const config: BucketNotificationConfig = {
    bucket: "photos",
    rules: [
      { id: "both", events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"], prefix: "a/", suffix: ".csv", targetArns: [WEBHOOK, QUEUE] },
      { id: "plain", events: ["Everything"], targetArns: [QUEUE] },
    ],
  };

  it("writes one QueueConfiguration per target, in the order S3 uses", () => {
    const xml = toNotificationXml(config);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        `<QueueConfiguration><Id>both</Id><Queue>${WEBHOOK}</Queue><Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:Delete</Event>` +
        "<Filter><S3Key><FilterRule><Name>prefix</Name><Value>a/</Value></FilterRule><FilterRule><Name>suffix</Name><Value>.csv</Value></FilterRule></S3Key></Filter></QueueConfiguration>" +
        `<QueueConfiguration><Id>both</Id><Queue>${QUEUE}</Queue><Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:Delete</Event>` +
        "<Filter><S3Key><FilterRule><Name>prefix</Name><Value>a/</Value></FilterRule><FilterRule><Name>suffix</Name><Value>.csv</Value></FilterRule></S3Key></Filter></QueueConfiguration>" +
        `<QueueConfiguration><Id>plain</Id><Queue>${QUEUE}</Queue><Event>Everything</Event></QueueConfiguration>` +
        "</NotificationConfiguration>",
    );
  });

  it("writes a bucket without rules as an empty configuration", () => {
    const xml = toNotificationXml({ bucket: "photos", rules: [] });
    expect(parseNotificationXml(xml, "photos")).toEqual({ bucket: "photos", rules: [] });
  });

  it("escapes markup in values", () => {
    const xml = toNotificationXml({ bucket: "b", rules: [{ id: "a<b>&c", events: ["Everything"], prefix: "x]]>y&amp;", targetArns: [WEBHOOK] }] });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain("<Id>a&lt;b&gt;&amp;c</Id>");
    expect(xml).toContain("<Value>x]]&gt;y&amp;amp;</Value>");
  });

  it("reads back deep-equal, whatever characters ids and filters hold", () => {
    const tricky: BucketNotificationConfig = {
      bucket: "photos",
      rules: [
        ...config.rules,
        { id: "Tom & Jerry <3>", events: ["s3:ObjectAccessed:Get"], prefix: "R&D/<draft>/\"q\" 'a'/", suffix: " .txt ", targetArns: [WEBHOOK] },
        { id: "ユニコード 😀", events: ["s3:ObjectTagging:*"], prefix: "фото/日本/😀/", suffix: "é", targetArns: [QUEUE, WEBHOOK] },
        { id: "whitespace", events: ["s3:ObjectRestore:*"], prefix: " lead\ttab\nnew\r\nline", suffix: "\u0001ctl", targetArns: [QUEUE] },
        { id: "entities", events: ["s3:ObjectCreated:Copy"], prefix: "&amp;&#38;&lt;/", suffix: "]]>", targetArns: [WEBHOOK] },
        { id: "encoded", events: ["s3:ObjectCreated:Post"], prefix: "my+photos/caf%C3%A9/", targetArns: [WEBHOOK] },
      ],
    };
    const xml = toNotificationXml(tricky);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(importXml(xml)).toEqual(tricky);
    expect(toNotificationXml(importXml(xml))).toBe(xml);
  });
});
