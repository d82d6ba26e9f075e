import type { AdminConversationFilters } from './api';

/** Every support query key starts with 'support', so one invalidation can reach them all. */
export const supportKeys = {
  all: ['support'] as const,
  conversationLists: () => ['support', 'conversations'] as const,
  myConversations: () => ['support', 'conversations', 'mine'] as const,
  adminConversations: (filters: AdminConversationFilters) => ['support', 'conversations', 'admin', filters] as const,
  conversation: (conversationId: string) => ['support', 'conversation', conversationId] as const,
  threads: () => ['support', 'thread'] as const,
  thread: (conversationId: string) => ['support', 'thread', conversationId] as const,
  limits: () => ['support', 'limits'] as const,
  unread: (scope: 'admin' | 'user') => ['support', 'unread', scope] as const,
  conversationUser: (conversationId: string) => ['support', 'conversation-user', conversationId] as const,
  admins: () => ['support', 'admins'] as const,
};
