-- Agent alerts: each support agent's switches for the dashboard's alerts (browser notification,
-- sound, tab title) per kind of alert. One row per agent once they change one; no row: defaults.
-- CreateTable
CREATE TABLE "AgentAlertPreference" (
    "adminId" UUID NOT NULL,
    "queuedNotification" BOOLEAN NOT NULL DEFAULT true,
    "queuedSound" BOOLEAN NOT NULL DEFAULT false,
    "queuedTitle" BOOLEAN NOT NULL DEFAULT true,
    "messageNotification" BOOLEAN NOT NULL DEFAULT true,
    "messageSound" BOOLEAN NOT NULL DEFAULT true,
    "messageTitle" BOOLEAN NOT NULL DEFAULT true,
    "mentionNotification" BOOLEAN NOT NULL DEFAULT true,
    "mentionSound" BOOLEAN NOT NULL DEFAULT true,
    "mentionTitle" BOOLEAN NOT NULL DEFAULT true,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentAlertPreference_pkey" PRIMARY KEY ("adminId")
);

-- AddForeignKey
ALTER TABLE "AgentAlertPreference" ADD CONSTRAINT "AgentAlertPreference_adminId_fkey" FOREIGN KEY ("adminId") REFERENCES "AdminProfile"("id") ON DELETE CASCADE ON UPDATE CASCADE;
