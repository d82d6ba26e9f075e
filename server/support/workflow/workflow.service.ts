// Conversation workflow: status (open, pending, snoozed until a time, resolved) and priority, set
// by support agents (see replit.md, "Conversation workflow").
//
// - Pending and snoozed conversations keep their agent but do not count against the agent's load
//   (routing counts status = 'open' only), so setting them frees capacity and kicks routing.
// - A user's message reopens a pending or snoozed conversation: a rule of the one message write
//   path (message-write-sql.ts), which also tells routing (reopenPending), as for a resolved one.
// - A snooze ends in PostgreSQL, not in a timer: wakeSnoozed() runs inside every routing sweep (one
//   transaction under the routing lock, every second, on every process), so each conversation
//   wakes exactly once, and on time after a restart, whichever process gets there first.
// - Users see pending and snoozed as "open" and never see the priority (presenters.ts), so these
//   changes reach the admins only; resolve and reopen reach the user too.
import type { PoolClient } from 'pg';
import type { Logger } from 'pino';
import { ErrorCode } from '../../../common/errors.js';
import {
  type ConversationDto,
  type ConversationPriority,
  type ConversationStatus,
  MAX_SNOOZE_DAYS,
  type SetStatusRequest,
} from '../../../common/support.js';
import type { Db } from '../../db/client.js';
import { AppError, errors } from '../../errors.js';
import { AuditAction, type AuditService } from '../../platform/audit/audit.service.js';
import type { Principal } from '../../platform/auth/principal.js';
import { conversationView } from '../conversation-queries.js';
import { requireSupportAdmin } from '../policies.js';
import { toConversationDto } from '../presenters.js';
import type { RoutingService } from '../routing/routing.service.js';
import { isQueued, type SupportEvents } from '../support-events.js';

/** Conversations woken by one sweep, at most (the next sweep, a second later, goes on). */
const MAX_WAKES_PER_SWEEP = 500;

/** The user sees only open or resolved: did this change alter what they see? */
const userSees = (status: ConversationStatus) => (status === 'resolved' ? 'resolved' : 'open');

/**
 * Wakes every snoozed conversation whose time has come: back to open, and reopenPending so that
 * the routing round that follows decides whether its agent keeps it (as for a user's reopen). Run
 * by every sweep just before its round; returns the woken ids (published with the round's changes).
 */
export async function wakeSnoozed(client: Pick<PoolClient, 'query'>): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>({
    name: 'workflow-wake-snoozed',
    text: `WITH due AS (
             SELECT id FROM "SupportConversation"
             WHERE status = 'snoozed' AND "snoozedUntil" <= clock_timestamp()
             ORDER BY "snoozedUntil" LIMIT ${MAX_WAKES_PER_SWEEP} FOR UPDATE
           ), woken AS (
             UPDATE "SupportConversation" c SET status = 'open', "snoozedUntil" = NULL, "reopenPending" = true, "updatedAt" = now()
             FROM due WHERE c.id = due.id RETURNING c.id
           ), audit AS (
             INSERT INTO "AuditLog" (action, "actorType", "actorId", "targetType", "targetId", metadata)
             SELECT '${AuditAction.SUPPORT_CONVERSATION_STATUS_CHANGED}', 'system', NULL, 'SupportConversation', id::text,
                    jsonb_build_object('conversationId', id, 'status', 'open', 'previousStatus', 'snoozed', 'reason', 'snooze_ended')
             FROM woken
           )
           SELECT id FROM woken`,
  });
  return rows.map((row) => row.id);
}

export type WorkflowService = ReturnType<typeof createWorkflowService>;

export function createWorkflowService(deps: {
  db: Db;
  audit: AuditService;
  events: SupportEvents;
  routing: Pick<RoutingService, 'kick' | 'teamChanged'>;
  logger: Logger;
}) {
  const { db, audit, events } = deps;

  async function current(conversationId: string) {
    const view = await conversationView(db, conversationId);
    if (!view) throw errors.notFound('Conversation');
    return view;
  }

  /** Publishes the conversation as it is now; to the user too when what they see changed. */
  async function publish(conversationId: string, userViewChanged: boolean, reopened = false): Promise<ConversationDto> {
    const view = await current(conversationId);
    events.publish('conversationUpdated', { conversation: view, adminsOnly: !userViewChanged });
    // Back to open without an agent: it waits in the queue again.
    if (reopened && isQueued(view)) events.publish('conversationQueued', { conversation: view });
    return toConversationDto(view, 'admin');
  }

  function snoozeEnd(request: SetStatusRequest): Date | null {
    if (request.status !== 'snoozed') return null;
    const until = new Date(request.snoozedUntil);
    const now = Date.now();
    if (until.getTime() <= now || until.getTime() > now + MAX_SNOOZE_DAYS * 86_400_000) {
      throw new AppError(
        400,
        ErrorCode.SNOOZE_TIME_INVALID,
        `Choose a time in the future, at most ${MAX_SNOOZE_DAYS} days from now.`,
      );
    }
    return until;
  }

  return {
    /** Open, pending, snoozed until a time, or resolved (SUPPORT_CHAT). Setting the same again changes nothing. */
    async setStatus(principal: Principal, conversationId: string, request: SetStatusRequest): Promise<ConversationDto> {
      requireSupportAdmin(principal);
      const snoozedUntil = snoozeEnd(request);
      const { status } = request;
      const changed = await db.$transaction(async (tx) => {
        const [before] = await tx.$queryRaw<{ status: ConversationStatus; snoozedUntil: Date | null }[]>`
          SELECT status, "snoozedUntil" FROM "SupportConversation" WHERE id = ${conversationId}::uuid FOR UPDATE`;
        if (!before) throw errors.notFound('Conversation');
        if (before.status === status && before.snoozedUntil?.getTime() === snoozedUntil?.getTime()) return null;
        // Back to open while unassigned: it joins the routing queue from now.
        await tx.$executeRaw`
          UPDATE "SupportConversation" SET status = ${status}::"SupportConversationStatus",
            "snoozedUntil" = ${snoozedUntil},
            "resolvedAt" = CASE WHEN ${status} = 'resolved' THEN now() END,
            "queuedAt" = CASE WHEN ${status} = 'open' AND "adminId" IS NULL THEN now() ELSE "queuedAt" END,
            -- A user's reopen that routing has not settled yet is moot once the agent sets another status.
            "reopenPending" = "reopenPending" AND ${status} = 'open',
            "updatedAt" = now()
          WHERE id = ${conversationId}::uuid`;
        const action =
          status === 'resolved'
            ? AuditAction.SUPPORT_CONVERSATION_RESOLVED
            : status === 'open' && before.status === 'resolved'
              ? AuditAction.SUPPORT_CONVERSATION_REOPENED
              : AuditAction.SUPPORT_CONVERSATION_STATUS_CHANGED;
        await audit.log(
          action,
          principal,
          { type: 'SupportConversation', id: conversationId },
          {
            conversationId,
            status,
            previousStatus: before.status,
            snoozeSeconds: snoozedUntil ? Math.round((snoozedUntil.getTime() - Date.now()) / 1000) : undefined,
          },
          tx,
        );
        return {
          userViewChanged: userSees(before.status) !== userSees(status),
          reopened: before.status !== status && status === 'open',
        };
      });
      if (!changed) return toConversationDto(await current(conversationId), 'admin');
      // Leaving or entering "open" changes the agent's load: the queue's head may go to them now.
      deps.routing.teamChanged();
      deps.routing.kick().catch((error: unknown) => deps.logger.error({ err: error }, 'routing failed'));
      return publish(conversationId, changed.userViewChanged, changed.reopened);
    },

    /** None, low, medium, high or urgent (SUPPORT_CHAT); users never see it. */
    async setPriority(
      principal: Principal,
      conversationId: string,
      priority: ConversationPriority,
    ): Promise<ConversationDto> {
      requireSupportAdmin(principal);
      const previous = await db.$transaction(async (tx) => {
        const [before] = await tx.$queryRaw<{ priority: ConversationPriority }[]>`
          SELECT priority FROM "SupportConversation" WHERE id = ${conversationId}::uuid FOR UPDATE`;
        if (!before) throw errors.notFound('Conversation');
        if (before.priority === priority) return null;
        await tx.$executeRaw`
          UPDATE "SupportConversation" SET priority = ${priority}::"SupportConversationPriority", "updatedAt" = now()
          WHERE id = ${conversationId}::uuid`;
        await audit.log(
          AuditAction.SUPPORT_CONVERSATION_PRIORITY_SET,
          principal,
          { type: 'SupportConversation', id: conversationId },
          { conversationId, priority, previousPriority: before.priority },
          tx,
        );
        return before.priority;
      });
      if (previous === null) return toConversationDto(await current(conversationId), 'admin');
      return publish(conversationId, false);
    },
  };
}
