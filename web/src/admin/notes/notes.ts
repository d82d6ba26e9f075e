// Internal notes and @mentions (support admins only): the HTTP calls, the query cache, and the
// socket events that keep it live (`note:created` to every agent, `mention:created` to the
// mentioned one). Query keys start with 'support', so a reconnect refetches them with the rest.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import type {
  CreateNoteRequest,
  MentionCreatedEvent,
  MentionPage,
  MentionsRead,
  NoteDto,
  NotePage,
} from '../../../../common/notes';
import { ServerEvent } from '../../../../common/realtime';
import { apiFetch } from '../../api/api-fetch';
import { newClientMessageId } from '../../chat/api';
import { useSupportEvent } from '../../chat/socket';

const admin = '/api/admin/support';
const id = encodeURIComponent;

export const noteKeys = {
  notes: (conversationId: string) => ['support', 'notes', conversationId] as const,
  mentions: () => ['support', 'mentions'] as const,
};

export const notesApi = {
  list: (conversationId: string, afterSeq: number, signal?: AbortSignal) =>
    apiFetch<NotePage>(`${admin}/conversations/${id(conversationId)}/notes`, { query: { afterSeq }, signal }),
  create: (conversationId: string, body: CreateNoteRequest) =>
    apiFetch<NoteDto>(`${admin}/conversations/${id(conversationId)}/notes`, { method: 'POST', body }),
  mentions: (signal?: AbortSignal) => apiFetch<MentionPage>(`${admin}/mentions`, { signal }),
  markMentionsRead: (conversationId: string) =>
    apiFetch<MentionsRead>(`${admin}/conversations/${id(conversationId)}/mentions/read`, { method: 'POST' }),
};

/** Adds notes to what the cache holds (by id), oldest first. */
export function mergeNotes(existing: readonly NoteDto[], incoming: readonly NoteDto[]): NoteDto[] {
  const byId = new Map(existing.map((note) => [note.id, note]));
  for (const note of incoming) byId.set(note.id, note);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

/** Every note of a conversation (few per conversation: fetched page after page). */
export function useNotes(conversationId: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: noteKeys.notes(conversationId),
    queryFn: async ({ signal }) => {
      let notes: NoteDto[] = [];
      let afterSeq = 0;
      for (;;) {
        const page = await notesApi.list(conversationId, afterSeq, signal);
        notes = mergeNotes(notes, page.items);
        afterSeq = notes[notes.length - 1]?.seq ?? afterSeq;
        if (!page.hasMore) break;
      }
      // Socket events may have arrived meanwhile.
      return mergeNotes(queryClient.getQueryData<NoteDto[]>(noteKeys.notes(conversationId)) ?? [], notes);
    },
    staleTime: 30_000,
  });
}

export function useCreateNote(conversationId: string) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (input: { body: string; mentionAdminIds: string[] }) =>
      notesApi.create(conversationId, { ...input, clientNoteId: newClientMessageId() }),
    onSuccess: (note) =>
      queryClient.setQueryData<NoteDto[]>(noteKeys.notes(conversationId), (current) =>
        mergeNotes(current ?? [], [note]),
      ),
  });
  return mutation;
}

/**
 * Keeps notes and mentions live for the whole dashboard; `onMention` raises the alert. Mounted
 * once, by the alert manager (admin/alerts/AlertManager.tsx, in AdminShell).
 */
export function useNoteEvents(onMention: (event: MentionCreatedEvent) => void) {
  const queryClient = useQueryClient();
  useSupportEvent(ServerEvent.NOTE_CREATED, ({ note }) => {
    const key = noteKeys.notes(note.conversationId);
    // Only conversations whose notes are loaded; others load them when opened.
    if (queryClient.getQueryData(key)) {
      queryClient.setQueryData<NoteDto[]>(key, (current) => mergeNotes(current ?? [], [note]));
    }
  });
  useSupportEvent(ServerEvent.MENTION_CREATED, (event) => {
    void queryClient.invalidateQueries({ queryKey: noteKeys.mentions() });
    onMention(event);
  });
}

export function useMentions() {
  return useQuery({ queryKey: noteKeys.mentions(), queryFn: ({ signal }) => notesApi.mentions(signal) });
}

/**
 * Opening a conversation reads the viewer's mentions in it: on open, and again whenever a new
 * mention arrives while it is open.
 */
export function useReadMentionsWhileOpen(conversationId: string) {
  const queryClient = useQueryClient();
  const mentions = useMentions();
  const unreadHere = mentions.data?.items.find((item) => item.conversation.id === conversationId)?.unreadMentions ?? 0;
  const markRead = useCallback(async () => {
    const result = await notesApi.markMentionsRead(conversationId);
    if (result.marked > 0) await queryClient.invalidateQueries({ queryKey: noteKeys.mentions() });
  }, [conversationId, queryClient]);
  useEffect(() => {
    if (unreadHere > 0) void markRead().catch(() => {});
  }, [unreadHere, markRead]);
}
