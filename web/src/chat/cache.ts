// Pure helpers that keep the TanStack Query cache right as messages arrive from three places at
// once: the HTTP answer to a send, the socket's message:created, and history pages. Messages are
// deduplicated by id and by clientMessageId (an optimistic message is replaced by the stored one),
// kept in createdAt order, and read receipts (a watermark) are applied to them.
import type { InfiniteData } from '@tanstack/react-query';
import type { UserType } from '../../../common/enums';
import {
  type AdminConversationsQuery,
  type ConversationDto,
  type ConversationPage,
  ConversationPriority,
  type ConversationStatus,
  type MessageDto,
  type ReadReceipt,
} from '../../../common/support';

/** A message as the chat shows it: a stored one, or an optimistic one still being sent. */
export type ChatMessage = MessageDto & {
  /** Set on optimistic messages only, until the server's copy replaces them. */
  pending?: 'sending' | 'failed';
};

/** One conversation's loaded messages, oldest first. */
export type ThreadData = { messages: ChatMessage[]; hasOlder: boolean };

const time = (iso: string) => Date.parse(iso);

export function compareMessages(a: MessageDto, b: MessageDto): number {
  return time(a.createdAt) - time(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Merges messages into a list: dedupes by id and clientMessageId, keeps createdAt order. */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map<string, ChatMessage>();
  for (const message of existing) byId.set(message.id, message);

  for (const message of incoming) {
    const sameId = byId.get(message.id);
    if (sameId) {
      // A stored copy is never replaced by an optimistic one; read state only moves forward.
      if (message.pending && !sameId.pending) continue;
      byId.set(message.id, sameId.read && !message.read ? { ...message, read: true, readAt: sameId.readAt } : message);
      continue;
    }
    if (message.clientMessageId) {
      const twin = [...byId.values()].find(
        (other) => other.clientMessageId === message.clientMessageId && other.senderType === message.senderType,
      );
      if (twin) {
        if (message.pending && !twin.pending) continue;
        byId.delete(twin.id);
      }
    }
    byId.set(message.id, message);
  }
  return [...byId.values()].sort(compareMessages);
}

/** Marks the other side's messages up to the receipt's watermark as read. */
export function applyReadReceipt(messages: readonly ChatMessage[], receipt: ReadReceipt): ChatMessage[] {
  const upTo = time(receipt.upToCreatedAt);
  let changed = false;
  const next = messages.map((message) => {
    if (message.pending || message.read) return message;
    if (message.senderType === receipt.readerType || time(message.createdAt) > upTo) return message;
    changed = true;
    return { ...message, read: true, readAt: receipt.readAt };
  });
  return changed ? next : (messages as ChatMessage[]);
}

export function mergeIntoThread(thread: ThreadData | undefined, incoming: readonly ChatMessage[]): ThreadData {
  return { messages: mergeMessages(thread?.messages ?? [], incoming), hasOlder: thread?.hasOlder ?? false };
}

/** The highest seq among the stored messages held, 0 for none (the gap and catch-up cursor). */
export function newestSeq(messages: readonly ChatMessage[]): number {
  let newest = 0;
  for (const message of messages) if (!message.pending && message.seq > newest) newest = message.seq;
  return newest;
}

/**
 * The gap rule: seqs count 1, 2, 3, ... per conversation, so a message whose seq is greater than
 * the newest held + 1 means the ones between were missed. Returns the seq to fetch after, or null.
 */
export function seqGapBefore(thread: ThreadData | undefined, message: MessageDto): number | null {
  if (!thread) return null;
  const newest = newestSeq(thread.messages);
  return message.seq > newest + 1 ? newest : null;
}

/** The newest message the server has stored. */
export function newestStoredMessage(messages: readonly ChatMessage[]): ChatMessage | undefined {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message && !message.pending) return message;
  }
  return undefined;
}

/** The newest message from the other side that the viewer has not read yet. */
export function newestUnreadFromOtherSide(
  messages: readonly ChatMessage[],
  viewerSide: MessageDto['senderType'],
): ChatMessage | undefined {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (message && !message.pending && message.senderType !== viewerSide) return message.read ? undefined : message;
  }
  return undefined;
}

// ----------------------------------------------------------------------------------------------
// Conversation lists (infinite queries of ConversationPage)
// ----------------------------------------------------------------------------------------------

export type ConversationListData = InfiniteData<ConversationPage, unknown>;

/** Filters of an admin list that can be checked on the client (search cannot: it matches the server's data). */
export type ConversationFilters = {
  userType?: UserType;
  status?: ConversationStatus;
  assigned?: AdminConversationsQuery['assigned'];
  unreadOnly?: boolean;
  search?: string;
  priority?: ConversationPriority;
  sort?: AdminConversationsQuery['sort'];
};

export function matchesFilters(
  conversation: ConversationDto,
  filters: ConversationFilters,
  viewerAdminId: string | null,
): boolean {
  if (filters.userType && conversation.userType !== filters.userType) return false;
  if (filters.status && conversation.status !== filters.status) return false;
  if (filters.assigned === 'unassigned' && conversation.adminId !== null) return false;
  if (filters.assigned === 'me' && conversation.adminId !== viewerAdminId) return false;
  if (filters.unreadOnly && conversation.unreadCount === 0) return false;
  if (filters.priority && conversation.priority !== filters.priority) return false;
  return true;
}

const byLastMessageDesc = (a: ConversationDto, b: ConversationDto) =>
  time(b.lastMessageAt) - time(a.lastMessageAt) || (a.id < b.id ? 1 : -1);

/** The server's "priority" sort: highest first, then the longest without activity. */
const byPriorityThenOldest = (a: ConversationDto, b: ConversationDto) =>
  ConversationPriority.options.indexOf(b.priority) - ConversationPriority.options.indexOf(a.priority) ||
  time(a.lastMessageAt) - time(b.lastMessageAt) ||
  (a.id < b.id ? -1 : 1);

/**
 * Puts a created or updated conversation into a list: replaces its old copy (unless that copy is
 * newer), moves it to its place by last activity, or removes it when it no longer matches.
 * `mayInsert` false: only update rows already shown (e.g. a search result list).
 */
export function upsertConversation(
  data: ConversationListData | undefined,
  conversation: ConversationDto,
  options: {
    matches: boolean;
    mayInsert: boolean;
    sort?: AdminConversationsQuery['sort'];
    /** A search result list: rows keep their place (the server's ranking) and their search match. */
    searchResults?: boolean;
  },
): ConversationListData | undefined {
  if (!data) return data;
  const old = data.pages.flatMap((page) => page.items).find((item) => item.id === conversation.id);
  if (old && time(old.updatedAt) > time(conversation.updatedAt)) return data;
  if (!old && (!options.mayInsert || !options.matches)) return data;
  if (old && options.searchResults) {
    // Live updates carry no match (it belongs to the search): keep the one the search returned.
    const updated = { ...conversation, ...(old.match && !conversation.match ? { match: old.match } : {}) };
    return {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        items: options.matches
          ? page.items.map((item) => (item.id === conversation.id ? updated : item))
          : page.items.filter((item) => item.id !== conversation.id),
      })),
    };
  }

  const pages = data.pages.map((page) => ({
    ...page,
    items: page.items.filter((item) => item.id !== conversation.id),
  }));
  if (options.matches) {
    // New activity goes to the top; other changes stay on the page the row was on. In the
    // priority order a row stays on its page (new ones join the first), sorted within it.
    const byPriority = options.sort === 'priority';
    const movedUp = !old || (!byPriority && time(conversation.lastMessageAt) > time(old.lastMessageAt));
    const pageIndex = movedUp
      ? 0
      : data.pages.findIndex((page) => page.items.some((item) => item.id === conversation.id));
    const target = pages[pageIndex];
    if (target)
      target.items = [...target.items, conversation].sort(byPriority ? byPriorityThenOldest : byLastMessageDesc);
  }
  return { ...data, pages };
}

/** Updates one conversation's fields wherever it appears in a list. */
export function patchConversation(
  data: ConversationListData | undefined,
  conversationId: string,
  patch: Partial<ConversationDto>,
): ConversationListData | undefined {
  if (!data) return data;
  let changed = false;
  const pages = data.pages.map((page) => ({
    ...page,
    items: page.items.map((item) => {
      if (item.id !== conversationId) return item;
      changed = true;
      return { ...item, ...patch };
    }),
  }));
  return changed ? { ...data, pages } : data;
}

export function flattenConversations(data: ConversationListData | undefined): ConversationDto[] {
  const seen = new Set<string>();
  const result: ConversationDto[] = [];
  for (const item of data?.pages.flatMap((page) => page.items) ?? []) {
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    result.push(item);
  }
  return result;
}
