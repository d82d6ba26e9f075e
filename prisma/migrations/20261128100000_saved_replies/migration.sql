-- Saved replies: texts leads prepare and agents insert from the composer by their shortcut. The
-- shortcut is stored lower-cased by the application, so the plain unique index is case-insensitive.
-- CreateTable
CREATE TABLE "SupportSavedReply" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "shortcut" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "createdByAdminId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupportSavedReply_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SupportSavedReply_shortcut_key" ON "SupportSavedReply"("shortcut");

-- CreateIndex
CREATE INDEX "SupportSavedReply_createdByAdminId_idx" ON "SupportSavedReply"("createdByAdminId");

-- AddForeignKey
ALTER TABLE "SupportSavedReply" ADD CONSTRAINT "SupportSavedReply_createdByAdminId_fkey" FOREIGN KEY ("createdByAdminId") REFERENCES "AdminProfile"("id") ON DELETE SET NULL ON UPDATE CASCADE;
