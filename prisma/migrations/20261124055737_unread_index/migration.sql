-- CreateIndex
CREATE INDEX "SupportConversation_unreadForAdmin_idx" ON "SupportConversation"("unreadForAdmin");
