// Satisfaction (CSAT): after a resolution the conversation's user may rate it, 1–5 with an optional
// comment; one answer per resolution (keyed by the conversation's resolvedAt), changeable for
// 24 hours after it was first given. Only the conversation's own user may rate it.

import { ErrorCode } from '../../common/errors.js';
import type { ConversationRatingDto, RateConversationRequest, RatingState } from '../../common/notifications.js';
import { RATING_CHANGE_WINDOW_HOURS } from '../../common/notifications.js';
import type { Db } from '../db/client.js';
import { AppError, errors } from '../errors.js';
import { AuditAction, type AuditService } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import { requireUser } from '../platform/rbac/rbac.js';

const WINDOW_MS = RATING_CHANGE_WINDOW_HOURS * 3600_000;

type RatingRow = {
  conversationId: string;
  resolvedAt: Date;
  rating: number;
  comment: string | null;
  createdAt: Date;
  updatedAt: Date;
};

const toDto = (row: RatingRow): ConversationRatingDto => ({
  conversationId: row.conversationId,
  resolvedAt: row.resolvedAt.toISOString(),
  rating: row.rating,
  comment: row.comment,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  changeableUntil: new Date(row.createdAt.getTime() + WINDOW_MS).toISOString(),
});

export type RatingsService = ReturnType<typeof createRatingsService>;

export function createRatingsService(deps: { db: Db; audit: AuditService; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  /** The user's own conversation (404 for anyone else's, as for one that does not exist). */
  async function ownConversation(principal: Principal, conversationId: string) {
    const user = requireUser(principal);
    const conversation = await db.supportConversation.findUnique({
      where: { id: conversationId },
      select: { id: true, userId: true, status: true, resolvedAt: true },
    });
    if (!conversation || conversation.userId !== user.userId) throw errors.notFound('Conversation');
    return { user, conversation };
  }

  return {
    async state(principal: Principal, conversationId: string): Promise<RatingState> {
      const { conversation } = await ownConversation(principal, conversationId);
      if (conversation.status !== 'resolved' || !conversation.resolvedAt) return { canRate: false, rating: null };
      const row = await db.conversationRating.findUnique({
        where: { conversationId_resolvedAt: { conversationId, resolvedAt: conversation.resolvedAt } },
      });
      const canRate = !row || now().getTime() - row.createdAt.getTime() <= WINDOW_MS;
      return { canRate, rating: row ? toDto(row) : null };
    },

    async rate(
      principal: Principal,
      conversationId: string,
      input: RateConversationRequest,
    ): Promise<ConversationRatingDto> {
      const { user, conversation } = await ownConversation(principal, conversationId);
      const resolvedAt = conversation.resolvedAt;
      if (conversation.status !== 'resolved' || !resolvedAt) {
        throw new AppError(409, ErrorCode.RATING_NOT_OPEN, 'You can rate a conversation once it is resolved.');
      }
      const comment = input.comment ? input.comment : null;
      const row = await db.$transaction(async (tx) => {
        // Locks the resolution's rating (if any), so that two answers at once cannot both be first.
        const [existing] = await tx.$queryRaw<{ createdAt: Date }[]>`
          SELECT "createdAt" FROM "ConversationRating"
          WHERE "conversationId" = ${conversationId}::uuid AND "resolvedAt" = ${resolvedAt} FOR UPDATE`;
        if (existing && now().getTime() - existing.createdAt.getTime() > WINDOW_MS) {
          throw new AppError(409, ErrorCode.RATING_CLOSED, 'This rating can no longer be changed.');
        }
        const saved = await tx.conversationRating.upsert({
          where: { conversationId_resolvedAt: { conversationId, resolvedAt } },
          create: { conversationId, userId: user.userId, resolvedAt, rating: input.rating, comment },
          update: { rating: input.rating, comment, updatedAt: now() },
        });
        await deps.audit.log(
          AuditAction.SUPPORT_CONVERSATION_RATED,
          principal,
          { type: 'SupportConversation', id: conversationId },
          { conversationId, rating: input.rating },
          tx,
        );
        return saved;
      });
      return toDto(row);
    },

    /** The newest resolution's rating, for agents. */
    async latest(conversationId: string): Promise<ConversationRatingDto | null> {
      const row = await db.conversationRating.findFirst({
        where: { conversationId },
        orderBy: { resolvedAt: 'desc' },
      });
      return row ? toDto(row) : null;
    },
  };
}
