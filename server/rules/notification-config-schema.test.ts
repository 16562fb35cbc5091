import { describe, expect, it } from "vitest";
import { notificationConfigInputSchema, notificationRuleInputSchema } from "./notification-config-schema.ts";

const rule = { id: "r1", events: ["s3:ObjectCreated:*"], targetArns: ["arn:herald:sqs::1:webhook"] };

describe("notificationRuleInputSchema", () => {
  it("accepts a rule in the console form and in the S3 filter-rule form", () => {
    expect(notificationRuleInputSchema.parse({ ...rule, prefix: "a/", suffix: ".csv" })).toEqual({ ...rule, prefix: "a/", suffix: ".csv" });
    const s3Form = { ...rule, filterRules: [{ name: "Prefix", value: "a/" }] };
    expect(notificationRuleInputSchema.parse(s3Form)).toEqual(s3Form);
  });

  it("requires an id of 1 to 255 characters", () => {
    expect(notificationRuleInputSchema.safeParse({ ...rule, id: "x".repeat(255) }).success).toBe(true);
    const long = notificationRuleInputSchema.safeParse({ ...rule, id: "x".repeat(256) });
    expect(long.error?.issues[0]).toMatchObject({ path: ["id"], message: "rule id must be at most 255 characters" });
    const empty = notificationRuleInputSchema.safeParse({ ...rule, id: "" });
    expect(empty.error?.issues[0]).toMatchObject({ path: ["id"], message: "rule id is required" });
    const { id: _id, ...withoutId } = rule;
    expect(notificationRuleInputSchema.safeParse(withoutId).error?.issues[0]?.path).toEqual(["id"]);
  });

  it("refuses unknown fields, so a misspelt filter cannot silently widen a rule", () => {
    const result = notificationRuleInputSchema.safeParse({ ...rule, prefx: "a/" });
    expect(result.error?.issues[0]).toMatchObject({ code: "unrecognized_keys", keys: ["prefx"] });
  });

  it("refuses values of the wrong type", () => {
    expect(notificationRuleInputSchema.safeParse({ ...rule, events: "s3:ObjectCreated:*" }).error?.issues[0]?.path).toEqual(["events"]);
    expect(notificationRuleInputSchema.safeParse({ ...rule, targetArns: [1] }).error?.issues[0]?.path).toEqual(["targetArns", 0]);
    expect(notificationRuleInputSchema.safeParse({ ...rule, filterRules: [{ name: "prefix" }] }).error?.issues[0]?.path).toEqual([
      "filterRules",
      0,
      "value",
    ]);
  });
});

describe("notificationConfigInputSchema", () => {
  it("takes a bucket and its rules; no rules is a valid configuration", () => {
    expect(notificationConfigInputSchema.parse({ bucket: "photos", rules: [] })).toEqual({ bucket: "photos", rules: [] });
    expect(notificationConfigInputSchema.safeParse({ bucket: "", rules: [] }).success).toBe(false);
    expect(notificationConfigInputSchema.safeParse({ bucket: "photos" }).success).toBe(false);
  });
});
