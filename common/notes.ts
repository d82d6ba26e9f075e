// Wire contract of internal notes and @mentions (support admins only; never sent to users).
import { z } from 'zod';
import { ClientMessageId, ConversationDto, MAX_MESSAGE_LENGTH } from './support.js';

const Uuid = z.string().uuid();
const IsoDate = z.string().datetime({ offset: true });

/** Most agents one note may mention. */
export const MAX_NOTE_MENTIONS = 20;

export const NoteMention = z.object({ adminId: Uuid, displayName: z.string() });
export type NoteMention = z.infer<typeof NoteMention>;

export const NoteDto = z.object({
  id: Uuid,
  conversationId: Uuid,
  /** 1, 2, 3, ... per conversation, its own numbering (the messages' seq never counts notes). */
  seq: z.number().int().positive(),
  /** The writing agent; null once their profile was deleted. */
  authorAdminId: Uuid.nullable(),
  authorName: z.string().nullable(),
  /** Plain text (sanitised on the way in); never HTML. */
  body: z.string(),
  /** The agents mentioned, by id, as the writer chose them. */
  mentions: z.array(NoteMention),
  clientNoteId: z.string().nullable(),
  createdAt: IsoDate,
});
export type NoteDto = z.infer<typeof NoteDto>;

export const CreateNoteRequest = z.object({
  body: z.string().max(MAX_MESSAGE_LENGTH * 2),
  /** Agents with SUPPORT_CHAT to alert (as picked in the composer's @ autocomplete). */
  mentionAdminIds: z.array(Uuid).max(MAX_NOTE_MENTIONS).default([]),
  clientNoteId: ClientMessageId.optional(),
});
export type CreateNoteRequest = z.input<typeof CreateNoteRequest>;

export const NotesQuery = z.object({
  /** Notes with a greater seq (oldest first); omitted: from the first. */
  afterSeq: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(200),
});
export type NotesQuery = z.infer<typeof NotesQuery>;

export const NotePage = z.object({ items: z.array(NoteDto), hasMore: z.boolean() });
export type NotePage = z.infer<typeof NotePage>;

/** One conversation in the "Mentions" view. */
export const MentionedConversation = z.object({
  conversation: ConversationDto,
  /** Mentions of the viewer in it not yet read (opening the conversation reads them). */
  unreadMentions: z.number().int(),
  lastMentionAt: IsoDate,
  /** The newest note that mentions the viewer. */
  lastNote: NoteDto,
});
export type MentionedConversation = z.infer<typeof MentionedConversation>;

export const MentionsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(50) });

export const MentionPage = z.object({
  /** Conversations with unread mentions first, then by the newest mention. */
  items: z.array(MentionedConversation),
  hasMore: z.boolean(),
  /** Unread mentions of the viewer over all conversations (the badge). */
  unreadMentions: z.number().int(),
});
export type MentionPage = z.infer<typeof MentionPage>;

export const MentionsRead = z.object({
  conversationId: Uuid,
  marked: z.number().int(),
  unreadMentions: z.number().int(),
});
export type MentionsRead = z.infer<typeof MentionsRead>;

/** Socket `note:created` (admins room only). */
export const NoteCreatedEvent = z.object({ note: NoteDto });
export type NoteCreatedEvent = z.infer<typeof NoteCreatedEvent>;

/** Socket `mention:created` (the mentioned agent's sockets only). */
export const MentionCreatedEvent = z.object({
  note: NoteDto,
  /** Who the conversation is with, for the alert's text. */
  userName: z.string(),
});
export type MentionCreatedEvent = z.infer<typeof MentionCreatedEvent>;
