// The support chat's service layer (spec section 2). Every operation takes the acting principal
// first and authorises inside; identity and sender type come from the principal only.
//
// Write rules shared by every message (text, image, file), in one transaction:
// - the conversation row is updated first: its row lock serialises concurrent sends, and its
//   lastMessageAt = max(now, previous + 1 ms) becomes the message's createdAt, so createdAt
//   strictly increases within a conversation and (conversationId, createdAt) orders messages;
//   its lastSeq + 1 becomes the message's seq (1, 2, 3, ... without holes: clients see gaps);
// - the other side's unread counter goes up by one, a resolved conversation reopens, and the first
//   admin reply assigns an unassigned conversation to that admin;
// - the audit record, and for admin replies the notification outbox row, are written in the same
//   transaction.
// Domain events are published after the commit (support-events.ts). A retry that finds its message
// already stored publishes it again: the process that stored it may have died before publishing
// (clients de-duplicate by id). Within one server process,
// sends to the same conversation run one after another (write and publish), so their events leave
// in the order the messages were stored; clients also order by seq (or createdAt).
import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import type { UserType } from '../../common/enums.js';
import { ErrorCode } from '../../common/errors.js';
import {
  type AdminConversationsQuery,
  type AdminSummary,
  type ConversationDto,
  type ConversationPage,
  type ConversationUserDetails,
  type CreatedConversation,
  MAX_MESSAGE_LENGTH,
  MAX_SUBJECT_LENGTH,
  type MessageDto,
  type MessageHistoryQuery,
  type MessagePage,
  type MessageType,
  type ReadReceipt,
  type SenderType,
  type UnreadTotals,
} from '../../common/support.js';
import { type Db, Prisma, poolOf } from '../db/client.js';
import { errors } from '../errors.js';
import { AuditAction, type AuditService } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import type { DocumentsService } from '../platform/documents/documents.service.js';
import { RateLimitedError, type RateLimits } from '../platform/limits/rate-limits.js';
import type { OrdersService } from '../platform/orders/orders.service.js';
import type { ProfilesService } from '../platform/profiles/profiles.service.js';
import { requireUser } from '../platform/rbac/rbac.js';
import type { SettingsService } from '../platform/settings/settings.service.js';
import { createAttachmentsService } from './attachments/attachments.service.js';
import { createConversationOpener } from './conversation-open.js';
import { adminConversationPage, conversationViews, userConversationPage } from './conversation-queries.js';
import { createKeyedQueue } from './keyed-queue.js';
import { type MessageWriteInput, messageWriteValues, ONE_MESSAGE } from './message-write-sql.js';
import { assertConversationAccess, requireSupportAdmin, senderTypeOf } from './policies.js';
import { type ConversationView, type MessageRow, toConversationDto, toMessageDto } from './presenters.js';
import type { RoutingService } from './routing/routing.service.js';
import { sanitizeMessageBody, sanitizeSubject } from './sanitize.js';
import { isQueued, type SupportEvents } from './support-events.js';
import { createTextMessageWriter, type TextMessageInput, type WrittenText } from './text-message-write.js';

type Tx = Prisma.TransactionClient;

const messageInclude = {
  attachment: true,
  senderAdmin: { select: { displayName: true } },
} as const;

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

/** The open cap lifts when support resolves one, not at a known time: ask again in a while. */
const OPEN_CAP_RETRY_AFTER_SECONDS = 60;

export type SentMessage = { message: MessageDto; created: boolean };

export type SupportService = ReturnType<typeof createSupportService>;

export function createSupportService(deps: {
  db: Db;
  audit: AuditService;
  settings: SettingsService;
  documents: DocumentsService;
  profiles: ProfilesService;
  orders: OrdersService;
  events: SupportEvents;
  logger: Logger;
  limits: RateLimits;
  /** Routing (routing/): decides assignees; kick() runs a decision round now. */
  routing: Pick<RoutingService, 'kick' | 'teamChanged'>;
  maxOpenConversationsPerUser: number;
}) {
  const { db, audit, documents, events } = deps;
  const pool = poolOf(db);
  const writeText = createTextMessageWriter(pool);
  const presentMessage = (row: MessageRow) => toMessageDto(row, documents);
  const perConversation = createKeyedQueue();
  // Creations are written in batches (conversation-open.ts), as messages are.
  const openConversation = createConversationOpener(pool, { maxOpenPerUser: deps.maxOpenConversationsPerUser });

  // Views asked for in the same tick are read by one query (a burst of creations answering with
  // their assignee, many reads at once); nothing is cached between ticks.
  const views = new DataLoader<string, ConversationView | null>(
    async (ids) => {
      const byId = new Map((await conversationViews(db, ids)).map((view) => [view.id, view]));
      return ids.map((id) => byId.get(id) ?? null);
    },
    { cache: false },
  );

  async function loadView(conversationId: string): Promise<ConversationView> {
    const view = await views.load(conversationId);
    if (!view) throw errors.notFound('Conversation');
    return view;
  }

  /** The conversation, if the principal may see it (404 / 403 otherwise). */
  async function accessibleConversation(principal: Principal, conversationId: string) {
    const conversation = await db.supportConversation.findUnique({
      where: { id: conversationId },
      select: { id: true, userId: true, userType: true, adminId: true, status: true },
    });
    assertConversationAccess(principal, conversation);
    return conversation;
  }

  async function findByClientId(conversationId: string, clientMessageId: string, senderType: SenderType) {
    const existing = await db.supportMessage.findUnique({
      where: { conversationId_clientMessageId: { conversationId, clientMessageId } },
      include: messageInclude,
    });
    if (existing && existing.senderType !== senderType) {
      throw errors.conflict('This message id was already used by the other side of the conversation.');
    }
    return existing;
  }

  /**
   * Writes one message inside the caller's transaction (conversation creation, attachments)
   * through the same statement as the hot path (message-write-sql.ts), so the conversation rules
   * are the same for every message kind. Returns the stored row with its attachment.
   */
  async function insertMessage(
    tx: Tx,
    principal: Principal,
    conversationId: string,
    message: {
      messageType: MessageType;
      body: string | null;
      attachmentId: string | null;
      clientMessageId: string | null;
      auditMetadata: Record<string, string | number>;
    },
  ): Promise<MessageRow> {
    const senderType = senderTypeOf(principal);
    const messageId = randomUUID();
    const action = message.attachmentId ? AuditAction.SUPPORT_ATTACHMENT_UPLOADED : AuditAction.SUPPORT_MESSAGE_SENT;
    const input: MessageWriteInput = {
      messageId,
      conversationId,
      ownerUserId: principal.kind === 'user' ? principal.userId : null,
      senderType,
      senderAdminId: principal.kind === 'admin' ? principal.adminId : null,
      messageType: message.messageType,
      body: message.body,
      attachmentId: message.attachmentId,
      clientMessageId: message.clientMessageId,
      audit: audit.prepare(
        action,
        principal,
        { type: 'SupportMessage', id: messageId },
        { conversationId, messageId, senderType, messageType: message.messageType, ...message.auditMetadata },
      ),
    };
    const written = await tx.$queryRawUnsafe<unknown[]>(ONE_MESSAGE, ...messageWriteValues(input));
    if (written.length === 0) throw errors.notFound('Conversation');
    return tx.supportMessage.findUniqueOrThrow({ where: { id: messageId }, include: messageInclude });
  }

  /** A text message's write input, with its audit record (the hot path and a conversation's first message). */
  function textMessageInput(
    principal: Principal,
    conversationId: string,
    body: string,
    clientMessageId: string | null,
  ): TextMessageInput {
    const senderType = senderTypeOf(principal);
    const messageId = randomUUID();
    return {
      messageId,
      conversationId,
      ownerUserId: principal.kind === 'user' ? principal.userId : null,
      senderType,
      senderAdminId: principal.kind === 'admin' ? principal.adminId : null,
      body,
      clientMessageId,
      audit: audit.prepare(
        AuditAction.SUPPORT_MESSAGE_SENT,
        principal,
        { type: 'SupportMessage', id: messageId },
        { conversationId, messageId, senderType, messageType: 'text', bodyLength: body.length },
      ),
    };
  }

  const isUniqueViolation = (error: unknown) =>
    error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

  /**
   * A retry found its message already stored: publish it again, since the process that stored it
   * may have died between the commit and the publish. Clients de-duplicate by message id, and
   * nothing is written, so no counter moves twice.
   */
  async function republish(row: MessageRow): Promise<SentMessage> {
    const message = presentMessage(row);
    events.publish('messageCreated', { conversation: await loadView(row.conversationId), message, republished: true });
    return { message, created: false };
  }

  /**
   * Runs a message-creating transaction once per client message id: a retry (sequential or
   * concurrent, caught by the unique index) returns the stored message and publishes it again.
   */
  async function sendOnce(
    principal: Principal,
    conversationId: string,
    clientMessageId: string | undefined,
    write: (tx: Tx) => Promise<MessageRow>,
  ): Promise<SentMessage> {
    const senderType = senderTypeOf(principal);
    if (clientMessageId) {
      const existing = await findByClientId(conversationId, clientMessageId, senderType);
      if (existing) return republish(existing);
    }
    return perConversation(conversationId, async () => {
      let row: MessageRow;
      try {
        row = await db.$transaction(write);
      } catch (error) {
        if (clientMessageId && isUniqueViolation(error)) {
          const existing = await findByClientId(conversationId, clientMessageId, senderType);
          if (existing) return republish(existing);
        }
        throw error;
      }
      const message = presentMessage(row);
      events.publish('messageCreated', { conversation: await loadView(conversationId), message });
      // A user's file may have reopened the conversation: routing decides who answers.
      if (senderType === 'user') void kickRouting();
      return { message, created: true };
    });
  }

  /** Runs a routing round now; a failure is logged (the next periodic sweep retries). */
  const kickRouting = () =>
    deps.routing.kick().catch((error: unknown) => deps.logger.error({ err: error }, 'routing failed'));

  // Files in conversations (attachments/): written as messages through sendOnce and insertMessage.
  const attachments = createAttachmentsService({
    db,
    documents,
    settings: deps.settings,
    messages: { accessibleConversation, findByClientId, republish, sendOnce, insertMessage },
  });

  return {
    /** Spec: createConversation(userId, userType). Only users open conversations, for themselves. */
    async createConversation(
      principal: Principal,
      userId: string,
      userType: UserType,
      input: {
        subject?: string | undefined;
        message?: { body: string; clientMessageId?: string | undefined } | undefined;
        orderId?: string | undefined;
      } = {},
    ): Promise<CreatedConversation> {
      const user = requireUser(principal);
      if (user.userId !== userId || user.userType !== userType) {
        throw errors.forbidden('You can only open conversations for yourself.');
      }
      const orderId = input.orderId ?? null;
      if (orderId) await deps.orders.assertParty(orderId, userId, userType);
      const subject = sanitizeSubject(input.subject, MAX_SUBJECT_LENGTH);
      const firstBody = input.message ? sanitizeMessageBody(input.message.body, MAX_MESSAGE_LENGTH) : null;
      const { autoAssignAdmin } = await deps.settings.getSupport();

      const conversationId = randomUUID();
      const firstMessage =
        firstBody === null
          ? null
          : textMessageInput(principal, conversationId, firstBody, input.message?.clientMessageId ?? null);
      const opened = await openConversation({
        conversationId,
        userId,
        userType,
        subject,
        orderId,
        audit: audit.prepare(
          AuditAction.SUPPORT_CONVERSATION_CREATED,
          principal,
          { type: 'SupportConversation', id: conversationId },
          { conversationId, userType, ...(orderId ? { orderId } : {}) },
        ),
        firstMessage,
        // Spent only once the open cap let the request through: a refused request costs nothing.
        spendBudgets: async () => {
          await deps.limits.consume('conversationsPerHour', userId);
          if (firstMessage) await deps.limits.consume('messages', userId);
        },
      });
      if (opened.refused) {
        throw new RateLimitedError(
          `You already have ${opened.openBefore} open conversations. Continue in one of them; you can open a new one once support resolves one.`,
          OPEN_CAP_RETRY_AFTER_SECONDS,
          ErrorCode.CONVERSATION_LIMIT_REACHED,
        );
      }
      if (autoAssignAdmin) {
        // Routed before answering, so the reply names the assignee. The conversation exists
        // either way: if the decision fails it waits in the queue for the next sweep.
        await deps.routing
          .kick()
          .catch((error: unknown) => deps.logger.error({ err: error, conversationId }, 'routing failed'));
      }
      deps.routing.teamChanged();

      // Without routing in between, the first message's write returned the conversation as it is.
      const view =
        !autoAssignAdmin && opened.firstMessage ? opened.firstMessage.conversation : await loadView(conversationId);
      events.publish('conversationCreated', { conversation: view });
      const message = opened.firstMessage ? presentMessage(opened.firstMessage.message) : null;
      if (message) events.publish('messageCreated', { conversation: view, message });
      // Nobody took it (routing off, or nobody with room): it waits in the queue.
      if (isQueued(view)) events.publish('conversationQueued', { conversation: view });
      return { conversation: toConversationDto(view, 'user'), message };
    },

    /**
     * Support opens a conversation with a user (e.g. a party of an order), assigned to the agent,
     * with the agent's first message, through the same write path as every message. The per-account
     * creation limits are for users opening conversations, not for support contacting someone.
     * The caller has checked that the agent may reach this user (see order-links.ts).
     */
    async openConversationForUser(
      principal: Principal,
      target: { userId: string; userType: UserType; orderId: string | null; subject: string | null },
      message: { body: string },
    ): Promise<CreatedConversation> {
      const admin = requireSupportAdmin(principal);
      const body = sanitizeMessageBody(message.body, MAX_MESSAGE_LENGTH);
      const subject = sanitizeSubject(target.subject ?? undefined, MAX_SUBJECT_LENGTH);
      const { conversationId, firstMessage } = await db.$transaction(async (tx) => {
        const conversation = await tx.supportConversation.create({
          data: {
            userId: target.userId,
            userType: target.userType,
            subject,
            orderId: target.orderId,
            adminId: admin.adminId,
          },
          select: { id: true },
        });
        await audit.log(
          AuditAction.SUPPORT_CONVERSATION_CREATED,
          principal,
          { type: 'SupportConversation', id: conversation.id },
          {
            conversationId: conversation.id,
            userType: target.userType,
            userId: target.userId,
            startedBySupport: true,
            ...(target.orderId ? { orderId: target.orderId } : {}),
          },
          tx,
        );
        const written = await insertMessage(tx, principal, conversation.id, {
          messageType: 'text',
          body,
          attachmentId: null,
          clientMessageId: null,
          auditMetadata: { bodyLength: body.length },
        });
        return { conversationId: conversation.id, firstMessage: written };
      });
      const view = await loadView(conversationId);
      events.publish('conversationCreated', { conversation: view });
      const sent = presentMessage(firstMessage);
      events.publish('messageCreated', { conversation: view, message: sent });
      return { conversation: toConversationDto(view, 'admin'), message: sent };
    },

    async getConversation(principal: Principal, conversationId: string): Promise<ConversationDto> {
      await accessibleConversation(principal, conversationId);
      return toConversationDto(await loadView(conversationId), senderTypeOf(principal));
    },

    /** Spec: listUserConversations(userId). A user's own conversations, newest activity first. */
    async listUserConversations(
      principal: Principal,
      userId: string,
      options: { cursor?: string | undefined; limit: number },
    ): Promise<ConversationPage> {
      const user = requireUser(principal);
      if (user.userId !== userId) throw errors.forbidden('You can only list your own conversations.');
      const { views, nextCursor } = await userConversationPage(db, userId, options);
      return { items: views.map((view) => toConversationDto(view, 'user')), nextCursor };
    },

    /** Spec: listAdminConversations(). Every conversation, searchable and filterable (SUPPORT_CHAT). */
    async listAdminConversations(principal: Principal, query: AdminConversationsQuery): Promise<ConversationPage> {
      const admin = requireSupportAdmin(principal);
      const { views, nextCursor } = await adminConversationPage(db, admin.adminId, query);
      return { items: views.map((view) => toConversationDto(view, 'admin')), nextCursor };
    },

    /** Newest first with `before` (or no cursor); oldest first with `after` or `afterSeq` (catch-up). */
    async listMessages(principal: Principal, conversationId: string, query: MessageHistoryQuery): Promise<MessagePage> {
      await accessibleConversation(principal, conversationId);
      const cursors = [query.before, query.after, query.afterSeq].filter((cursor) => cursor !== undefined);
      if (cursors.length > 1) {
        throw errors.validation('Use one of before, after and afterSeq.', {
          fieldErrors: { [query.afterSeq !== undefined ? 'afterSeq' : 'after']: ['Only one cursor at a time.'] },
        });
      }
      if (query.afterSeq !== undefined) {
        const rows = await db.supportMessage.findMany({
          where: { conversationId, seq: { gt: query.afterSeq } },
          orderBy: { seq: 'asc' },
          take: query.limit + 1,
          include: messageInclude,
        });
        return { items: rows.slice(0, query.limit).map(presentMessage), hasMore: rows.length > query.limit };
      }
      const cursorId = query.before ?? query.after;
      const cursor = cursorId
        ? await db.supportMessage.findFirst({ where: { id: cursorId, conversationId }, select: { createdAt: true } })
        : null;
      if (cursorId && !cursor) {
        throw errors.validation('The cursor message is not in this conversation.', {
          fieldErrors: { [query.before ? 'before' : 'after']: ['Unknown message.'] },
        });
      }
      const rows = await db.supportMessage.findMany({
        where: {
          conversationId,
          ...(cursor ? { createdAt: query.after ? { gt: cursor.createdAt } : { lt: cursor.createdAt } } : {}),
        },
        orderBy: { createdAt: query.after ? 'asc' : 'desc' },
        take: query.limit + 1,
        include: messageInclude,
      });
      return { items: rows.slice(0, query.limit).map(presentMessage), hasMore: rows.length > query.limit };
    },

    /**
     * Spec: sendMessage(conversationId, senderType, body?). The sender type is the principal's side.
     * Written by one statement, together with other sends under load (text-message-write.ts); a
     * retry with the same clientMessageId hits the unique index and gets the stored message back
     * (published again: see republish).
     */
    async sendMessage(
      principal: Principal,
      conversationId: string,
      input: { body: string; clientMessageId?: string | undefined },
    ): Promise<SentMessage> {
      if (principal.kind === 'admin') requireSupportAdmin(principal);
      const body = sanitizeMessageBody(input.body, MAX_MESSAGE_LENGTH);
      const senderType = senderTypeOf(principal);
      const clientMessageId = input.clientMessageId ?? null;
      const text = textMessageInput(principal, conversationId, body, clientMessageId);
      return perConversation(conversationId, async () => {
        let written: WrittenText;
        try {
          written = await writeText(text);
        } catch (error) {
          if (clientMessageId && (error as { code?: string }).code === UNIQUE_VIOLATION) {
            const existing = await findByClientId(conversationId, clientMessageId, senderType);
            if (existing) return republish(existing);
          }
          throw error;
        }
        if (!written) throw errors.notFound('Conversation');
        const message = presentMessage(written.message);
        events.publish('messageCreated', { conversation: written.conversation, message });
        if (written.reopenPending) void kickRouting();
        return { message, created: true };
      });
    },

    ...attachments,

    /**
     * Spec: markAsRead(messageId). The reader's side reads that message and every earlier message
     * of the other side (a watermark). The counter drops by exactly the rows this call changed, so
     * concurrent calls cannot count a message twice. Reading one's own message changes nothing.
     */
    async markAsRead(principal: Principal, messageId: string): Promise<ReadReceipt> {
      const message = await db.supportMessage.findUnique({
        where: { id: messageId },
        select: {
          id: true,
          conversationId: true,
          senderType: true,
          createdAt: true,
          conversation: { select: { userId: true } },
        },
      });
      assertConversationAccess(principal, message ? message.conversation : null);
      const found = message as NonNullable<typeof message>;
      const readerType = senderTypeOf(principal);
      const otherSide: SenderType = readerType === 'user' ? 'admin' : 'user';
      const counter = Prisma.raw(readerType === 'user' ? '"unreadForUser"' : '"unreadForAdmin"');
      const readAt = new Date();
      const [result] = await db.$queryRaw<{ unread: number; marked: bigint }[]>`
        WITH changed AS (
          UPDATE "SupportMessage" SET read = true, "readAt" = ${readAt}
          WHERE "conversationId" = ${found.conversationId}::uuid
            AND "senderType" = ${otherSide}::"SupportSenderType"
            AND read = false
            AND "createdAt" <= ${found.createdAt}
          RETURNING 1
        )
        UPDATE "SupportConversation"
        SET ${counter} = GREATEST(${counter} - (SELECT count(*) FROM changed), 0)
        WHERE id = ${found.conversationId}::uuid
        RETURNING ${counter} AS unread, (SELECT count(*) FROM changed) AS marked`;
      const receipt: ReadReceipt = {
        conversationId: found.conversationId,
        readerType,
        upToMessageId: found.id,
        upToCreatedAt: found.createdAt.toISOString(),
        readAt: readAt.toISOString(),
        markedCount: Number(result?.marked ?? 0),
        unreadCount: result?.unread ?? 0,
      };
      if (receipt.markedCount > 0) {
        events.publish('messagesRead', { conversation: await loadView(found.conversationId), receipt });
      }
      return receipt;
    },

    /** Users: over their own conversations. Admins (SUPPORT_CHAT): over all conversations. */
    async unreadTotals(principal: Principal): Promise<UnreadTotals> {
      type Totals = { messages: bigint; conversations: bigint }[];
      let totals: Totals;
      if (principal.kind === 'user') {
        totals = await db.$queryRaw<Totals>`
          SELECT COALESCE(SUM("unreadForUser"), 0) AS messages, COUNT(*) FILTER (WHERE "unreadForUser" > 0) AS conversations
          FROM "SupportConversation" WHERE "userId" = ${principal.userId}::uuid`;
      } else {
        requireSupportAdmin(principal);
        totals = await db.$queryRaw<Totals>`
          SELECT COALESCE(SUM("unreadForAdmin"), 0) AS messages, COUNT(*) AS conversations
          FROM "SupportConversation" WHERE "unreadForAdmin" > 0`;
      }
      return { messages: Number(totals[0]?.messages ?? 0), conversations: Number(totals[0]?.conversations ?? 0) };
    },

    /** The right-hand panel: the user's profile and their other conversations. */
    async conversationUserDetails(principal: Principal, conversationId: string): Promise<ConversationUserDetails> {
      requireSupportAdmin(principal);
      const conversation = await accessibleConversation(principal, conversationId);
      const [user, others] = await Promise.all([
        deps.profiles.getUserDetails(conversation.userId, conversation.userType),
        userConversationPage(db, conversation.userId, { limit: 20, excludeId: conversationId }),
      ]);
      return { user, otherConversations: others.views.map((view) => toConversationDto(view, 'admin')) };
    },

    async listSupportAdmins(principal: Principal): Promise<AdminSummary[]> {
      requireSupportAdmin(principal);
      const admins = await db.adminProfile.findMany({
        where: { role: { permissions: { has: 'SUPPORT_CHAT' } }, user: { isActive: true } },
        select: { id: true, displayName: true },
        orderBy: { displayName: 'asc' },
      });
      return admins.map((admin) => ({ adminId: admin.id, displayName: admin.displayName }));
    },

    /** For socket handlers: throws unless the principal may see the conversation. */
    assertAccess: (principal: Principal, conversationId: string) => accessibleConversation(principal, conversationId),
  };
}
