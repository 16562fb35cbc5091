import type http from "node:http";
import { AppError } from "../../errors/app-error.ts";
import * as bucketOps from "./bucket-operations.ts";
import * as multipartOps from "./multipart-operations.ts";
import * as objectOps from "./object-operations.ts";
import * as selectOps from "./select-operations.ts";
import type { S3Call } from "./s3-call.ts";
import type { S3Target } from "./s3-request.ts";

export type S3Operation = (call: S3Call) => Promise<void>;

/** Which S3 operation a request is, from its method, bucket/key and sub-resource query parameters. */
export function operationOf(req: http.IncomingMessage, target: S3Target): { name: string; run: S3Operation } {
  const method = req.method ?? "GET";
  const q = target.query;
  const { bucket, key } = target;
  const op = (name: string, run: S3Operation) => ({ name, run });
  if (bucket === undefined) {
    if (method === "GET") return op("ListBuckets", bucketOps.listBuckets);
    throw notAllowed(method);
  }
  if (key === undefined) {
    switch (method) {
      case "GET":
        if (q.has("location")) return op("GetBucketLocation", (c) => bucketOps.getBucketLocation(c, bucket));
        if (q.has("notification")) return op("GetBucketNotificationConfiguration", (c) => bucketOps.getBucketNotification(c, bucket));
        if (q.has("uploads")) return op("ListMultipartUploads", (c) => multipartOps.listMultipartUploads(c, bucket));
        if (q.has("versioning") || q.has("policy") || q.has("lifecycle") || q.has("cors") || q.has("tagging")) throw unsupported();
        return op(q.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects", (c) => bucketOps.listObjects(c, bucket));
      case "PUT":
        if (q.has("notification")) return op("PutBucketNotificationConfiguration", (c) => bucketOps.putBucketNotification(c, bucket));
        if ([...q.keys()].length > 0) throw unsupported();
        return op("CreateBucket", (c) => bucketOps.createBucket(c, bucket));
      case "HEAD":
        return op("HeadBucket", (c) => bucketOps.headBucket(c, bucket));
      case "DELETE":
        if ([...q.keys()].length > 0) throw unsupported();
        return op("DeleteBucket", (c) => bucketOps.deleteBucket(c, bucket));
      case "POST":
        if (q.has("delete")) return op("DeleteObjects", (c) => bucketOps.deleteObjects(c, bucket));
        throw unsupported();
      default:
        throw notAllowed(method);
    }
  }
  const copy = req.headers["x-amz-copy-source"] !== undefined;
  switch (method) {
    case "PUT":
      if (q.has("partNumber") && q.has("uploadId")) {
        return copy ? op("UploadPartCopy", (c) => multipartOps.uploadPartCopy(c, bucket, key)) : op("UploadPart", (c) => multipartOps.uploadPart(c, bucket, key));
      }
      if (q.has("tagging")) return op("PutObjectTagging", (c) => objectOps.putObjectTagging(c, bucket, key));
      if (q.has("acl")) return op("PutObjectAcl", (c) => objectOps.putObjectAcl(c, bucket, key));
      if (copy) return op("CopyObject", (c) => objectOps.copyObject(c, bucket, key));
      return op("PutObject", (c) => objectOps.putObject(c, bucket, key));
    case "GET":
      if (q.has("tagging")) return op("GetObjectTagging", (c) => objectOps.getObjectTagging(c, bucket, key));
      if (q.has("acl")) return op("GetObjectAcl", (c) => objectOps.getObjectAcl(c, bucket, key));
      if (q.has("uploadId")) return op("ListParts", (c) => multipartOps.listParts(c, bucket, key));
      return op("GetObject", (c) => objectOps.getObject(c, bucket, key));
    case "HEAD":
      return op("HeadObject", (c) => objectOps.headObject(c, bucket, key));
    case "DELETE":
      if (q.has("tagging")) return op("DeleteObjectTagging", (c) => objectOps.deleteObjectTagging(c, bucket, key));
      if (q.has("uploadId")) return op("AbortMultipartUpload", (c) => multipartOps.abortMultipartUpload(c, bucket, key));
      return op("DeleteObject", (c) => objectOps.deleteObject(c, bucket, key));
    case "POST":
      if (q.has("uploads")) return op("CreateMultipartUpload", (c) => multipartOps.createMultipartUpload(c, bucket, key));
      if (q.has("uploadId")) return op("CompleteMultipartUpload", (c) => multipartOps.completeMultipartUpload(c, bucket, key));
      if (q.has("select") && q.get("select-type") === "2") return op("SelectObjectContent", (c) => selectOps.selectObjectContent(c, bucket, key));
      throw unsupported();
    default:
      throw notAllowed(method);
  }
}

function notAllowed(method: string): AppError {
  return new AppError("InvalidRequest", `${method} is not allowed on this resource`);
}

function unsupported(): AppError {
  return new AppError("NotImplemented", "A header or query you provided implies functionality that is not implemented");
}
