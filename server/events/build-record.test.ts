import { describe, expect, it } from "vitest";
import { buildS3Record, filterUserMetadata, toNewEvent, type RecordInput } from "./build-record.ts";
import type { EventName } from "./event-names.ts";

const ctx = { region: "eu-west-1", now: Date.UTC(2024, 4, 1, 12, 30, 15, 123) };

const created: RecordInput = {
  eventName: "s3:ObjectCreated:Put",
  bucket: "photos",
  key: "2024/red flower.jpg",
  size: 1024,
  eTag: '"d41d8cd98f00b204e9800998ecf8427e"',
  versionId: "v1",
  contentType: "image/jpeg",
  metadata: { "x-amz-meta-owner": "ana", "x-amz-meta-Internal-Checksum": "x", "internal-tier": "hot", color: "red" },
  principalId: "AWS:ANA",
  requestId: "C3D13FE58DE4C810",
  hostId: "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
  sourceIp: "10.0.0.7",
  source: { host: "10.0.0.7", port: 9000, userAgent: "aws-cli/2" },
};

describe("buildS3Record", () => {
  it("builds a complete AWS-shaped record for a created object", () => {
    expect(buildS3Record(created, ctx)).toEqual({
      eventVersion: "2.1",
      eventSource: "herald:s3",
      awsRegion: "eu-west-1",
      eventTime: "2024-05-01T12:30:15.123Z",
      eventName: "s3:ObjectCreated:Put",
      userIdentity: { principalId: "AWS:ANA" },
      requestParameters: { sourceIPAddress: "10.0.0.7" },
      responseElements: {
        "x-amz-request-id": "C3D13FE58DE4C810",
        "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
      },
      s3: {
        s3SchemaVersion: "1.0",
        configurationId: "",
        bucket: { name: "photos", ownerIdentity: { principalId: "AWS:ANA" }, arn: "arn:aws:s3:::photos" },
        object: {
          key: "2024/red+flower.jpg",
          size: 1024,
          eTag: "d41d8cd98f00b204e9800998ecf8427e",
          versionId: "v1",
          sequencer: "",
          contentType: "image/jpeg",
          userMetadata: { "x-amz-meta-owner": "ana", color: "red" },
        },
      },
      source: { host: "10.0.0.7", port: "9000", userAgent: "aws-cli/2" },
    });
  });

  it.each<EventName>(["s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated", "s3:LifecycleExpiration:Delete", "s3:LifecycleDelMarkerExpiration:Delete"])(
    "leaves size, eTag, contentType and userMetadata absent (not undefined) for %s",
    (eventName) => {
      const object = buildS3Record({ ...created, eventName }, ctx).s3.object;
      expect(Object.keys(object)).toEqual(["key", "versionId", "sequencer"]);
      expect(JSON.parse(JSON.stringify(object))).toEqual({ key: "2024/red+flower.jpg", versionId: "v1", sequencer: "" });
    },
  );

  it("omits optional fields that were not given, and fills defaults", () => {
    const record = buildS3Record({ eventName: "s3:ObjectCreated:Copy", bucket: "b", key: "k" }, ctx);
    expect(Object.keys(record.s3.object)).toEqual(["key", "sequencer"]);
    expect(record.responseElements["x-amz-request-id"]).toMatch(/^[0-9A-F]{16}$/);
    expect("x-amz-id-2" in record.responseElements).toBe(false);
    expect(record.userIdentity).toEqual({ principalId: "" });
    expect(record.source).toEqual({ host: "", port: "", userAgent: "" });
    expect(record.requestParameters).toEqual({ sourceIPAddress: "" });
  });

  it("keeps a given sequencer and event source, and uses the input's event time", () => {
    const record = buildS3Record(
      { ...created, sequencer: "0055AED6DCD90281E5", eventSource: "aws:s3", eventTime: Date.UTC(2020, 0, 2) },
      ctx,
    );
    expect(record.s3.object.sequencer).toBe("0055AED6DCD90281E5");
    expect(record.eventSource).toBe("aws:s3");
    expect(record.eventTime).toBe("2020-01-02T00:00:00.000Z");
  });

  it.each<[EventName, string]>([
    ["s3:ObjectCreated:Put", "2.1"],
    ["s3:ObjectRemoved:Delete", "2.1"],
    ["s3:ObjectAccessed:Get", "2.1"],
    ["s3:Replication:OperationFailedReplication", "2.2"],
    ["s3:ObjectTagging:Put", "2.3"],
    ["s3:ObjectAcl:Put", "2.3"],
    ["s3:ObjectRestore:Completed", "2.3"],
    ["s3:LifecycleExpiration:Delete", "2.3"],
    ["s3:LifecycleTransition", "2.3"],
    ["s3:IntelligentTiering", "2.3"],
  ])("sets eventVersion of %s to %s", (eventName, version) => {
    expect(buildS3Record({ ...created, eventName }, ctx).eventVersion).toBe(version);
  });
});

describe("filterUserMetadata", () => {
  it("drops internal keys with or without the x-amz-meta- prefix, in any case", () => {
    expect(
      filterUserMetadata({
        "X-Amz-Meta-Internal-Foo": "1",
        "x-amz-meta-internal-bar": "2",
        "INTERNAL-baz": "3",
        "x-amz-meta-internals": "kept: no dash after internal",
        "x-amz-meta-my-internal-note": "kept",
        plain: "kept",
      }),
    ).toEqual({ "x-amz-meta-internals": "kept: no dash after internal", "x-amz-meta-my-internal-note": "kept", plain: "kept" });
  });
});

describe("toNewEvent", () => {
  it("carries the decoded key, the source and an event time equal to the record's", () => {
    const event = toNewEvent(created, { ...ctx, source: "api" });
    expect(event.key).toBe("2024/red flower.jpg");
    expect(event.bucket).toBe("photos");
    expect(event.eventName).toBe("s3:ObjectCreated:Put");
    expect(event.source).toBe("api");
    expect(event.eventTime).toBe(ctx.now);
    expect(new Date(event.eventTime).toISOString()).toBe(event.record.eventTime);
  });

  it("gives bucket events an empty key", () => {
    const event = toNewEvent({ eventName: "s3:BucketCreated:*", bucket: "new-bucket", key: "" }, ctx);
    expect(event.key).toBe("");
    expect(event.record.s3.object.key).toBe("");
  });
});
