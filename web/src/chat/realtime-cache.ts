// Applies what the server tells (socket events, mutation results) to the query cache, in one
// place, so that the HTTP answer to a send and the socket's copy of the same message end as one.
import type { QueryClient } from '@tanstack/react-query';
import type { ConversationDto, MessageDto, ReadReceipt } from '../../../common/support';
import type { AdminConversationFilters } from './api';
import {
  applyReadReceipt,
  type ChatMessage,
  type ConversationListData,
  matchesFilters,
  mergeIntoThread,
  patchConversation,
  type ThreadData,
  upsertConversation,
} from './cache';
import { supportKeys } from './query-keys';

/** Adds messages to their conversation's thread, if that thread is loaded. */
export function applyMessages(queryClient: QueryClient, conversationId: string, messages: readonly ChatMessage[]) {
  queryClient.setQueryData<ThreadData>(supportKeys.thread(conversationId), (thread) =>
    thread ? mergeIntoThread(thread, messages) : thread,
  );
}

export function applyMessage(queryClient: QueryClient, message: MessageDto) {
  applyMessages(queryClient, message.conversationId, [message]);
}

/** A read receipt: ticks in the thread, and the reader's unread count when the reader is the viewer. */
export function applyReceipt(queryClient: QueryClient, receipt: ReadReceipt, viewerSide: 'user' | 'admin') {
  queryClient.setQueryData<ThreadData>(supportKeys.thread(receipt.conversationId), (thread) =>
    thread ? { ...thread, messages: applyReadReceipt(thread.messages, receipt) } : thread,
  );
  if (receipt.readerType !== viewerSide) return;
  for (const [key] of queryClient.getQueriesData<ConversationListData>({ queryKey: supportKeys.conversationLists() })) {
    queryClient.setQueryData<ConversationListData>(key, (data) =>
      patchConversation(data, receipt.conversationId, { unreadCount: receipt.unreadCount }),
    );
  }
  queryClient.setQueryData<ConversationDto>(supportKeys.conversation(receipt.conversationId), (conversation) =>
    conversation ? { ...conversation, unreadCount: receipt.unreadCount } : conversation,
  );
}

/** A created or updated conversation (already shaped for the viewer): detail and every loaded list. */
export function applyConversation(
  queryClient: QueryClient,
  conversation: ConversationDto,
  viewerAdminId: string | null,
) {
  queryClient.setQueryData<ConversationDto>(supportKeys.conversation(conversation.id), (old) =>
    old && Date.parse(old.updatedAt) > Date.parse(conversation.updatedAt) ? old : conversation,
  );
  for (const [key] of queryClient.getQueriesData<ConversationListData>({ queryKey: supportKeys.conversationLists() })) {
    const scope = key[2];
    const filters = (scope === 'admin' ? key[3] : {}) as AdminConversationFilters;
    queryClient.setQueryData<ConversationListData>(key, (data) =>
      upsertConversation(data, conversation, {
        matches: matchesFilters(conversation, filters, viewerAdminId),
        // Search matches the user's name, e-mail or phone on the server: only update rows it found.
        mayInsert: !filters.search,
      }),
    );
  }
}

/** Finds a conversation in the loaded lists (to show it at once while its own query loads). */
export function findConversation(queryClient: QueryClient, conversationId: string): ConversationDto | undefined {
  for (const [, data] of queryClient.getQueriesData<ConversationListData>({
    queryKey: supportKeys.conversationLists(),
  })) {
    const found = data?.pages.flatMap((page) => page.items).find((item) => item.id === conversationId);
    if (found) return found;
  }
  return undefined;
}
