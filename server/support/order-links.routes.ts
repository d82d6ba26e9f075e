// HTTP routes of orders in support (order-links.ts): linking an order to a conversation (its user
// or support), and support's order case, link picker and "contact a party of the order".
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse } from '../../common/errors.js';
import { OrderDto, OrderIdParams } from '../../common/orders.js';
import {
  ContactPartyRequest,
  ConversationDto,
  ConversationIdParams,
  CreatedConversation,
  LinkOrderRequest,
  OrderCase,
  OrderSearchQuery,
} from '../../common/support.js';
import type { OrderLinks } from './order-links.js';

const bearer = [{ bearer: [] }];
const failures = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function orderLinkRoutes(app: FastifyInstance, options: { orderLinks: OrderLinks }) {
  const { orderLinks } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.put('/conversations/:conversationId/order', {
    schema: {
      tags: ['support'],
      summary: "Link one of the conversation user's orders to the conversation, change it, or remove it (orderId null)",
      security: bearer,
      params: ConversationIdParams,
      body: LinkOrderRequest,
      response: { 200: ConversationDto, ...failures },
    },
    handler: (request) => orderLinks.linkOrder(request.principal, request.params.conversationId, request.body.orderId),
  });
}

export async function adminOrderLinkRoutes(app: FastifyInstance, options: { orderLinks: OrderLinks }) {
  const { orderLinks } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/conversations/:conversationId/orders', {
    schema: {
      tags: ['admin support'],
      summary: "The conversation user's orders to link, optionally by the start of the number (SUPPORT_CHAT)",
      security: bearer,
      params: ConversationIdParams,
      querystring: OrderSearchQuery,
      response: { 200: z.object({ items: z.array(OrderDto) }), ...failures },
    },
    handler: async (request) => ({
      items: await orderLinks.orderCandidates(request.principal, request.params.conversationId, request.query.number),
    }),
  });

  routes.get('/orders/:orderId', {
    schema: {
      tags: ['admin support'],
      summary:
        "An order linked to a conversation: timeline, items, the three parties' details and every conversation about it (SUPPORT_CHAT)",
      security: bearer,
      params: OrderIdParams,
      response: { 200: OrderCase, ...failures },
    },
    handler: (request) => orderLinks.orderCase(request.principal, request.params.orderId),
  });

  routes.post('/orders/:orderId/conversations', {
    schema: {
      tags: ['admin support'],
      summary:
        "Start a conversation with the order's customer, restaurant or driver, linked to the order and assigned to the caller (SUPPORT_CHAT)",
      security: bearer,
      params: OrderIdParams,
      body: ContactPartyRequest,
      response: { 201: CreatedConversation, ...failures, 409: ErrorResponse },
    },
    handler: async (request, reply) => {
      const { party, message } = request.body;
      const created = await orderLinks.contactParty(request.principal, request.params.orderId, party, message);
      return reply.status(201).send(created);
    },
  });
}
