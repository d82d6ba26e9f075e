-- DropIndex
DROP INDEX "SupportConversation_adminId_status_lastMessageAt_idx";

-- DropIndex
DROP INDEX "SupportConversation_status_lastMessageAt_idx";

-- DropIndex
DROP INDEX "SupportConversation_userType_lastMessageAt_idx";

-- CreateIndex
CREATE INDEX "SupportConversation_adminId_status_idx" ON "SupportConversation"("adminId", "status");
