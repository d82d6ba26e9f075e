// Manual assignment: an agent takes a conversation, a lead assigns or unassigns it. Like every
// assignment decision (routing/), it holds the routing lock, so it never races a routing round.
import type { Logger } from 'pino';
import { ErrorCode } from '../../../common/errors.js';
import type { AdminSummary, ConversationDto } from '../../../common/support.js';
import type { Db } from '../../db/client.js';
import { AppError, errors } from '../../errors.js';
import { AuditAction, type AuditService } from '../../platform/audit/audit.service.js';
import type { Principal } from '../../platform/auth/principal.js';
import { conversationView } from '../conversation-queries.js';
import { assertConversationAccess, requireSupportAdmin } from '../policies.js';
import { toConversationDto } from '../presenters.js';
import type { RoutingService } from '../routing/routing.service.js';
import { isQueued, type SupportEvents } from '../support-events.js';

export type AssignmentService = ReturnType<typeof createAssignmentService>;

export function createAssignmentService(deps: {
  db: Db;
  audit: AuditService;
  events: SupportEvents;
  routing: Pick<RoutingService, 'kick' | 'teamChanged' | 'agentState' | 'lockDecisions'>;
  logger: Logger;
}) {
  const { db, audit, events } = deps;

  async function loadView(conversationId: string) {
    const view = await conversationView(db, conversationId);
    if (!view) throw errors.notFound('Conversation');
    return view;
  }

  return {
    /**
     * Assigns to an admin holding SUPPORT_CHAT; no adminId: the caller takes it; null: unassign.
     * The conversation row is locked while deciding, so concurrent calls see each other's result:
     * a take succeeds only while the conversation is unassigned (or already the caller's), else
     * 409 ALREADY_ASSIGNED names the assignee; the audit records the true previous assignee, and
     * only real changes. Assigning to another admin who is not online or has no spare capacity
     * fails with 409 AGENT_UNAVAILABLE / AGENT_AT_CAPACITY unless forced; the check and the write
     * hold the routing lock, like every assignment decision. Unassigned, it waits in the queue.
     */
    async assignConversation(
      principal: Principal,
      conversationId: string,
      adminId?: string | null,
      options: { force?: boolean } = {},
    ): Promise<ConversationDto> {
      const admin = requireSupportAdmin(principal);
      assertConversationAccess(
        principal,
        await db.supportConversation.findUnique({
          where: { id: conversationId },
          select: { id: true, userId: true, userType: true, adminId: true, status: true },
        }),
      );
      const taking = adminId === undefined;
      const target = taking ? admin.adminId : adminId;
      if (target !== null) {
        const assignee = await db.adminProfile.findUnique({
          where: { id: target },
          select: { role: { select: { permissions: true } }, user: { select: { isActive: true } } },
        });
        if (!assignee?.user.isActive || !assignee.role.permissions.includes('SUPPORT_CHAT')) {
          throw errors.validation('Conversations can only be assigned to active support admins.', {
            fieldErrors: { adminId: ['Not a support admin.'] },
          });
        }
      }
      const outcome = await db.$transaction(async (tx): Promise<{ changed: boolean; takenBy?: AdminSummary }> => {
        await deps.routing.lockDecisions(tx);
        // The lock alone first: a join in the same statement would keep the pre-wait assignee's row.
        const [current] = await tx.$queryRaw<{ adminId: string | null }[]>`
          SELECT "adminId" FROM "SupportConversation" WHERE id = ${conversationId}::uuid FOR UPDATE`;
        if (!current) throw errors.notFound('Conversation');
        if (current.adminId === target) return { changed: false };
        if (taking && current.adminId !== null) {
          const holder = await tx.adminProfile.findUnique({
            where: { id: current.adminId },
            select: { displayName: true },
          });
          return { changed: false, takenBy: { adminId: current.adminId, displayName: holder?.displayName ?? '' } };
        }
        if (target !== null && target !== admin.adminId && !options.force) {
          const state = await deps.routing.agentState(tx, target);
          if (state && state.presence !== 'online') {
            throw new AppError(409, ErrorCode.AGENT_UNAVAILABLE, `This admin is ${state.presence}. Assign anyway?`, {
              status: state.presence,
            });
          }
          if (state && state.open >= state.capacity) {
            throw new AppError(
              409,
              ErrorCode.AGENT_AT_CAPACITY,
              `This admin already has ${state.open} of ${state.capacity} open conversations. Assign anyway?`,
              { open: state.open, capacity: state.capacity },
            );
          }
        }
        // Unassigned, it joins the queue from now.
        await tx.$executeRaw`
          UPDATE "SupportConversation" SET "adminId" = ${target}::uuid, "updatedAt" = now(),
            "queuedAt" = CASE WHEN ${target}::uuid IS NULL THEN now() ELSE "queuedAt" END
          WHERE id = ${conversationId}::uuid`;
        await audit.log(
          AuditAction.SUPPORT_CONVERSATION_ASSIGNED,
          principal,
          { type: 'SupportConversation', id: conversationId },
          { conversationId, adminId: target, previousAdminId: current.adminId, reason: 'manual' },
          tx,
        );
        return { changed: true };
      });
      const { changed, takenBy } = outcome;
      if (takenBy) {
        const who = takenBy.displayName || 'another admin';
        throw new AppError(409, ErrorCode.ALREADY_ASSIGNED, `Already taken by ${who}.`, { assignee: takenBy });
      }
      if (!changed) return toConversationDto(await loadView(conversationId), 'admin');
      deps.routing.teamChanged();
      if (target === null) {
        // Unassigned: it waits in the queue, and a routing round may give it to someone at once.
        deps.routing.kick().catch((error: unknown) => deps.logger.error({ err: error }, 'routing failed'));
      }
      const view = await loadView(conversationId);
      events.publish('conversationUpdated', { conversation: view });
      if (target === null && isQueued(view)) events.publish('conversationQueued', { conversation: view });
      return toConversationDto(view, 'admin');
    },
  };
}
