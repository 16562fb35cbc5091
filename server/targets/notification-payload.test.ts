import { describe, expect, it } from "vitest";
import { makeItem } from "../../test/support/delivery-items.ts";
import { buildNotificationMessage, serializeRecordForDelivery } from "./notification-payload.ts";

describe("notification payload", () => {
  it("is the MinIO/RustFS body: EventName and Key of the first item, one record per item", () => {
    const first = makeItem({ bucket: "photos", key: "a b/ü.jpg", ruleId: "r-1" });
    const second = makeItem({ bucket: "photos", key: "c.txt", eventName: "s3:ObjectRemoved:Delete", ruleId: "r-2" });
    const message = buildNotificationMessage([first, second]);
    expect(message.EventName).toBe("s3:ObjectCreated:Put");
    expect(message.Key).toBe("photos/a b/ü.jpg");
    expect(message.Records).toHaveLength(2);
    expect(message.Records[0]?.s3.configurationId).toBe("r-1");
    expect(message.Records[1]?.s3.configurationId).toBe("r-2");
    expect(message.Records[0]?.s3.object.key).toBe("a+b/%C3%BC.jpg");
    expect(message.Records[1]?.eventName).toBe("s3:ObjectRemoved:Delete");
    expect(Object.keys(message)).toEqual(["EventName", "Key", "Records"]);
  });

  it("does not touch the shared event: each rule gets its own copy", () => {
    const item = makeItem({ ruleId: "rule-a" });
    const before = structuredClone(item.event.record);
    const forA = serializeRecordForDelivery(item);
    const forB = serializeRecordForDelivery({ ...item, ruleId: "rule-b" });
    expect(forA.s3.configurationId).toBe("rule-a");
    expect(forB.s3.configurationId).toBe("rule-b");
    expect(item.event.record).toEqual(before);
    expect(item.event.record.s3.configurationId).toBe("");
  });

  it("carries the Herald event id in responseElements", () => {
    const item = makeItem();
    item.event.record.responseElements = { "x-amz-request-id": "ABC" };
    const record = serializeRecordForDelivery(item);
    expect(record.responseElements).toEqual({ "x-amz-request-id": "ABC", "x-herald-event-id": item.event.id });
    expect(item.event.record.responseElements).toEqual({ "x-amz-request-id": "ABC" });
  });

  it("serialises to the JSON receivers parse", () => {
    const item = makeItem({ bucket: "b", key: "k", ruleId: "r" });
    const parsed = JSON.parse(JSON.stringify(buildNotificationMessage([item]))) as { Key: string; Records: { s3: { bucket: { name: string } } }[] };
    expect(parsed.Key).toBe("b/k");
    expect(parsed.Records[0]?.s3.bucket.name).toBe("b");
  });

  it("refuses an empty batch", () => {
    expect(() => buildNotificationMessage([])).toThrow(/empty batch/);
  });
});
