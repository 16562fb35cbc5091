import { describe, expect, it } from "vitest";
import { errorOf } from "../../test/support/error-of.ts";
import { AppError } from "../errors/app-error.ts";
import { normalizeIngestEventName, parseS3Notification } from "./ingest-s3.ts";

// Shaped after AWS's documented example message.
const awsMessage = {
  Records: [
    {
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: "us-west-2",
      eventTime: "1970-01-01T00:00:00.000Z",
      eventName: "ObjectCreated:Put",
      userIdentity: { principalId: "AIDAJDPLRKLG7UEXAMPLE" },
      requestParameters: { sourceIPAddress: "172.16.0.1" },
      responseElements: {
        "x-amz-request-id": "C3D13FE58DE4C810",
        "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
      },
      s3: {
        s3SchemaVersion: "1.0",
        configurationId: "testConfigRule",
        bucket: { name: "amzn-s3-demo-bucket", ownerIdentity: { principalId: "A3NL1KOZZKExample" }, arn: "arn:aws:s3:::amzn-s3-demo-bucket" },
        object: {
          key: "HappyFace+%281%29.jpg",
          size: 1024,
          eTag: "d41d8cd98f00b204e9800998ecf8427e",
          versionId: "096fKKXTRTtl3on89fVO.nfljtsv6qko",
          sequencer: "0055AED6DCD90281E5",
        },
      },
      glacierEventData: { restoreEventData: { lifecycleRestorationExpiryTime: "1970-01-01T00:00:00.000Z" } },
    },
  ],
};

// Shaped after what MinIO's webhook target posts.
const minioMessage = {
  EventName: "s3:ObjectRemoved:Delete",
  Key: "images/photos/cat 1.png",
  Records: [
    {
      eventVersion: "2.0",
      eventSource: "minio:s3",
      awsRegion: "",
      eventTime: "2024-03-04T10:11:12.345Z",
      eventName: "s3:ObjectRemoved:Delete",
      userIdentity: { principalId: "minioadmin" },
      requestParameters: { principalId: "minioadmin", region: "", sourceIPAddress: "127.0.0.1" },
      responseElements: { "x-amz-id-2": "dd9025bab4ad", "x-amz-request-id": "17B9A1C2D3E4F506", "x-minio-deployment-id": "d1", "x-minio-origin-endpoint": "http://127.0.0.1:9000" },
      s3: {
        s3SchemaVersion: "1.0",
        configurationId: "Config",
        bucket: { name: "images", ownerIdentity: { principalId: "minioadmin" }, arn: "arn:aws:s3:::images" },
        object: { key: "photos%2Fcat+1.png", sequencer: "17B9A1C2D3E4F507" },
      },
      source: { host: "127.0.0.1", port: "", userAgent: "MinIO (linux; amd64) minio-go/v7.0.70" },
    },
  ],
};

// Shaped after Ceph RGW's documented event record.
const cephMessage = {
  Records: [
    {
      eventVersion: "2.1",
      eventSource: "ceph:s3",
      awsRegion: "us-east-1",
      eventTime: "2019-11-22T13:47:35.124724Z",
      eventName: "ObjectCreated:Put",
      userIdentity: { principalId: "tester" },
      requestParameters: { sourceIPAddress: "" },
      responseElements: { "x-amz-request-id": "503a4c37-85eb-47cd-8681-2817e80b4281.5330.903595", "x-amz-id-2": "14d2-zone1-zonegroup1" },
      s3: {
        s3SchemaVersion: "1.0",
        configurationId: "mynotif1",
        bucket: { name: "mybucket1", ownerIdentity: { principalId: "tester" }, arn: "arn:aws:s3:us-east-1::mybucket1", id: "503a4c37.5332.38" },
        object: {
          key: "myimage1.jpg",
          size: "1024",
          eTag: "37b51d194a7513e45b56f6524f2d51f2",
          versionId: "",
          sequencer: "F7E6D75DC742D108",
          metadata: [{ key: "x-amz-meta-color", val: "blue" }, { key: "x-amz-meta-internal-x", val: "hidden" }],
          tags: [],
        },
      },
      eventId: "1575221657.102001.80dad3aad8584778352c68ab06250327",
      opaqueData: "me@example.com",
    },
    {
      eventVersion: "2.1",
      eventSource: "ceph:s3",
      awsRegion: "us-east-1",
      eventTime: "2019-11-22T13:48:00.000001Z",
      eventName: "ObjectLifecycle:Expiration:Current",
      userIdentity: { principalId: "tester" },
      requestParameters: { sourceIPAddress: "" },
      responseElements: { "x-amz-request-id": "r2", "x-amz-id-2": "h2" },
      s3: {
        s3SchemaVersion: "1.0",
        configurationId: "mynotif1",
        bucket: { name: "mybucket1", ownerIdentity: { principalId: "tester" }, arn: "arn:aws:s3:us-east-1::mybucket1" },
        object: { key: "old.log", size: 0, eTag: "", versionId: "", sequencer: "F7E6D75DC742D109", metadata: [], tags: [] },
      },
    },
  ],
};


describe("parseS3Notification", () => {
  it("ingests an AWS message, normalising the event name and keeping the record", () => {
    const [event, ...rest] = parseS3Notification(awsMessage);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      bucket: "amzn-s3-demo-bucket",
      key: "HappyFace (1).jpg",
      eventName: "s3:ObjectCreated:Put",
      eventTime: 0,
      source: "ingest",
    });
    expect(event?.record).toEqual({
      ...awsMessage.Records[0],
      glacierEventData: undefined,
      eventName: "s3:ObjectCreated:Put",
      source: { host: "", port: "", userAgent: "" },
    });
    expect("glacierEventData" in (event?.record ?? {})).toBe(false);
  });

  it("ingests a MinIO message, decoding its %2F keys and leaving removal fields absent", () => {
    const [event] = parseS3Notification(minioMessage, { source: "minio" });
    expect(event?.key).toBe("photos/cat 1.png");
    expect(event?.eventName).toBe("s3:ObjectRemoved:Delete");
    expect(event?.source).toBe("minio");
    expect(event?.record.s3.object).toEqual({ key: "photos%2Fcat+1.png", sequencer: "17B9A1C2D3E4F507" });
    expect(event?.record.source.userAgent).toContain("minio-go");
    expect(event?.record.responseElements["x-minio-deployment-id"]).toBe("d1");
  });

  it("ingests Ceph records: unprefixed and lifecycle names, string sizes, metadata arrays, microsecond times", () => {
    const [put, expired] = parseS3Notification(cephMessage);
    expect(put?.eventName).toBe("s3:ObjectCreated:Put");
    expect(put?.eventTime).toBe(Date.parse("2019-11-22T13:47:35.124Z"));
    expect(put?.record.eventTime).toBe("2019-11-22T13:47:35.124Z");
    expect(put?.record.s3.object).toEqual({
      key: "myimage1.jpg",
      size: 1024,
      eTag: "37b51d194a7513e45b56f6524f2d51f2",
      sequencer: "F7E6D75DC742D108",
      userMetadata: { "x-amz-meta-color": "blue" },
    });
    expect(put?.record.s3.bucket).toEqual({ name: "mybucket1", ownerIdentity: { principalId: "tester" }, arn: "arn:aws:s3:us-east-1::mybucket1" });
    expect(Object.keys(put?.record ?? {})).not.toContain("eventId");
    expect(expired?.eventName).toBe("s3:LifecycleExpiration:Delete");
    expect(expired?.record.s3.object).toEqual({ key: "old.log", sequencer: "F7E6D75DC742D109" });
  });

  it("fills what a minimal record leaves out", () => {
    const [event] = parseS3Notification(
      {
        Records: [
          {
            eventName: "ObjectTagging:Put",
            eventTime: "2024-01-01T00:00:00Z",
            requestParameters: null,
            s3: { bucket: { name: "b" }, object: { key: "k" } },
          },
        ],
      },
      { region: "eu-central-1" },
    );
    expect(event?.record).toEqual({
      eventVersion: "2.3",
      eventSource: "herald:s3",
      awsRegion: "eu-central-1",
      eventTime: "2024-01-01T00:00:00.000Z",
      eventName: "s3:ObjectTagging:Put",
      userIdentity: { principalId: "" },
      requestParameters: {},
      responseElements: {},
      s3: {
        s3SchemaVersion: "1.0",
        configurationId: "",
        bucket: { name: "b", ownerIdentity: { principalId: "" }, arn: "arn:aws:s3:::b" },
        object: { key: "k", sequencer: "" },
      },
      source: { host: "", port: "", userAgent: "" },
    });
  });

  it("yields no events for AWS's s3:TestEvent", () => {
    expect(
      parseS3Notification({
        Service: "Amazon S3",
        Event: "s3:TestEvent",
        Time: "2024-01-01T00:00:00.000Z",
        Bucket: "amzn-s3-demo-bucket",
        RequestId: "5582815E1AEA5ADF",
        HostId: "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE",
      }),
    ).toEqual([]);
    expect(parseS3Notification({ Records: [] })).toEqual([]);
  });

  it("names Records[i].eventName for an unknown event name", () => {
    const records = [awsMessage.Records[0], { ...awsMessage.Records[0], eventName: "ObjectRestore:Delete" }];
    const error = errorOf(() => parseS3Notification({ Records: records }));
    expect(error.code).toBe("InvalidEventName");
    expect(error.field).toBe("Records[1].eventName");
    expect(error.message).toContain("ObjectRestore:Delete");
  });

  it("names the field of other invalid records", () => {
    const record = awsMessage.Records[0] as Record<string, unknown>;
    expect(errorOf(() => parseS3Notification({ Records: [{ ...record, eventTime: "soon" }] })).field).toBe("Records[0].eventTime");
    expect(errorOf(() => parseS3Notification({ Records: [{ ...record, s3: { bucket: {}, object: { key: "k" } } }] })).field).toBe(
      "Records[0].s3.bucket.name",
    );
    const badKey = { ...record, s3: { bucket: { name: "b" }, object: { key: "100%" } } };
    expect(errorOf(() => parseS3Notification({ Records: [badKey] })).field).toBe("Records[0].s3.object.key");
    expect(errorOf(() => parseS3Notification({ hello: "world" })).field).toBe("Records");
    expect(errorOf(() => parseS3Notification({ Records: "nope" })).field).toBe("Records");
  });
});

describe("normalizeIngestEventName", () => {
  it.each([
    ["ObjectCreated:CompleteMultipartUpload", "s3:ObjectCreated:CompleteMultipartUpload"],
    ["s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRemoved:DeleteMarkerCreated"],
    ["LifecycleTransition", "s3:LifecycleTransition"],
    ["ObjectLifecycle:Expiration:DeleteMarker", "s3:LifecycleDelMarkerExpiration:Delete"],
    ["s3:ObjectLifecycle:Transition:NonCurrent", "s3:LifecycleTransition"],
    ["ObjectLifecycle:Expiration:AbortMultipartUpload", undefined],
    ["ObjectCreated:*", undefined],
  ])("maps %s to %s", (input, expected) => {
    expect(normalizeIngestEventName(input)).toBe(expected);
  });
});
