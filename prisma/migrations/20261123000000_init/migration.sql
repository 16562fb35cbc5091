-- CreateTable
CREATE TABLE "Bucket" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Rule" (
    "pk" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "bucketName" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "prefix" TEXT,
    "suffix" TEXT,
    "targetArns" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Rule_bucketName_fkey" FOREIGN KEY ("bucketName") REFERENCES "Bucket" ("name") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Target" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "arn" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "delivery" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("id", "type")
);

-- CreateTable
CREATE TABLE "Event" (
    "seq" BIGINT NOT NULL PRIMARY KEY,
    "id" TEXT NOT NULL,
    "bucket" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "eventName" TEXT NOT NULL,
    "eventTime" BIGINT NOT NULL,
    "receivedAt" BIGINT NOT NULL,
    "source" TEXT NOT NULL,
    "record" TEXT NOT NULL,
    "matched" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "eventSeq" BIGINT NOT NULL,
    "targetArn" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" BIGINT NOT NULL,
    "createdAt" BIGINT NOT NULL,
    "updatedAt" BIGINT NOT NULL,
    "lastError" TEXT
);

-- CreateTable
CREATE TABLE "Attempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "deliveryId" INTEGER NOT NULL,
    "eventSeq" BIGINT NOT NULL,
    "targetArn" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "statusCode" INTEGER,
    "latencyMs" REAL NOT NULL,
    "error" TEXT,
    "at" BIGINT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Rule_bucketName_ruleId_key" ON "Rule"("bucketName", "ruleId");

-- CreateIndex
CREATE UNIQUE INDEX "Target_arn_key" ON "Target"("arn");

-- CreateIndex
CREATE UNIQUE INDEX "Event_id_key" ON "Event"("id");

-- CreateIndex
CREATE INDEX "Event_receivedAt_idx" ON "Event"("receivedAt");

-- CreateIndex
CREATE INDEX "Event_bucket_key_idx" ON "Event"("bucket", "key");

-- CreateIndex
CREATE INDEX "Event_eventName_idx" ON "Event"("eventName");

-- CreateIndex
CREATE INDEX "Delivery_targetArn_state_id_idx" ON "Delivery"("targetArn", "state", "id");

-- CreateIndex
CREATE INDEX "Delivery_eventSeq_idx" ON "Delivery"("eventSeq");

-- CreateIndex
CREATE INDEX "Attempt_eventSeq_idx" ON "Attempt"("eventSeq");

-- CreateIndex
CREATE INDEX "Attempt_targetArn_at_idx" ON "Attempt"("targetArn", "at");

