// A conversation's internal notes as items for the chat history (shown among the messages by time).
import { useMemo } from 'react';
import type { InterleavedItem } from '../../chat/ChatThread';
import { NoteBubble } from './NoteBubble';
import { useNotes } from './notes';

export function useNoteItems(conversationId: string, viewerAdminId: string | null): InterleavedItem[] {
  const notes = useNotes(conversationId);
  return useMemo(
    () =>
      (notes.data ?? []).map((note) => ({
        id: note.id,
        createdAt: note.createdAt,
        own: note.authorAdminId === viewerAdminId,
        node: <NoteBubble note={note} viewerAdminId={viewerAdminId} />,
      })),
    [notes.data, viewerAdminId],
  );
}
