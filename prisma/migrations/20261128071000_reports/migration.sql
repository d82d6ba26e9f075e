-- Support reports: a new permission, and one row of figures per conversation kept up to date by
-- triggers, so that every write path (present and future) feeds the reports and report queries
-- never walk the messages.
ALTER TYPE "AdminPermission" ADD VALUE IF NOT EXISTS 'SUPPORT_REPORTS';

CREATE TABLE "SupportConversationReport" (
  "conversationId"  UUID PRIMARY KEY REFERENCES "SupportConversation"(id) ON DELETE CASCADE ON UPDATE CASCADE,
  "userType"        "UserType" NOT NULL,
  "adminId"         UUID,
  "orderLinked"     BOOLEAN NOT NULL DEFAULT false,
  "status"          "SupportConversationStatus" NOT NULL,
  "createdAt"       TIMESTAMPTZ(3) NOT NULL,
  "firstResponseAt" TIMESTAMPTZ(3),
  "firstResolvedAt" TIMESTAMPTZ(3),
  "lastResolvedAt"  TIMESTAMPTZ(3),
  "resolutions"     INTEGER NOT NULL DEFAULT 0,
  "reopens"         INTEGER NOT NULL DEFAULT 0,
  "messageCount"    INTEGER NOT NULL DEFAULT 0,
  -- The latest rating (of the latest rated resolution), so reports need no join.
  "rating"          INTEGER
);
-- Every report reads one period of creation times.
CREATE INDEX "SupportConversationReport_createdAt_idx" ON "SupportConversationReport" ("createdAt");

CREATE FUNCTION support_report_conversation_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "SupportConversationReport" ("conversationId", "userType", "adminId", "orderLinked", status, "createdAt")
  VALUES (NEW.id, NEW."userType", NEW."adminId", NEW."orderId" IS NOT NULL, NEW.status, NEW."createdAt");
  RETURN NULL;
END $$;

-- Fires only when the status, assignee or order changes (not on each message's bump).
CREATE FUNCTION support_report_conversation_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  resolved_now boolean := OLD.status = 'open' AND NEW.status = 'resolved';
  reopened_now boolean := OLD.status = 'resolved' AND NEW.status = 'open';
BEGIN
  UPDATE "SupportConversationReport" SET
    "adminId" = NEW."adminId",
    "orderLinked" = NEW."orderId" IS NOT NULL,
    status = NEW.status,
    "firstResolvedAt" = CASE WHEN resolved_now THEN COALESCE("firstResolvedAt", NEW."resolvedAt") ELSE "firstResolvedAt" END,
    "lastResolvedAt" = CASE WHEN resolved_now THEN NEW."resolvedAt" ELSE "lastResolvedAt" END,
    resolutions = resolutions + CASE WHEN resolved_now THEN 1 ELSE 0 END,
    reopens = reopens + CASE WHEN reopened_now THEN 1 ELSE 0 END
  WHERE "conversationId" = NEW.id;
  RETURN NULL;
END $$;

CREATE FUNCTION support_report_message_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "SupportConversationReport" SET
    "messageCount" = "messageCount" + 1,
    "firstResponseAt" = CASE WHEN NEW."senderType" = 'admin' THEN COALESCE("firstResponseAt", NEW."createdAt") ELSE "firstResponseAt" END
  WHERE "conversationId" = NEW."conversationId";
  RETURN NULL;
END $$;

CREATE FUNCTION support_report_rating_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "SupportConversationReport" SET rating = (
    SELECT r.rating FROM "ConversationRating" r WHERE r."conversationId" = NEW."conversationId"
    ORDER BY r."resolvedAt" DESC LIMIT 1)
  WHERE "conversationId" = NEW."conversationId";
  RETURN NULL;
END $$;

CREATE TRIGGER support_report_conversation_inserted AFTER INSERT ON "SupportConversation"
  FOR EACH ROW EXECUTE FUNCTION support_report_conversation_inserted();
CREATE TRIGGER support_report_conversation_updated AFTER UPDATE ON "SupportConversation"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD."adminId" IS DISTINCT FROM NEW."adminId"
                     OR OLD."orderId" IS DISTINCT FROM NEW."orderId")
  EXECUTE FUNCTION support_report_conversation_updated();
CREATE TRIGGER support_report_message_inserted AFTER INSERT ON "SupportMessage"
  FOR EACH ROW EXECUTE FUNCTION support_report_message_inserted();
CREATE TRIGGER support_report_rating_written AFTER INSERT OR UPDATE OF rating, "resolvedAt" ON "ConversationRating"
  FOR EACH ROW EXECUTE FUNCTION support_report_rating_written();

-- Conversations that exist already: figures from what is stored (resolutions from the audit log).
INSERT INTO "SupportConversationReport" ("conversationId", "userType", "adminId", "orderLinked", status, "createdAt",
  "firstResponseAt", "firstResolvedAt", "lastResolvedAt", resolutions, reopens, "messageCount", rating)
SELECT c.id, c."userType", c."adminId", c."orderId" IS NOT NULL, c.status, c."createdAt",
  (SELECT min(m."createdAt") FROM "SupportMessage" m WHERE m."conversationId" = c.id AND m."senderType" = 'admin'),
  COALESCE(a.first_resolved, c."resolvedAt"), COALESCE(c."resolvedAt", a.last_resolved),
  GREATEST(COALESCE(a.resolutions, 0), CASE WHEN c.status = 'resolved' THEN 1 ELSE 0 END),
  GREATEST(COALESCE(a.resolutions, 0) - CASE WHEN c.status = 'resolved' THEN 1 ELSE 0 END, 0),
  (SELECT count(*)::int FROM "SupportMessage" m WHERE m."conversationId" = c.id),
  (SELECT r.rating FROM "ConversationRating" r WHERE r."conversationId" = c.id ORDER BY r."resolvedAt" DESC LIMIT 1)
FROM "SupportConversation" c
LEFT JOIN LATERAL (
  SELECT count(*)::int AS resolutions, min(l."createdAt") AS first_resolved, max(l."createdAt") AS last_resolved
  FROM "AuditLog" l
  WHERE l."targetType" = 'SupportConversation' AND l."targetId" = c.id::text AND l.action = 'SUPPORT_CONVERSATION_RESOLVED'
) a ON true;
