// Queries and mutations for orders in support. A changed link comes back as the conversation
// (with its order summary), which goes into the same caches as the realtime events.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrderParty } from '../../../common/orders';
import { useViewer } from '../chat/hooks';
import { applyConversation } from '../chat/realtime-cache';
import { ordersApi } from './api';

export const orderKeys = {
  mine: () => ['support', 'orders', 'mine'] as const,
  orderCase: (orderId: string) => ['support', 'orders', 'case', orderId] as const,
  toLink: (conversationId: string, number: string) => ['support', 'orders', 'to-link', conversationId, number] as const,
};

export function useMyOrders(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: orderKeys.mine(),
    queryFn: ({ signal }) => ordersApi.listMyOrders(signal),
    enabled: options.enabled ?? true,
  });
}

export function useLinkOrder(conversationId: string) {
  const queryClient = useQueryClient();
  const { adminId } = useViewer();
  return useMutation({
    mutationFn: (orderId: string | null) => ordersApi.linkOrder(conversationId, orderId),
    onSuccess: (conversation) => {
      applyConversation(queryClient, conversation, adminId);
      void queryClient.invalidateQueries({ queryKey: ['support', 'orders', 'case'] });
    },
  });
}

export function useOrderCase(orderId: string | null | undefined) {
  return useQuery({
    queryKey: orderKeys.orderCase(orderId ?? ''),
    queryFn: ({ signal }) => ordersApi.getOrderCase(orderId ?? '', signal),
    enabled: Boolean(orderId),
  });
}

export function useOrdersToLink(conversationId: string, number: string, enabled: boolean) {
  return useQuery({
    queryKey: orderKeys.toLink(conversationId, number),
    queryFn: ({ signal }) => ordersApi.searchOrdersToLink(conversationId, number, signal),
    enabled,
  });
}

export function useContactParty(orderId: string) {
  const queryClient = useQueryClient();
  const { adminId } = useViewer();
  return useMutation({
    mutationFn: ({ party, body }: { party: OrderParty; body: string }) => ordersApi.contactParty(orderId, party, body),
    onSuccess: ({ conversation }) => {
      applyConversation(queryClient, conversation, adminId);
      void queryClient.invalidateQueries({ queryKey: orderKeys.orderCase(orderId) });
    },
  });
}
