// TanStack Query hooks over the support chat's HTTP API. Socket events keep the same cache fresh
// (see socket.tsx and realtime-cache.ts), so pages read everything through these hooks.
import { type QueryClient, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Me } from '../../../common/auth';
import {
  type AssignConversationRequest,
  type ConversationDto,
  type CreateConversationRequest,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type SenderType,
} from '../../../common/support';
import { errorMessage, isApiError } from '../api/api-error';
import { useAuth } from '../auth/AuthProvider';
import { type AdminConversationFilters, newClientMessageId, supportApi } from './api';
import type { UploadOptions } from './Composer';
import {
  type ChatMessage,
  flattenConversations,
  mergeMessages,
  newestSeq,
  newestStoredMessage,
  newestUnreadFromOtherSide,
  patchConversation,
  type ThreadData,
} from './cache';
import { supportKeys } from './query-keys';
import {
  applyConversation,
  applyMessageFillingGaps,
  applyMessages,
  applyReceipt,
  findConversation,
} from './realtime-cache';

/** Which side the signed-in person writes for. */
export function viewerSideOf(me: Me | null): SenderType {
  return me?.kind === 'admin' ? 'admin' : 'user';
}

export function useViewer() {
  const { me } = useAuth();
  return {
    me,
    side: viewerSideOf(me),
    adminId: me?.kind === 'admin' ? me.adminId : null,
  };
}

// ------------------------------------------------------------------------------------------------
// Conversations
// ------------------------------------------------------------------------------------------------

/** The signed-in user's own conversations, newest activity first, paged by cursor. */
export function useMyConversations() {
  const query = useInfiniteQuery({
    queryKey: supportKeys.myConversations(),
    queryFn: ({ pageParam, signal }) => supportApi.listMyConversations({ cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  return useWithConversations(query);
}

/** The admin inbox with filters (search, userType, status, assigned, unreadOnly). */
export function useAdminConversations(filters: AdminConversationFilters) {
  const query = useInfiniteQuery({
    queryKey: supportKeys.adminConversations(filters),
    queryFn: ({ pageParam, signal }) => supportApi.listAdminConversations({ ...filters, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: (previous) => previous,
  });
  return useWithConversations(query);
}

function useWithConversations<T extends { data: Parameters<typeof flattenConversations>[0] }>(query: T) {
  const conversations = useMemo(() => flattenConversations(query.data), [query.data]);
  return { ...query, conversations };
}

export function useConversation(conversationId: string | null | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: supportKeys.conversation(conversationId ?? ''),
    queryFn: ({ signal }) => supportApi.getConversation(conversationId ?? '', signal),
    enabled: Boolean(conversationId),
    // Shown at once from the list row while the full copy loads.
    placeholderData: () => (conversationId ? findConversation(queryClient, conversationId) : undefined),
  });
}

export function useCreateConversation() {
  const queryClient = useQueryClient();
  const { adminId } = useViewer();
  return useMutation({
    mutationFn: (request: CreateConversationRequest) => supportApi.createConversation(request),
    onSuccess: ({ conversation, message }) => {
      applyConversation(queryClient, conversation, adminId);
      queryClient.setQueryData<ThreadData>(supportKeys.thread(conversation.id), {
        messages: message ? [message] : [],
        hasOlder: false,
      });
    },
  });
}

// ------------------------------------------------------------------------------------------------
// Messages
// ------------------------------------------------------------------------------------------------

/** Catch-up pages fetched after a gap before giving up and starting from the latest page. */
const MAX_CATCH_UP_PAGES = 5;

/**
 * Loads a thread: the latest page the first time; afterwards (refetch, reconnect) the messages
 * after the newest seq held (seqs have no holes, so nothing can be skipped), plus the latest page
 * again for read states that changed meanwhile.
 */
async function loadThread(queryClient: QueryClient, conversationId: string, signal: AbortSignal): Promise<ThreadData> {
  const key = supportKeys.thread(conversationId);
  const held = queryClient.getQueryData<ThreadData>(key);
  const newest = held && newestStoredMessage(held.messages);
  const latest = await supportApi.listMessages(conversationId, { limit: DEFAULT_PAGE_SIZE }, signal);
  let fetched: ChatMessage[] = latest.items;
  let hasOlder = latest.hasMore;

  if (held && newest) {
    const latestHasNewest = latest.items.some((message) => message.id === newest.id);
    if (latestHasNewest || !latest.hasMore) {
      hasOlder = held.hasOlder;
    } else {
      let afterSeq = newestSeq(held.messages);
      let gapClosed = false;
      for (let page = 0; page < MAX_CATCH_UP_PAGES; page += 1) {
        const next = await supportApi.listMessages(conversationId, { afterSeq, limit: MAX_PAGE_SIZE }, signal);
        fetched = [...fetched, ...next.items];
        const last = next.items[next.items.length - 1];
        if (!next.hasMore || !last) {
          gapClosed = true;
          break;
        }
        afterSeq = last.seq;
      }
      // Too far behind: start again from the latest page.
      if (!gapClosed) return { messages: mergeMessages([], latest.items), hasOlder: latest.hasMore };
      hasOlder = held.hasOlder;
    }
  }
  // Socket events may have arrived while this ran: merge into what the cache holds now.
  const current = queryClient.getQueryData<ThreadData>(key);
  return { messages: mergeMessages(current?.messages ?? [], fetched), hasOlder };
}

/** A conversation's messages, oldest first, with paging back through history. */
export function useThread(conversationId: string | null | undefined) {
  const queryClient = useQueryClient();
  const id = conversationId ?? '';
  const query = useQuery({
    queryKey: supportKeys.thread(id),
    queryFn: ({ signal }) => loadThread(queryClient, id, signal),
    enabled: Boolean(conversationId),
    staleTime: 30_000,
  });

  const [isLoadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(null);
  const loading = useRef(false);
  const loadOlder = useCallback(async () => {
    const thread = queryClient.getQueryData<ThreadData>(supportKeys.thread(id));
    const oldest = thread?.messages.find((message) => !message.pending);
    if (!thread?.hasOlder || !oldest || loading.current) return;
    loading.current = true;
    setLoadingOlder(true);
    setOlderError(null);
    try {
      const page = await supportApi.listMessages(id, { before: oldest.id, limit: DEFAULT_PAGE_SIZE });
      queryClient.setQueryData<ThreadData>(supportKeys.thread(id), (current) => ({
        messages: mergeMessages(current?.messages ?? [], page.items),
        hasOlder: page.hasMore,
      }));
    } catch (error) {
      setOlderError(error);
    } finally {
      loading.current = false;
      setLoadingOlder(false);
    }
  }, [queryClient, id]);

  return {
    ...query,
    messages: query.data?.messages ?? [],
    hasOlder: query.data?.hasOlder ?? false,
    loadOlder,
    isLoadingOlder,
    olderError,
  };
}

/**
 * Sends text messages optimistically: the message shows at once as "Sending…" and is replaced by
 * the stored one (same clientMessageId); a failure leaves it "Not sent" with a retry.
 */
export function useSendMessage(conversationId: string | null | undefined) {
  const queryClient = useQueryClient();
  const { me, side } = useViewer();

  const mutation = useMutation({
    mutationFn: (message: ChatMessage) =>
      supportApi.sendMessage(message.conversationId, {
        body: message.body ?? '',
        clientMessageId: message.clientMessageId ?? undefined,
      }),
    onMutate: (message) => applyMessages(queryClient, message.conversationId, [{ ...message, pending: 'sending' }]),
    onSuccess: (stored) => applyMessageFillingGaps(queryClient, stored),
    onError: (_error, message) =>
      applyMessages(queryClient, message.conversationId, [{ ...message, pending: 'failed' }]),
  });

  const { mutate } = mutation;
  const send = useCallback(
    (body: string) => {
      if (!conversationId) return;
      const clientMessageId = newClientMessageId();
      mutate({
        id: `local-${clientMessageId}`,
        conversationId,
        senderType: side,
        senderAdminId: me?.kind === 'admin' ? me.adminId : null,
        senderName: me?.kind === 'admin' ? me.displayName : null,
        messageType: 'text',
        body,
        attachment: null,
        read: false,
        readAt: null,
        clientMessageId,
        createdAt: new Date().toISOString(),
        // Not stored yet: the server assigns the real seq.
        seq: 0,
        pending: 'sending',
      });
    },
    [conversationId, mutate, side, me],
  );

  /** Sends a failed message again with the same clientMessageId, so it is stored at most once. */
  const retry = useCallback((message: ChatMessage) => mutate({ ...message, pending: 'sending' }), [mutate]);

  return { send, retry, error: mutation.error };
}

/** Uploads a file as a message; the Composer shows progress and the server's error text. */
export function useUploadAttachment(conversationId: string | null | undefined) {
  const queryClient = useQueryClient();
  return useCallback(
    async (file: File, options: UploadOptions) => {
      if (!conversationId) return;
      const message = await supportApi.uploadAttachment(conversationId, file, {
        clientMessageId: newClientMessageId(),
        onProgress: options.onProgress,
        signal: options.signal,
      });
      applyMessageFillingGaps(queryClient, message);
      return message;
    },
    [conversationId, queryClient],
  );
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  const { side } = useViewer();
  return useMutation({
    mutationFn: (messageId: string) => supportApi.markRead(messageId),
    onSuccess: (receipt) => {
      applyReceipt(queryClient, receipt, side);
      void queryClient.invalidateQueries({ queryKey: ['support', 'unread'] });
    },
  });
}

/**
 * Marks the newest message from the other side read while the thread is on screen and the tab
 * is visible (one call covers every earlier message: the server keeps a read watermark).
 */
export function useAutoMarkRead(conversationId: string | null | undefined, messages: readonly ChatMessage[]) {
  const { side } = useViewer();
  const { mutate } = useMarkRead();
  const sent = useRef<string | null>(null);
  const target = conversationId ? newestUnreadFromOtherSide(messages, side) : undefined;
  const targetId = target?.id ?? null;

  useEffect(() => {
    if (!targetId) return;
    const markIfVisible = () => {
      if (document.visibilityState !== 'visible' || sent.current === targetId) return;
      sent.current = targetId;
      mutate(targetId, {
        onError: () => {
          sent.current = null;
        },
      });
    };
    markIfVisible();
    document.addEventListener('visibilitychange', markIfVisible);
    return () => document.removeEventListener('visibilitychange', markIfVisible);
  }, [targetId, mutate]);
}

/** The callback MessageBubble needs to replace expired signed URLs. */
export function useRefreshAttachmentUrls() {
  return useCallback((attachmentId: string) => supportApi.getAttachmentUrls(attachmentId), []);
}

// ------------------------------------------------------------------------------------------------
// Settings, unread totals, admin actions
// ------------------------------------------------------------------------------------------------

/** The attachment limits every signed-in person may read (size and allowed types). */
export function useAttachmentLimits() {
  return useQuery({
    queryKey: supportKeys.limits(),
    queryFn: ({ signal }) => supportApi.getAttachmentLimits(signal),
    staleTime: 5 * 60_000,
  });
}

/** Unread totals for the viewer's side (admin badge, or the user's menu badge). */
export function useUnreadTotals(options: { enabled?: boolean } = {}) {
  const { side } = useViewer();
  return useQuery({
    queryKey: supportKeys.unread(side),
    queryFn: ({ signal }) => (side === 'admin' ? supportApi.getAdminUnread(signal) : supportApi.getMyUnread(signal)),
    enabled: options.enabled ?? true,
  });
}

function useConversationMutation<V>(mutationFn: (variables: V) => Promise<ConversationDto>) {
  const queryClient = useQueryClient();
  const { adminId } = useViewer();
  return useMutation({
    mutationFn,
    onSuccess: (conversation) => applyConversation(queryClient, conversation, adminId),
  });
}

type Assignee = NonNullable<ConversationDto['assignee']>;

/** Who already has the conversation, when a "take" lost (409 ALREADY_ASSIGNED). */
function takenBy(error: unknown): Assignee | null {
  if (!isApiError(error, 'ALREADY_ASSIGNED')) return null;
  return (error.details as { assignee?: Assignee } | undefined)?.assignee ?? null;
}

/** What to tell the admin when assigning failed: "Already taken by Marcus", or the server's message. */
export function assignErrorText(error: unknown): string {
  const assignee = takenBy(error);
  return assignee ? `Already taken by ${assignee.displayName || 'another admin'}` : errorMessage(error);
}

/**
 * adminId omitted: the caller takes the conversation (only while nobody has it); null: unassign.
 * A lost take shows the real assignee at once and reloads the conversation and the lists.
 */
export function useAssignConversation(conversationId: string) {
  const queryClient = useQueryClient();
  const { adminId } = useViewer();
  return useMutation({
    mutationFn: (request: AssignConversationRequest) => supportApi.assignConversation(conversationId, request),
    onSuccess: (conversation) => applyConversation(queryClient, conversation, adminId),
    onError: (error) => {
      const assignee = takenBy(error);
      if (!assignee) return;
      const patch = { adminId: assignee.adminId, assignee };
      queryClient.setQueryData<ConversationDto>(supportKeys.conversation(conversationId), (conversation) =>
        conversation ? { ...conversation, ...patch } : conversation,
      );
      for (const [key] of queryClient.getQueriesData({ queryKey: supportKeys.conversationLists() })) {
        queryClient.setQueryData(key, (data: Parameters<typeof patchConversation>[0]) =>
          patchConversation(data, conversationId, patch),
        );
      }
      void queryClient.invalidateQueries({ queryKey: supportKeys.conversation(conversationId) });
      void queryClient.invalidateQueries({ queryKey: supportKeys.conversationLists() });
    },
  });
}

export function useResolveConversation(conversationId: string) {
  return useConversationMutation(() => supportApi.resolveConversation(conversationId));
}

export function useReopenConversation(conversationId: string) {
  return useConversationMutation(() => supportApi.reopenConversation(conversationId));
}

/** The right-hand panel: the user's profile details and their other conversations. */
export function useConversationUser(conversationId: string | null | undefined) {
  return useQuery({
    queryKey: supportKeys.conversationUser(conversationId ?? ''),
    queryFn: ({ signal }) => supportApi.getConversationUser(conversationId ?? '', signal),
    enabled: Boolean(conversationId),
  });
}

/** Admins who can take conversations (for the assignee picker). */
export function useSupportAdmins() {
  return useQuery({
    queryKey: supportKeys.admins(),
    queryFn: ({ signal }) => supportApi.listAdmins(signal),
    staleTime: 5 * 60_000,
  });
}
