// Wire contract of the support chat's Socket.IO namespace: event names, payloads and acks.
//
// Connect to the namespace SUPPORT_NAMESPACE with `auth: { token }` (the same JWT as HTTP).
// Rooms: every socket of a user joins the rooms of that user's conversations; support admins
// receive every conversation's events through the admins room and may join a conversation room.

import { z } from 'zod';
import type { ErrorResponse } from './errors.js';
import type { MentionCreatedEvent, NoteCreatedEvent } from './notes.js';
import type { TeamSnapshot } from './routing.js';
import {
  ClientMessageId,
  ConversationDto,
  DEFAULT_PAGE_SIZE,
  MAX_MESSAGE_LENGTH,
  MAX_PAGE_SIZE,
  MessageDto,
  ReadReceipt,
  SenderType,
} from './support.js';

export const SUPPORT_NAMESPACE = '/support';

/** Largest accepted socket frame, in bytes. */
export const MAX_SOCKET_PAYLOAD_BYTES = 64 * 1024;

/** Events a client emits (each takes an ack callback). */
export const ClientEvent = {
  /** Send a text message; ack: { ok: true, message } with the stored message. */
  MESSAGE_SEND: 'message:send',
  /** Mark a message (and everything earlier from the other side) read; ack: { ok: true, receipt }. */
  MESSAGE_READ: 'message:read',
  /** The sender is typing / stopped typing (not stored; throttled). */
  TYPING_START: 'typing:start',
  TYPING_STOP: 'typing:stop',
  /** Receive a conversation's typing events (admins; users are joined to their own). */
  CONVERSATION_JOIN: 'conversation:join',
  CONVERSATION_LEAVE: 'conversation:leave',
  /** Catch up after a reconnect: messages after the last one seen; ack: { ok: true, messages, hasMore }. */
  MESSAGES_SYNC: 'messages:sync',
  /**
   * Support admins: "I have this conversation open". Ack: { ok: true, viewers } (every agent viewing
   * it, you included). Sent again it only answers the current viewers (a refresh).
   */
  VIEWING_START: 'viewing:start',
  /** Support admins: the conversation was closed. */
  VIEWING_STOP: 'viewing:stop',
} as const;

/** Events the server emits. */
export const ServerEvent = {
  MESSAGE_CREATED: 'message:created',
  MESSAGES_READ: 'messages:read',
  CONVERSATION_CREATED: 'conversation:created',
  CONVERSATION_UPDATED: 'conversation:updated',
  TYPING: 'typing',
  /** Sent just before the server closes a socket whose token expired; reconnect with a fresh token. */
  SESSION_EXPIRED: 'session:expired',
  /** The server closed this socket; `reason` says why (e.g. TOO_MANY_CONNECTIONS). Do not reconnect blindly. */
  CONNECTION_CLOSED: 'connection:closed',
  /**
   * Sent just before the server closes a socket whose session ended (signed out, signed out
   * everywhere, a replayed refresh token, the account disabled or changed): do not reconnect with
   * this session; sign in again.
   */
  SESSION_ENDED: 'session:ended',
  /** To support admins: every agent's status and load, and the routing queue (see TeamSnapshot). */
  TEAM_UPDATED: 'team:updated',
  /** To support admins only: an internal note was written (never sent to users). */
  NOTE_CREATED: 'note:created',
  /** To the mentioned agent's own sockets only: a note @mentions them. */
  MENTION_CREATED: 'mention:created',
  /** To the agents viewing a conversation only (never users): who has it open now. */
  VIEWERS_UPDATED: 'viewers:updated',
  /**
   * To support admins only: a conversation entered the routing queue (open, unassigned), after
   * its conversation:created / conversation:updated. Agents' "new in the queue" alert.
   */
  CONVERSATION_QUEUED: 'conversation:queued',
} as const;

const Uuid = z.string().uuid();

// ----------------------------------------------------------------------------------------------
// Client -> server payloads
// ----------------------------------------------------------------------------------------------

export const SendMessagePayload = z.object({
  conversationId: Uuid,
  body: z.string().max(MAX_MESSAGE_LENGTH * 2),
  clientMessageId: ClientMessageId,
});
export type SendMessagePayload = z.infer<typeof SendMessagePayload>;

export const ReadPayload = z.object({ messageId: Uuid });
export type ReadPayload = z.infer<typeof ReadPayload>;

export const ConversationPayload = z.object({ conversationId: Uuid });
export type ConversationPayload = z.infer<typeof ConversationPayload>;

export const SyncPayload = z.object({
  conversationId: Uuid,
  /** The newest message the client has; omitted: the latest page. */
  afterMessageId: Uuid.optional(),
  /** The highest seq the client has seen: messages after it, oldest first (preferred: cannot skip one). */
  afterSeq: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});
export type SyncPayload = z.infer<typeof SyncPayload>;

// ----------------------------------------------------------------------------------------------
// Acks
// ----------------------------------------------------------------------------------------------

export type AckError = z.infer<typeof ErrorResponse>['error'];
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: AckError };

export type SendMessageAck = Ack<{ message: MessageDto }>;
export type ReadAck = Ack<{ receipt: ReadReceipt }>;
export type SyncAck = Ack<{ messages: MessageDto[]; hasMore: boolean }>;
export type EmptyAck = Ack;
export type ViewingAck = Ack<{ viewers: ConversationViewer[] }>;

// ----------------------------------------------------------------------------------------------
// Server -> client payloads
// ----------------------------------------------------------------------------------------------

/**
 * The stored message, with the conversation as it is now, shaped for the receiver (unreadCount is
 * the receiver's side; `user` is present for admins only). One event per message per socket.
 */
export const MessageCreatedEvent = z.object({ message: MessageDto, conversation: ConversationDto });
export type MessageCreatedEvent = z.infer<typeof MessageCreatedEvent>;

/** A read receipt, with the conversation as it is now, shaped for the receiver. */
export const MessagesReadEvent = ReadReceipt.extend({ conversation: ConversationDto });
export type MessagesReadEvent = z.infer<typeof MessagesReadEvent>;

/** Shaped for the receiver: unreadCount is the receiver's side; `user` is present for admins only. */
export const ConversationEvent = z.object({ conversation: ConversationDto });
export type ConversationEvent = z.infer<typeof ConversationEvent>;

export const TypingEvent = z.object({
  conversationId: Uuid,
  senderType: SenderType,
  /** The typing admin's display name (admins only); null for the user. */
  name: z.string().nullable(),
  /**
   * The typing admin, in the copy support admins receive only (so that an agent's dashboard can
   * tell a colleague from the user and from its own other tabs). Absent in users' copies.
   */
  adminId: Uuid.optional(),
  isTyping: z.boolean(),
});
export type TypingEvent = z.infer<typeof TypingEvent>;

/** One agent who has a conversation open (several tabs of one agent are one viewer). */
export const ConversationViewer = z.object({ adminId: Uuid, displayName: z.string() });
export type ConversationViewer = z.infer<typeof ConversationViewer>;

/** Everyone viewing the conversation now, the receiver included, by name. */
export const ViewersEvent = z.object({ conversationId: Uuid, viewers: z.array(ConversationViewer) });
export type ViewersEvent = z.infer<typeof ViewersEvent>;

export const SessionEndedReason = z.enum([
  'signed_out',
  'session_revoked',
  'session_expired',
  'account_disabled',
  'account_changed',
]);
export type SessionEndedReason = z.infer<typeof SessionEndedReason>;
export const SessionEndedEvent = z.object({ reason: SessionEndedReason });
export type SessionEndedEvent = z.infer<typeof SessionEndedEvent>;

/** Typed maps for socket.io's generics, shared by the server and the web client. */
export interface ClientToServerEvents {
  [ClientEvent.MESSAGE_SEND]: (payload: SendMessagePayload, ack: (result: SendMessageAck) => void) => void;
  [ClientEvent.MESSAGE_READ]: (payload: ReadPayload, ack: (result: ReadAck) => void) => void;
  [ClientEvent.TYPING_START]: (payload: ConversationPayload, ack?: (result: EmptyAck) => void) => void;
  [ClientEvent.TYPING_STOP]: (payload: ConversationPayload, ack?: (result: EmptyAck) => void) => void;
  [ClientEvent.CONVERSATION_JOIN]: (payload: ConversationPayload, ack: (result: EmptyAck) => void) => void;
  [ClientEvent.CONVERSATION_LEAVE]: (payload: ConversationPayload, ack: (result: EmptyAck) => void) => void;
  [ClientEvent.MESSAGES_SYNC]: (payload: SyncPayload, ack: (result: SyncAck) => void) => void;
  [ClientEvent.VIEWING_START]: (payload: ConversationPayload, ack: (result: ViewingAck) => void) => void;
  [ClientEvent.VIEWING_STOP]: (payload: ConversationPayload, ack?: (result: EmptyAck) => void) => void;
}

/** Why the server closed a socket. TOO_MANY_CONNECTIONS: the account opened more sockets than allowed. */
export type ConnectionClosedEvent = { reason: 'TOO_MANY_CONNECTIONS'; message: string };

export interface ServerToClientEvents {
  [ServerEvent.MESSAGE_CREATED]: (event: MessageCreatedEvent) => void;
  [ServerEvent.MESSAGES_READ]: (event: MessagesReadEvent) => void;
  [ServerEvent.CONVERSATION_CREATED]: (event: ConversationEvent) => void;
  [ServerEvent.CONVERSATION_UPDATED]: (event: ConversationEvent) => void;
  [ServerEvent.TYPING]: (event: TypingEvent) => void;
  [ServerEvent.SESSION_EXPIRED]: () => void;
  [ServerEvent.CONNECTION_CLOSED]: (event: ConnectionClosedEvent) => void;
  [ServerEvent.SESSION_ENDED]: (event: SessionEndedEvent) => void;
  [ServerEvent.TEAM_UPDATED]: (event: TeamSnapshot) => void;
  [ServerEvent.NOTE_CREATED]: (event: NoteCreatedEvent) => void;
  [ServerEvent.MENTION_CREATED]: (event: MentionCreatedEvent) => void;
  [ServerEvent.VIEWERS_UPDATED]: (event: ViewersEvent) => void;
  [ServerEvent.CONVERSATION_QUEUED]: (event: ConversationEvent) => void;
}
