-- A per-conversation sequence number on messages: 1, 2, 3, ... without holes, assigned under the
-- conversation row lock from SupportConversation."lastSeq". A client that has seen seq n and
-- receives n + 2 knows exactly which message it missed.

-- AlterTable
ALTER TABLE "SupportConversation" ADD COLUMN "lastSeq" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "SupportMessage" ADD COLUMN "seq" INTEGER;

-- Backfill: existing messages are numbered in createdAt order (strictly increasing per conversation).
UPDATE "SupportMessage" m SET "seq" = numbered.seq
FROM (
  SELECT id, row_number() OVER (PARTITION BY "conversationId" ORDER BY "createdAt", id)::integer AS seq
  FROM "SupportMessage"
) numbered
WHERE m.id = numbered.id;

UPDATE "SupportConversation" c SET "lastSeq" = counted.last
FROM (SELECT "conversationId", max("seq") AS last FROM "SupportMessage" GROUP BY "conversationId") counted
WHERE c.id = counted."conversationId";

ALTER TABLE "SupportMessage" ALTER COLUMN "seq" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "SupportMessage_conversationId_seq_key" ON "SupportMessage"("conversationId", "seq");
