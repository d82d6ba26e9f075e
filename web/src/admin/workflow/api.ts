// The workflow calls of the admin API, and their hooks: each answer updates the cached
// conversation and every loaded list at once (the socket event that follows changes nothing more).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  ConversationDto,
  ConversationPriority,
  SetPriorityRequest,
  SetStatusRequest,
} from '../../../../common/support';
import { apiFetch } from '../../api/api-fetch';
import { useViewer } from '../../chat/hooks';
import { applyConversation } from '../../chat/realtime-cache';

const base = (conversationId: string) => `/api/admin/support/conversations/${encodeURIComponent(conversationId)}`;

export const workflowApi = {
  setStatus: (conversationId: string, body: SetStatusRequest) =>
    apiFetch<ConversationDto>(`${base(conversationId)}/status`, { method: 'PUT', body }),
  setPriority: (conversationId: string, body: SetPriorityRequest) =>
    apiFetch<ConversationDto>(`${base(conversationId)}/priority`, { method: 'PUT', body }),
};

export function useSetStatus(conversationId: string) {
  const queryClient = useQueryClient();
  const { adminId } = useViewer();
  return useMutation({
    mutationFn: (request: SetStatusRequest) => workflowApi.setStatus(conversationId, request),
    onSuccess: (conversation) => applyConversation(queryClient, conversation, adminId),
  });
}

export function useSetPriority(conversationId: string) {
  const queryClient = useQueryClient();
  const { adminId } = useViewer();
  return useMutation({
    mutationFn: (priority: ConversationPriority) => workflowApi.setPriority(conversationId, { priority }),
    onSuccess: (conversation) => applyConversation(queryClient, conversation, adminId),
  });
}
