// Applies what the server tells (socket events, mutation results) to the query cache, in one
// place, so that the HTTP answer to a send and the socket's copy of the same message end as one.
import type { QueryClient } from '@tanstack/react-query';
import { type ConversationDto, MAX_PAGE_SIZE, type MessageDto, type ReadReceipt } from '../../../common/support';
import { type AdminConversationFilters, supportApi } from './api';
import {
  applyReadReceipt,
  type ChatMessage,
  type ConversationListData,
  matchesFilters,
  mergeIntoThread,
  patchConversation,
  seqGapBefore,
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

/** Gap fills fetched in a row before giving up and reloading the thread from its latest page. */
const MAX_GAP_PAGES = 5;
/** One chain of gap fills per conversation (per query client), so fills never race each other. */
const gapFills = new WeakMap<QueryClient, Map<string, Promise<void>>>();

/**
 * Adds a message the server reports (socket event, send answer) to its thread; if its seq shows
 * that messages before it were missed (a lost event, a server process that died before
 * publishing), fetches them with afterSeq. A message seen twice stays one (merged by id).
 */
export function applyMessageFillingGaps(queryClient: QueryClient, message: MessageDto) {
  const { conversationId } = message;
  const after = seqGapBefore(queryClient.getQueryData<ThreadData>(supportKeys.thread(conversationId)), message);
  applyMessage(queryClient, message);
  if (after === null) return;

  const chains = gapFills.get(queryClient) ?? new Map<string, Promise<void>>();
  gapFills.set(queryClient, chains);
  const fill = async () => {
    let cursor = after;
    for (let page = 0; page < MAX_GAP_PAGES; page += 1) {
      const next = await supportApi.listMessages(conversationId, { afterSeq: cursor, limit: MAX_PAGE_SIZE });
      applyMessages(queryClient, conversationId, next.items);
      const last = next.items[next.items.length - 1];
      if (!next.hasMore || !last) return;
      cursor = last.seq;
    }
    throw new Error('too far behind');
  };
  const chain = (chains.get(conversationId) ?? Promise.resolve())
    .then(fill)
    // Failed or too far behind: reload the thread (latest page, then catch-up by seq).
    .catch(() => queryClient.invalidateQueries({ queryKey: supportKeys.thread(conversationId) }));
  chains.set(conversationId, chain);
  void chain.then(() => {
    if (chains.get(conversationId) === chain) chains.delete(conversationId);
  });
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
        // Search matches the user's name, e-mail or phone, or the words of messages and notes, on
        // the server: only update rows it found, in the order it ranked them.
        mayInsert: !filters.search,
        searchResults: Boolean(filters.search),
        sort: filters.sort,
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
