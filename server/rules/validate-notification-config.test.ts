import { describe, expect, it } from "vitest";
import { AppError } from "../errors/app-error.ts";
import { collectNotificationConfigErrors, validateNotificationConfig } from "./validate-notification-config.ts";

const WEBHOOK = "arn:herald:sqs::1:webhook";
const QUEUE = "arn:herald:sqs::1:queue";
const KNOWN = new Set([WEBHOOK, QUEUE]);

function config(...rules: Record<string, unknown>[]) {
  return { bucket: "photos", rules };
}

function rule(id: string, fields: Record<string, unknown> = {}) {
  return { id, events: ["s3:ObjectCreated:*"], targetArns: [WEBHOOK], ...fields };
}

/** The one error a config with one problem produces, as JSON. */
function onlyError(input: unknown) {
  const errors = collectNotificationConfigErrors(input, KNOWN);
  expect(errors).toHaveLength(1);
  return errors[0]!.toJSON();
}

describe("validateNotificationConfig", () => {
  it("returns the canonical config: S3 filter rules folded into prefix and suffix, empty filters dropped", () => {
    const result = validateNotificationConfig(
      config(
        rule("a", { filterRules: [{ name: "Prefix", value: "uploads/" }, { name: "SUFFIX", value: ".csv" }], targetArns: [WEBHOOK, QUEUE] }),
        rule("b", { prefix: "", suffix: ".jpg", events: ["s3:ObjectRemoved:Delete", "s3:ObjectCreated:*"] }),
      ),
      KNOWN,
    );
    expect(result).toEqual({
      bucket: "photos",
      rules: [
        { id: "a", events: ["s3:ObjectCreated:*"], prefix: "uploads/", suffix: ".csv", targetArns: [WEBHOOK, QUEUE] },
        { id: "b", events: ["s3:ObjectRemoved:Delete", "s3:ObjectCreated:*"], suffix: ".jpg", targetArns: [WEBHOOK] },
      ],
    });
    expect(Object.keys(result.rules[1]!)).not.toContain("prefix");
  });

  it("accepts its own output again unchanged", () => {
    const once = validateNotificationConfig(config(rule("a", { prefix: "x/", suffix: ".y" }), rule("b")), KNOWN);
    expect(validateNotificationConfig(once, KNOWN)).toEqual(once);
  });

  it("accepts a bucket without rules", () => {
    expect(validateNotificationConfig(config(), KNOWN)).toEqual({ bucket: "photos", rules: [] });
  });

  it("throws the first problem as an AppError", () => {
    expect(() => validateNotificationConfig(config(rule("a", { events: ["s3:Bogus"] }), rule("a")), KNOWN)).toThrow(
      expect.objectContaining({ code: "InvalidEventName", field: "rules[0].events[0]" }),
    );
    expect(() => validateNotificationConfig(config(rule("a", { events: ["s3:Bogus"] })), KNOWN)).toThrow(AppError);
  });

  it("does not keep references to the input's arrays", () => {
    const input = config(rule("a"));
    const result = validateNotificationConfig(input, KNOWN);
    (input.rules[0]!.targetArns as string[]).push("arn:later");
    expect(result.rules[0]!.targetArns).toEqual([WEBHOOK]);
  });
});

describe("collectNotificationConfigErrors", () => {
  it("names an unknown event, its rule by id and index, and its field", () => {
    expect(onlyError(config(rule("ok"), rule("bad", { events: ["s3:ObjectCreated:Put", "s3:ObjectCreated:Pot"] })))).toEqual({
      code: "InvalidEventName",
      message: 'rule "bad" (rules[1]): unknown S3 event name "s3:ObjectCreated:Pot" in events[1]',
      field: "rules[1].events[1]",
      details: { eventName: "s3:ObjectCreated:Pot" },
    });
  });

  it("refuses an event name twice in one rule", () => {
    expect(onlyError(config(rule("r", { events: ["s3:ObjectRemoved:Delete", "s3:ObjectRemoved:Delete"] })))).toMatchObject({
      code: "DuplicateEventName",
      field: "rules[0].events[1]",
      message: 'rule "r" (rules[0]): events[1] "s3:ObjectRemoved:Delete" repeats events[0]',
    });
  });

  it("refuses an event name a compound name in the same rule already covers, in either order", () => {
    expect(onlyError(config(rule("r", { events: ["s3:ObjectCreated:Put", "s3:ObjectCreated:*"] })))).toMatchObject({
      code: "DuplicateEventName",
      field: "rules[0].events[0]",
      message: 'rule "r" (rules[0]): events[0] "s3:ObjectCreated:Put" is already covered by events[1] "s3:ObjectCreated:*"',
    });
    expect(onlyError(config(rule("r", { events: ["Everything", "s3:Replication:*"] })))).toMatchObject({
      code: "DuplicateEventName",
      field: "rules[0].events[1]",
    });
    // Names of different categories do not overlap.
    expect(collectNotificationConfigErrors(config(rule("r", { events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"] })), KNOWN)).toEqual([]);
  });

  it("refuses empty event and target lists", () => {
    expect(onlyError(config(rule("r", { events: [] })))).toMatchObject({
      code: "ValidationError",
      field: "rules[0].events",
      message: 'rule "r" (rules[0]): events must list at least one event name',
    });
    expect(onlyError(config(rule("r", { targetArns: [] })))).toMatchObject({ code: "ValidationError", field: "rules[0].targetArns" });
  });

  it("refuses a target ARN that is not configured, and one listed twice", () => {
    expect(onlyError(config(rule("r", { targetArns: [WEBHOOK, "arn:herald:sqs::1:gone"] })))).toEqual({
      code: "TargetArnNotFound",
      message: 'rule "r" (rules[0]): target "arn:herald:sqs::1:gone" in targetArns[1] is not a configured target',
      field: "rules[0].targetArns[1]",
      details: { arn: "arn:herald:sqs::1:gone" },
    });
    expect(onlyError(config(rule("r", { targetArns: [QUEUE, QUEUE] })))).toMatchObject({
      code: "ValidationError",
      field: "rules[0].targetArns[1]",
    });
  });

  it("refuses a rule id used twice in a bucket, on the later rule", () => {
    expect(onlyError(config(rule("same"), rule("other"), rule("same")))).toEqual({
      code: "DuplicateRuleId",
      message: 'rule "same" (rules[2]): id "same" is already used by rules[0]',
      field: "rules[2].id",
      details: { ruleId: "same" },
    });
  });

  it("allows one prefix and one suffix filter, with names in any case", () => {
    const filterRules = [
      { name: "prefix", value: "a/" },
      { name: "Suffix", value: ".b" },
    ];
    expect(collectNotificationConfigErrors(config(rule("r", { filterRules })), KNOWN)).toEqual([]);
    expect(onlyError(config(rule("r", { filterRules: [...filterRules, { name: "PREFIX", value: "c/" }] })))).toMatchObject({
      code: "FilterDuplicate",
      field: "rules[0].filterRules[2].name",
      message:
        'rule "r" (rules[0]): filterRules[2].name is a second prefix filter (the first is filterRules[0].name); at most one prefix and one suffix are allowed',
    });
    // The console form and the S3 form together still allow only one of each.
    expect(onlyError(config(rule("r", { suffix: ".x", filterRules })))).toMatchObject({ code: "FilterDuplicate", field: "rules[0].filterRules[1].name" });
  });

  it("refuses filter names other than prefix and suffix", () => {
    expect(onlyError(config(rule("r", { filterRules: [{ name: "contains", value: "x" }] })))).toEqual({
      code: "FilterNameInvalid",
      message: 'rule "r" (rules[0]): filter rule name "contains" in filterRules[0].name must be "prefix" or "suffix"',
      field: "rules[0].filterRules[0].name",
      details: { name: "contains" },
    });
  });

  it("refuses filter values longer than 1024 bytes, on the field that holds them", () => {
    expect(onlyError(config(rule("r", { prefix: "p".repeat(1025) })))).toEqual({
      code: "FilterValueTooLong",
      message: 'rule "r" (rules[0]): prefix filter value in prefix is 1025 bytes of UTF-8; at most 1024 are allowed',
      field: "rules[0].prefix",
    });
    expect(onlyError(config(rule("r", { filterRules: [{ name: "suffix", value: "é".repeat(513) }] })))).toMatchObject({
      code: "FilterValueTooLong",
      field: "rules[0].filterRules[0].value",
    });
  });

  it("refuses path segments . and .., backslashes, NUL and lone surrogates in filter values", () => {
    for (const [value, reason] of [
      ["a/../b", 'contains a ".." path segment'],
      ["./a", 'contains a "." path segment'],
      ["a\\b", "contains a backslash"],
      ["a\0", "contains a NUL character"],
      ["a\uD800", "is not valid UTF-8 (lone surrogate at character 1)"],
    ]) {
      expect(onlyError(config(rule("r", { suffix: value }))), value).toEqual({
        code: "FilterValueInvalid",
        message: `rule "r" (rules[0]): suffix filter value ${JSON.stringify(value)} in suffix ${reason}`,
        field: "rules[0].suffix",
      });
    }
  });

  it("reports every problem of every rule, each on its own field", () => {
    const errors = collectNotificationConfigErrors(
      config(
        rule("a", { events: ["s3:Nope"], prefix: "x\\y", targetArns: ["arn:missing"] }),
        rule("b", { filterRules: [{ name: "middle", value: "" }] }),
        rule("a"),
      ),
      KNOWN,
    );
    expect(errors.map((e) => [e.code, e.field])).toEqual([
      ["InvalidEventName", "rules[0].events[0]"],
      ["FilterValueInvalid", "rules[0].prefix"],
      ["TargetArnNotFound", "rules[0].targetArns[0]"],
      ["FilterNameInvalid", "rules[1].filterRules[0].name"],
      ["DuplicateRuleId", "rules[2].id"],
    ]);
  });

  it("reports shape errors of one rule without hiding the others' problems", () => {
    const errors = collectNotificationConfigErrors(
      config({ id: "", events: ["s3:ObjectCreated:*"], targetArns: [WEBHOOK] }, rule("typo", { prefx: "a/" }), rule("c", { events: ["s3:X"] })),
      KNOWN,
    );
    expect(errors.map((e) => e.toJSON())).toEqual([
      { code: "ValidationError", message: "rules[0]: id: rule id is required", field: "rules[0].id", details: { issue: "too_small" } },
      {
        code: "ValidationError",
        message: 'rule "typo" (rules[1]): prefx: unknown field "prefx"',
        field: "rules[1].prefx",
        details: { issue: "unrecognized_keys" },
      },
      expect.objectContaining({ code: "InvalidEventName", field: "rules[2].events[0]" }),
    ]);
  });

  it("reports a config that is not an object, or has no rules list, as a ValidationError", () => {
    expect(collectNotificationConfigErrors("nope", KNOWN)[0]).toMatchObject({ code: "ValidationError" });
    expect(onlyError({ bucket: "photos", rules: "x" })).toMatchObject({ code: "ValidationError", field: "rules" });
    expect(onlyError({ rules: [] })).toMatchObject({ code: "ValidationError", field: "bucket" });
  });
});
