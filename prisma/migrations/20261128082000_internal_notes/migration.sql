-- Internal notes and @mentions: agents-only tables beside the messages. A note touches neither
-- SupportMessage nor the conversation row, so nothing a user can read (messages and their seq,
-- unread counters, previews, the notification outbox) and no report trigger sees it.
-- CreateTable
CREATE TABLE "SupportNote" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "conversationId" UUID NOT NULL,
    "authorAdminId" UUID,
    "body" TEXT NOT NULL,
    "clientNoteId" TEXT,
    "seq" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupportNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupportNoteMention" (
    "noteId" UUID NOT NULL,
    "adminId" UUID NOT NULL,
    "readAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupportNoteMention_pkey" PRIMARY KEY ("noteId","adminId")
);

-- CreateIndex
CREATE INDEX "SupportNote_authorAdminId_idx" ON "SupportNote"("authorAdminId");

-- CreateIndex
CREATE UNIQUE INDEX "SupportNote_conversationId_seq_key" ON "SupportNote"("conversationId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "SupportNote_conversationId_clientNoteId_key" ON "SupportNote"("conversationId", "clientNoteId");

-- CreateIndex
CREATE INDEX "SupportNoteMention_adminId_createdAt_idx" ON "SupportNoteMention"("adminId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "SupportNote" ADD CONSTRAINT "SupportNote_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "SupportConversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupportNote" ADD CONSTRAINT "SupportNote_authorAdminId_fkey" FOREIGN KEY ("authorAdminId") REFERENCES "AdminProfile"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupportNoteMention" ADD CONSTRAINT "SupportNoteMention_noteId_fkey" FOREIGN KEY ("noteId") REFERENCES "SupportNote"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupportNoteMention" ADD CONSTRAINT "SupportNoteMention_adminId_fkey" FOREIGN KEY ("adminId") REFERENCES "AdminProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;
