-- Routing: agent availability and presence, per-agent capacity, the routing queue (queuedAt),
-- and per-process heartbeats with per-agent socket counts (presence across server processes).

-- CreateEnum
CREATE TYPE "AgentAvailability" AS ENUM ('online', 'away', 'offline');

-- AlterTable
ALTER TABLE "AdminProfile" ADD COLUMN     "availability" "AgentAvailability" NOT NULL DEFAULT 'online',
ADD COLUMN     "maxOpenConversations" INTEGER,
ADD COLUMN     "presence" "AgentAvailability" NOT NULL DEFAULT 'offline';

-- AlterTable
ALTER TABLE "SupportConversation" ADD COLUMN     "queueReason" TEXT NOT NULL DEFAULT 'auto',
ADD COLUMN     "queuedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "reopenPending" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "SupportNodeHeartbeat" (
    "nodeId" UUID NOT NULL,
    "seenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SupportNodeHeartbeat_pkey" PRIMARY KEY ("nodeId")
);

-- CreateTable
CREATE TABLE "AgentConnection" (
    "adminId" UUID NOT NULL,
    "nodeId" UUID NOT NULL,
    "socketCount" INTEGER NOT NULL DEFAULT 0,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgentConnection_pkey" PRIMARY KEY ("adminId","nodeId")
);

-- CreateIndex
CREATE INDEX "AgentConnection_nodeId_idx" ON "AgentConnection"("nodeId");

-- CreateIndex
CREATE INDEX "SupportConversation_status_adminId_queuedAt_idx" ON "SupportConversation"("status", "adminId", "queuedAt");

-- CreateIndex
CREATE INDEX "SupportConversation_reopenPending_idx" ON "SupportConversation"("reopenPending");

-- Conversations waiting today have waited since they were opened.
UPDATE "SupportConversation" SET "queuedAt" = "createdAt";
