// Saved replies: the HTTP calls and the query cache, for the Settings page (leads) and the
// composer's "/" picker (agents). No socket event announces changes: the picker fetches the list
// again each time it opens (showing the cached one meanwhile), so a lead's edit reaches every
// agent's next "/".
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type {
  RenderedSavedReply,
  SavedReplyDto,
  SavedReplyInput,
  SavedReplyList,
} from '../../../../common/saved-replies';
import { apiFetch } from '../../api/api-fetch';
import type { SlashCommands } from '../../chat/slash-commands';

const base = '/api/admin/support/saved-replies';
const id = encodeURIComponent;

export const savedReplyKeys = { list: () => ['admin', 'saved-replies'] as const };

export const savedRepliesApi = {
  list: (signal?: AbortSignal) => apiFetch<SavedReplyList>(base, { signal }),
  create: (input: SavedReplyInput) => apiFetch<SavedReplyDto>(base, { method: 'POST', body: input }),
  update: (savedReplyId: string, input: SavedReplyInput) =>
    apiFetch<SavedReplyDto>(`${base}/${id(savedReplyId)}`, { method: 'PUT', body: input }),
  remove: (savedReplyId: string) => apiFetch<void>(`${base}/${id(savedReplyId)}`, { method: 'DELETE' }),
  render: (savedReplyId: string, conversationId: string) =>
    apiFetch<RenderedSavedReply>(`${base}/${id(savedReplyId)}/render`, { method: 'POST', body: { conversationId } }),
};

/**
 * The saved replies, by shortcut. `enabled: false` keeps it idle (the composer until "/" is typed);
 * turning it on refetches when the cached list is older than `staleTime`.
 */
export function useSavedReplies({ enabled = true, staleTime = 0 }: { enabled?: boolean; staleTime?: number } = {}) {
  return useQuery({
    queryKey: savedReplyKeys.list(),
    queryFn: async ({ signal }) => (await savedRepliesApi.list(signal)).items,
    enabled,
    staleTime,
  });
}

/** Create (no id) or replace (an id); the list is refetched after. */
export function useSaveSavedReply() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ savedReplyId, input }: { savedReplyId?: string; input: SavedReplyInput }) =>
      savedReplyId ? savedRepliesApi.update(savedReplyId, input) : savedRepliesApi.create(input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: savedReplyKeys.list() }),
  });
}

export function useDeleteSavedReply() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (savedReplyId: string) => savedRepliesApi.remove(savedReplyId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: savedReplyKeys.list() }),
  });
}

/** Replies whose shortcut or title contains the query (shortcut matches from the start first). */
export function filterSavedReplies(replies: readonly SavedReplyDto[], query: string, limit = 8): SavedReplyDto[] {
  const wanted = query.trim().toLowerCase();
  if (!wanted) return replies.slice(0, limit);
  const starts: SavedReplyDto[] = [];
  const contains: SavedReplyDto[] = [];
  for (const reply of replies) {
    if (reply.shortcut.startsWith(wanted)) starts.push(reply);
    else if (reply.shortcut.includes(wanted) || reply.title.toLowerCase().includes(wanted)) contains.push(reply);
  }
  return [...starts, ...contains].slice(0, limit);
}

/**
 * The composer's "/" source for one conversation: the list is fetched when "/" is typed (again on
 * every opening; the cached list shows meanwhile), and a pick is rendered by the server for this
 * conversation and the agent.
 */
export function useSavedReplyCommands(conversationId: string): SlashCommands {
  const [active, setActive] = useState(false);
  const replies = useSavedReplies({ enabled: active });
  const data = replies.data;
  return useMemo(
    () => ({
      label: 'Saved replies',
      onActiveChange: setActive,
      suggest: (query) =>
        filterSavedReplies(data ?? [], query).map((reply) => ({
          id: reply.id,
          shortcut: reply.shortcut,
          title: reply.title,
          preview: reply.body.replace(/\s+/g, ' '),
        })),
      resolve: async (savedReplyId) => (await savedRepliesApi.render(savedReplyId, conversationId)).text,
    }),
    [data, conversationId],
  );
}
