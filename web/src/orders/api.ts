// Typed calls for orders in support (shapes in common/orders.ts and common/support.ts).
import type { OrderDto, OrderList, OrderParty } from '../../../common/orders';
import type { ConversationDto, CreatedConversation, OrderCase } from '../../../common/support';
import { apiFetch } from '../api/api-fetch';

const id = encodeURIComponent;

export const ordersApi = {
  /** The signed-in user's recent orders, in progress first. */
  listMyOrders: (signal?: AbortSignal) => apiFetch<OrderList>('/api/orders', { signal }),
  /** Links an order of the conversation's user (null removes the link); users and support. */
  linkOrder: (conversationId: string, orderId: string | null) =>
    apiFetch<ConversationDto>(`/api/support/conversations/${id(conversationId)}/order`, {
      method: 'PUT',
      body: { orderId },
    }),
  // --- support admins ------------------------------------------------------------------------
  getOrderCase: (orderId: string, signal?: AbortSignal) =>
    apiFetch<OrderCase>(`/api/admin/support/orders/${id(orderId)}`, { signal }),
  searchOrdersToLink: (conversationId: string, number: string, signal?: AbortSignal) =>
    apiFetch<{ items: OrderDto[] }>(`/api/admin/support/conversations/${id(conversationId)}/orders`, {
      query: number ? { number } : {},
      signal,
    }),
  contactParty: (orderId: string, party: OrderParty, body: string) =>
    apiFetch<CreatedConversation>(`/api/admin/support/orders/${id(orderId)}/conversations`, {
      method: 'POST',
      body: { party, message: { body } },
    }),
};
