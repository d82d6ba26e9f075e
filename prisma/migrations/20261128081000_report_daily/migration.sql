-- Faster reports. Each conversation's two durations are stored on its report row, written by the
-- same triggers as the times they come from (computing an interval's epoch per row was a quarter of
-- a 30-day report). Three indexes hold the durations and the filter columns, so the percentiles of
-- a day, an agent or a user type are read from one index range alone (index-only scans), each group
-- sorting only its own durations. They leave out messageCount, which every message changes: the
-- per-message update of the report row stays a HOT update that touches no index.
ALTER TABLE "SupportConversationReport"
  ADD COLUMN "firstResponseSeconds" DOUBLE PRECISION,
  ADD COLUMN "resolutionSeconds" DOUBLE PRECISION;

DROP INDEX "SupportConversationReport_createdAt_idx";
-- By period (and the CSV's order: creation time, then id).
CREATE INDEX "SupportConversationReport_period_idx" ON "SupportConversationReport"
  ("createdAt", "conversationId", "userType", "adminId", "orderLinked", "firstResponseSeconds", "resolutionSeconds");
CREATE INDEX "SupportConversationReport_agent_idx" ON "SupportConversationReport"
  ("adminId", "createdAt", "userType", "orderLinked", "firstResponseSeconds", "resolutionSeconds");
CREATE INDEX "SupportConversationReport_userType_idx" ON "SupportConversationReport"
  ("userType", "createdAt", "adminId", "orderLinked", "firstResponseSeconds", "resolutionSeconds");

CREATE OR REPLACE FUNCTION support_report_conversation_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  resolved_now boolean := OLD.status = 'open' AND NEW.status = 'resolved';
  reopened_now boolean := OLD.status = 'resolved' AND NEW.status = 'open';
BEGIN
  UPDATE "SupportConversationReport" SET
    "adminId" = NEW."adminId",
    "orderLinked" = NEW."orderId" IS NOT NULL,
    status = NEW.status,
    "firstResolvedAt" = CASE WHEN resolved_now THEN COALESCE("firstResolvedAt", NEW."resolvedAt") ELSE "firstResolvedAt" END,
    "resolutionSeconds" = CASE WHEN resolved_now AND "firstResolvedAt" IS NULL
                               THEN date_part('epoch', NEW."resolvedAt" - "createdAt") ELSE "resolutionSeconds" END,
    "lastResolvedAt" = CASE WHEN resolved_now THEN NEW."resolvedAt" ELSE "lastResolvedAt" END,
    resolutions = resolutions + CASE WHEN resolved_now THEN 1 ELSE 0 END,
    reopens = reopens + CASE WHEN reopened_now THEN 1 ELSE 0 END
  WHERE "conversationId" = NEW.id;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION support_report_message_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."senderType" = 'admin' THEN
    UPDATE "SupportConversationReport" SET
      "messageCount" = "messageCount" + 1,
      "firstResponseAt" = COALESCE("firstResponseAt", NEW."createdAt"),
      "firstResponseSeconds" = COALESCE("firstResponseSeconds", date_part('epoch', NEW."createdAt" - "createdAt"))
    WHERE "conversationId" = NEW."conversationId";
  ELSE
    UPDATE "SupportConversationReport" SET "messageCount" = "messageCount" + 1
    WHERE "conversationId" = NEW."conversationId";
  END IF;
  RETURN NULL;
END $$;

-- No write path deletes single messages today; should one (moderation, retention), the count and
-- the first response follow it. The first response is looked up again only when the deleted message
-- was it (a whole conversation's delete removes its report row by cascade, and then nothing is).
CREATE FUNCTION support_report_message_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "SupportConversationReport" SET "messageCount" = "messageCount" - 1
  WHERE "conversationId" = OLD."conversationId";
  IF OLD."senderType" = 'admin' AND EXISTS (
    SELECT 1 FROM "SupportConversationReport"
    WHERE "conversationId" = OLD."conversationId" AND "firstResponseAt" = OLD."createdAt") THEN
    UPDATE "SupportConversationReport" r SET
      "firstResponseAt" = f.at,
      "firstResponseSeconds" = date_part('epoch', f.at - r."createdAt")
    FROM (SELECT min(m."createdAt") AS at FROM "SupportMessage" m
          WHERE m."conversationId" = OLD."conversationId" AND m."senderType" = 'admin') f
    WHERE r."conversationId" = OLD."conversationId";
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER support_report_message_deleted AFTER DELETE ON "SupportMessage"
  FOR EACH ROW EXECUTE FUNCTION support_report_message_deleted();

-- Rows that exist already (report rows written before this migration).
UPDATE "SupportConversationReport" SET
  "firstResponseSeconds" = date_part('epoch', "firstResponseAt" - "createdAt"),
  "resolutionSeconds" = date_part('epoch', "firstResolvedAt" - "createdAt")
WHERE "firstResponseAt" IS NOT NULL OR "firstResolvedAt" IS NOT NULL;
