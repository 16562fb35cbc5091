import { describe, expect, it } from "vitest";
import { errorOf } from "../../test/support/error-of.ts";
import { AppError } from "../errors/app-error.ts";
import { buildTargetArn, isTargetArn, isValidTargetId, parseTargetArn } from "./target-arn.ts";


describe("target ARNs", () => {
  it("builds and parses arn:herald:sqs:<region>:<id>:<type>", () => {
    const arn = buildTargetArn({ region: "us-east-1", id: "orders_v2-east", type: "webhook" });
    expect(arn).toBe("arn:herald:sqs:us-east-1:orders_v2-east:webhook");
    expect(parseTargetArn(arn)).toEqual({ region: "us-east-1", id: "orders_v2-east", type: "webhook" });
    expect(isTargetArn(arn)).toBe(true);
  });

  it("accepts ids of 1 and 64 characters and refuses 65 or odd characters", () => {
    expect(isValidTargetId("a")).toBe(true);
    expect(isValidTargetId("x".repeat(64))).toBe(true);
    expect(isValidTargetId("x".repeat(65))).toBe(false);
    expect(isValidTargetId("")).toBe(false);
    expect(isValidTargetId("a.b")).toBe(false);
    expect(isValidTargetId("a:b")).toBe(false);
  });

  it("names the bad part when building", () => {
    const badId = errorOf(() => buildTargetArn({ region: "us-east-1", id: "has space", type: "webhook" }));
    expect(badId.code).toBe("ValidationError");
    expect(badId.field).toBe("id");
    expect(errorOf(() => buildTargetArn({ region: "us:east", id: "a", type: "webhook" })).field).toBe("region");
    expect(errorOf(() => buildTargetArn({ region: "us-east-1", id: "a", type: "Web Hook" })).field).toBe("type");
  });

  it.each([
    ["", "parts"],
    ["arn:minio:sqs:us-east-1:1:webhook", "partition"],
    ["arn:herald:sns:us-east-1:1:webhook", "service"],
    ["urn:herald:sqs:us-east-1:1:webhook", "arn:"],
    ["arn:herald:sqs:us-east-1:1:webhook:extra", "parts"],
    ["arn:herald:sqs:us-east-1::webhook", "target id"],
    [`arn:herald:sqs:us-east-1:${"x".repeat(65)}:webhook`, "target id"],
    ["arn:herald:sqs:us-east-1:id:", "type"],
    ["arn:herald:sqs::id:webhook", "region"],
  ])("refuses %j as a ValidationError on `arn`", (arn, why) => {
    const error = errorOf(() => parseTargetArn(arn));
    expect(error.code).toBe("ValidationError");
    expect(error.field).toBe("arn");
    expect(error.message).toContain(why);
    expect(isTargetArn(arn)).toBe(false);
  });

  it("lets the caller name the field", () => {
    expect(errorOf(() => parseTargetArn("nope", "rules[1].targetArns[0]")).field).toBe("rules[1].targetArns[0]");
  });

  it("refuses non-strings without crashing", () => {
    expect(errorOf(() => parseTargetArn(42 as unknown as string)).field).toBe("arn");
  });
});
