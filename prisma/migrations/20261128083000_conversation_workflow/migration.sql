-- Conversation workflow: pending and snoozed statuses (snoozedUntil: when a snoozed conversation
-- wakes), and a priority set by agents.
ALTER TYPE "SupportConversationStatus" ADD VALUE IF NOT EXISTS 'pending';
ALTER TYPE "SupportConversationStatus" ADD VALUE IF NOT EXISTS 'snoozed';

-- CreateEnum
CREATE TYPE "SupportConversationPriority" AS ENUM ('none', 'low', 'medium', 'high', 'urgent');

-- AlterTable
ALTER TABLE "SupportConversation" ADD COLUMN     "priority" "SupportConversationPriority" NOT NULL DEFAULT 'none',
ADD COLUMN     "snoozedUntil" TIMESTAMPTZ(3);

-- Reports: a resolution is entering "resolved" from any other status, a reopen is leaving it
-- (pending and snoozed are not resolved, and moving between open, pending and snoozed counts nothing).
-- The rest as in 20261128081000_report_daily (the stored resolution time in seconds).
CREATE OR REPLACE FUNCTION support_report_conversation_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  resolved_now boolean := OLD.status <> 'resolved' AND NEW.status = 'resolved';
  reopened_now boolean := OLD.status = 'resolved' AND NEW.status <> 'resolved';
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
