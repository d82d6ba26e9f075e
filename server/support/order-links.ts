// Orders in support: the order a conversation is about, and three-sided cases.
//   - Linking: the conversation's user or support may link one of that user's orders (as the party
//     their user type plays) to the conversation, change it or remove it. Audited (ids only) and
//     published as conversationUpdated (the conversation carries the order summary).
//   - The order case (support): the order, its parties' details (what the profiles panel shows)
//     and every conversation about it; readable once the order is linked to a conversation.
//   - Contacting a party (support): a new conversation with the order's customer, restaurant or
//     driver, pre-linked, assigned to the agent, with the agent's first message.
// Who may read an order is the orders module's rule; this module only asks it.
import type { OrderDto, OrderParty } from '../../common/orders.js';
import type { ConversationDto, CreatedConversation, OrderCase } from '../../common/support.js';
import type { Db } from '../db/client.js';
import { errors } from '../errors.js';
import { AuditAction, type AuditService } from '../platform/audit/audit.service.js';
import type { Principal } from '../platform/auth/principal.js';
import type { OrdersService } from '../platform/orders/orders.service.js';
import type { ProfilesService } from '../platform/profiles/profiles.service.js';
import { conversationView, orderConversationPage } from './conversation-queries.js';
import { requireSupportAdmin, senderTypeOf } from './policies.js';
import { toConversationDto } from './presenters.js';
import type { SupportService } from './support.service.js';
import type { SupportEvents } from './support-events.js';

/** Conversations shown in an order's case, newest activity first. */
const CASE_CONVERSATIONS = 50;

export type OrderLinks = ReturnType<typeof createOrderLinks>;

export function createOrderLinks(deps: {
  db: Db;
  audit: AuditService;
  orders: OrdersService;
  profiles: ProfilesService;
  support: SupportService;
  events: SupportEvents;
}) {
  const { db, audit, orders, support, events } = deps;

  return {
    /** Links `orderId` (null: removes the link). 404 for an order that is not the conversation user's. */
    async linkOrder(principal: Principal, conversationId: string, orderId: string | null): Promise<ConversationDto> {
      const conversation = await support.assertAccess(principal, conversationId);
      if (orderId) await orders.assertParty(orderId, conversation.userId, conversation.userType);
      const changed = await db.$transaction(async (tx) => {
        const [current] = await tx.$queryRaw<{ orderId: string | null }[]>`
          SELECT "orderId" FROM "SupportConversation" WHERE id = ${conversationId}::uuid FOR UPDATE`;
        if (!current) throw errors.notFound('Conversation');
        if (current.orderId === orderId) return false;
        await tx.supportConversation.update({ where: { id: conversationId }, data: { orderId } });
        await audit.log(
          AuditAction.SUPPORT_CONVERSATION_ORDER_LINKED,
          principal,
          { type: 'SupportConversation', id: conversationId },
          { conversationId, orderId, previousOrderId: current.orderId },
          tx,
        );
        return true;
      });
      const view = await conversationView(db, conversationId);
      if (!view) throw errors.notFound('Conversation');
      if (changed) events.publish('conversationUpdated', { conversation: view });
      return toConversationDto(view, senderTypeOf(principal));
    },

    /** Support's link picker: the conversation user's orders, optionally by the start of the number. */
    async orderCandidates(principal: Principal, conversationId: string, numberPrefix?: string): Promise<OrderDto[]> {
      requireSupportAdmin(principal);
      const conversation = await support.assertAccess(principal, conversationId);
      return orders.listForParty(conversation.userId, conversation.userType, numberPrefix);
    },

    async orderCase(principal: Principal, orderId: string): Promise<OrderCase> {
      await orders.assertSupportMayRead(principal, orderId);
      const [order, parties, conversations] = await Promise.all([
        orders.getUnchecked(orderId),
        orders.parties(orderId),
        orderConversationPage(db, orderId, CASE_CONVERSATIONS),
      ]);
      const [customer, restaurant, driver] = await Promise.all([
        deps.profiles.getUserDetails(parties.customer as string, 'customer'),
        deps.profiles.getUserDetails(parties.restaurant as string, 'restaurant'),
        parties.driver ? deps.profiles.getUserDetails(parties.driver, 'driver') : null,
      ]);
      return {
        order,
        parties: { customer, restaurant, driver },
        conversations: conversations.views.map((view) => toConversationDto(view, 'admin')),
      };
    },

    /** "Contact driver about #4821": a new conversation with that party, linked to the order. */
    async contactParty(
      principal: Principal,
      orderId: string,
      party: OrderParty,
      message: { body: string },
    ): Promise<CreatedConversation> {
      await orders.assertSupportMayRead(principal, orderId);
      const parties = await orders.parties(orderId);
      const userId = parties[party];
      if (!userId) throw errors.conflict(`Order #${parties.number} has no ${party} yet.`);
      return support.openConversationForUser(
        principal,
        { userId, userType: party, orderId, subject: `Order #${parties.number}` },
        message,
      );
    },
  };
}
