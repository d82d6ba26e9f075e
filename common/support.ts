// Wire contract of the support chat's HTTP API (request and response shapes).
// The server validates with these schemas and the web app types its calls with them.
import { z } from 'zod';
import { UserType } from './enums.js';
import { OrderDto, OrderParty, OrderSummary } from './orders.js';

export const SenderType = z.enum(['user', 'admin']);
export type SenderType = z.infer<typeof SenderType>;
export const MessageType = z.enum(['text', 'image', 'file']);
export type MessageType = z.infer<typeof MessageType>;
/**
 * open: support's turn; pending: waiting on the user; snoozed: hidden until snoozedUntil, then
 * open again; resolved: done. Users only ever see open or resolved (pending and snoozed read as open).
 */
export const ConversationStatus = z.enum(['open', 'pending', 'snoozed', 'resolved']);
export type ConversationStatus = z.infer<typeof ConversationStatus>;
/** Triage by agents; users always see "none". Highest last, so the index is the rank. */
export const ConversationPriority = z.enum(['none', 'low', 'medium', 'high', 'urgent']);
export type ConversationPriority = z.infer<typeof ConversationPriority>;

/** Longest message body, in characters, after sanitising. */
export const MAX_MESSAGE_LENGTH = 4000;
export const MAX_SUBJECT_LENGTH = 120;
export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 100;

const Uuid = z.string().uuid();
const IsoDate = z.string().datetime({ offset: true });

/** Chosen by the sending client (e.g. a random id) so that a retried send is stored once. */
export const ClientMessageId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, - and _ only.');

// ----------------------------------------------------------------------------------------------
// Responses
// ----------------------------------------------------------------------------------------------

/** Attachment metadata plus short-lived signed URLs (never a permanent or guessable address). */
export const AttachmentDto = z.object({
  id: Uuid,
  fileName: z.string(),
  fileType: z.string(),
  fileSize: z.number().int(),
  isImage: z.boolean(),
  imageWidth: z.number().int().nullable(),
  imageHeight: z.number().int().nullable(),
  /** Opens in the browser (images, PDF); other types are served as a download. */
  viewUrl: z.string(),
  downloadUrl: z.string(),
  thumbnailUrl: z.string().nullable(),
  /** When the URLs above stop working; GET /api/support/attachments/:id/urls gives fresh ones. */
  urlsExpireAt: IsoDate,
  createdAt: IsoDate,
});
export type AttachmentDto = z.infer<typeof AttachmentDto>;

export const AttachmentUrls = AttachmentDto.pick({
  id: true,
  viewUrl: true,
  downloadUrl: true,
  thumbnailUrl: true,
  urlsExpireAt: true,
});
export type AttachmentUrls = z.infer<typeof AttachmentUrls>;

export const MessageDto = z.object({
  id: Uuid,
  conversationId: Uuid,
  senderType: SenderType,
  /** The admin who wrote it (admin messages only). */
  senderAdminId: Uuid.nullable(),
  /** Display name of the sending admin, or null for the conversation's user. */
  senderName: z.string().nullable(),
  messageType: MessageType,
  /** Plain text (sanitised on the way in); never HTML. */
  body: z.string().nullable(),
  attachment: AttachmentDto.nullable(),
  read: z.boolean(),
  readAt: IsoDate.nullable(),
  clientMessageId: z.string().nullable(),
  createdAt: IsoDate,
  /**
   * 1, 2, 3, ... within the conversation, without holes. A client that has seen seq n and
   * receives a higher one than n + 1 missed messages: fetch them with afterSeq = n.
   */
  seq: z.number().int().positive(),
});
export type MessageDto = z.infer<typeof MessageDto>;

export const LastMessagePreview = z.object({
  id: Uuid,
  senderType: SenderType,
  messageType: MessageType,
  /** At most 140 characters of the body on one line; "Photo" for an image; "File: <name>" for a file. */
  preview: z.string(),
  createdAt: IsoDate,
});

export const AdminSummary = z.object({ adminId: Uuid, displayName: z.string() });
export type AdminSummary = z.infer<typeof AdminSummary>;

/** The conversation's user as support sees them in the inbox. */
export const UserSummary = z.object({
  userId: Uuid,
  userType: UserType,
  displayName: z.string(),
  email: z.string(),
  phone: z.string(),
});
export type UserSummary = z.infer<typeof UserSummary>;

/**
 * Where an inbox search found its words in a conversation: the best-matching message or internal
 * note (highest ts_rank, then newest), as a short plain-text snippet. `highlights` are the matched
 * words as [start, end) offsets into `snippet` (UTF-16 code units, as JavaScript strings count):
 * the snippet is user input, so clients render it as text and mark these ranges, never as HTML.
 */
export const SearchMatch = z.object({
  kind: z.enum(['message', 'note']),
  /** The message's or the note's id. */
  id: Uuid,
  /** A message's sender; null for a note (always an agent's). */
  senderType: SenderType.nullable(),
  createdAt: IsoDate,
  snippet: z.string(),
  highlights: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
});
export type SearchMatch = z.infer<typeof SearchMatch>;

export const ConversationDto = z.object({
  id: Uuid,
  userId: Uuid,
  userType: UserType,
  adminId: Uuid.nullable(),
  assignee: AdminSummary.nullable(),
  status: ConversationStatus,
  /** Snoozed conversations: when they open again (null otherwise, and always for users). */
  snoozedUntil: IsoDate.nullable(),
  priority: ConversationPriority,
  subject: z.string().nullable(),
  /** Messages from the other side that the viewer has not read. */
  unreadCount: z.number().int(),
  lastMessage: LastMessagePreview.nullable(),
  lastMessageAt: IsoDate,
  resolvedAt: IsoDate.nullable(),
  /** Since when an open, unassigned conversation waits in the routing queue ("Waiting"). */
  queuedAt: IsoDate,
  createdAt: IsoDate,
  updatedAt: IsoDate,
  /** The order the conversation is about, if one is linked. */
  order: OrderSummary.nullable(),
  /** Present for support admins only. */
  user: UserSummary.optional(),
  /** Admin inbox search results only: the message or note whose text matched the search. */
  match: SearchMatch.optional(),
});
export type ConversationDto = z.infer<typeof ConversationDto>;

export const ConversationPage = z.object({ items: z.array(ConversationDto), nextCursor: z.string().nullable() });
export type ConversationPage = z.infer<typeof ConversationPage>;

/** Newest first when paging back with `before`; oldest first when catching up with `after`. */
export const MessagePage = z.object({ items: z.array(MessageDto), hasMore: z.boolean() });
export type MessagePage = z.infer<typeof MessagePage>;

export const CreatedConversation = z.object({ conversation: ConversationDto, message: MessageDto.nullable() });
export type CreatedConversation = z.infer<typeof CreatedConversation>;

/** What markAsRead changed: the reader's side read every message of the other side up to `upTo`. */
export const ReadReceipt = z.object({
  conversationId: Uuid,
  readerType: SenderType,
  /** The message the reader read up to (inclusive). */
  upToMessageId: Uuid,
  upToCreatedAt: IsoDate,
  readAt: IsoDate,
  /** Messages newly marked read by this call (0 when nothing changed). */
  markedCount: z.number().int(),
  /** The reader's unread count for this conversation afterwards. */
  unreadCount: z.number().int(),
});
export type ReadReceipt = z.infer<typeof ReadReceipt>;

export const UnreadTotals = z.object({
  /** Unread messages over all conversations visible to the viewer. */
  messages: z.number().int(),
  /** Conversations with at least one unread message. */
  conversations: z.number().int(),
});
export type UnreadTotals = z.infer<typeof UnreadTotals>;

/** The right-hand panel of the admin dashboard. */
export const UserDetails = z.object({
  userId: Uuid,
  userType: UserType,
  displayName: z.string(),
  email: z.string(),
  phone: z.string(),
  city: z.string(),
  accountCreatedAt: IsoDate,
  isActive: z.boolean(),
  /** Type-specific facts in display order, e.g. [{label: 'Vehicle', value: 'Scooter'}]. */
  fields: z.array(z.object({ label: z.string(), value: z.string() })),
});
export type UserDetails = z.infer<typeof UserDetails>;

export const ConversationUserDetails = z.object({
  user: UserDetails,
  otherConversations: z.array(ConversationDto),
});
export type ConversationUserDetails = z.infer<typeof ConversationUserDetails>;

// ----------------------------------------------------------------------------------------------
// Requests
// ----------------------------------------------------------------------------------------------

export const ConversationIdParams = z.object({ conversationId: Uuid });
export const MessageIdParams = z.object({ messageId: Uuid });
export const AttachmentIdParams = z.object({ attachmentId: Uuid });

export const SendMessageRequest = z.object({
  body: z.string().max(MAX_MESSAGE_LENGTH * 2),
  clientMessageId: ClientMessageId.optional(),
});
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;

export const CreateConversationRequest = z.object({
  subject: z
    .string()
    .max(MAX_SUBJECT_LENGTH * 2)
    .optional(),
  /** An optional first message. */
  message: SendMessageRequest.optional(),
  /** The order the conversation is about (one of the user's own orders). */
  orderId: Uuid.optional(),
});
export type CreateConversationRequest = z.infer<typeof CreateConversationRequest>;

export const MessageHistoryQuery = z.object({
  /** Messages older than this message id (paging back through history). */
  before: Uuid.optional(),
  /** Messages newer than this message id (catch-up after a reconnect). */
  after: Uuid.optional(),
  /** Messages with a greater seq, oldest first (catch-up, gap fill); not with before or after. */
  afterSeq: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});
export type MessageHistoryQuery = z.infer<typeof MessageHistoryQuery>;

export const UserConversationsQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const AdminConversationsQuery = z.object({
  /**
   * Matches the user's name, e-mail or phone, or a conversation id, or the words of the
   * conversation's messages and internal notes (web search syntax: "quoted phrase", -word, or).
   */
  search: z.string().trim().max(100).optional(),
  userType: UserType.optional(),
  /** Omitted: every status ("All"). */
  status: ConversationStatus.optional(),
  priority: ConversationPriority.optional(),
  /** "activity": newest activity first (default); "priority": highest priority first, then longest waiting. */
  sort: z.enum(['activity', 'priority']).optional(),
  /** "me": assigned to the caller; "unassigned": nobody yet. */
  assigned: z.enum(['me', 'unassigned']).optional(),
  unreadOnly: booleanQuery.optional(),
  /** Only the conversations about this order (e.g. 4821 for "#4821"), with every party. */
  orderNumber: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});
export type AdminConversationsQuery = z.infer<typeof AdminConversationsQuery>;

export const AssignConversationRequest = z.object({
  /** The admin to assign; omitted: the caller takes it; null: unassign. */
  adminId: Uuid.nullable().optional(),
  /** Assign even if that admin is away, offline or at capacity (else 409 AGENT_UNAVAILABLE / AGENT_AT_CAPACITY). */
  force: z.boolean().optional(),
});
export type AssignConversationRequest = z.infer<typeof AssignConversationRequest>;

/** The latest snooze time the API accepts, from now. */
export const MAX_SNOOZE_DAYS = 90;

/** Set the status; `snoozedUntil` (a future time, at most MAX_SNOOZE_DAYS ahead) with "snoozed" only. */
export const SetStatusRequest = z.discriminatedUnion('status', [
  z.object({ status: z.enum(['open', 'pending', 'resolved']) }),
  z.object({ status: z.literal('snoozed'), snoozedUntil: IsoDate }),
]);
export type SetStatusRequest = z.infer<typeof SetStatusRequest>;

export const SetPriorityRequest = z.object({ priority: ConversationPriority });
export type SetPriorityRequest = z.infer<typeof SetPriorityRequest>;

// ----------------------------------------------------------------------------------------------
// Orders in support
// ----------------------------------------------------------------------------------------------

export const LinkOrderRequest = z.object({
  /** An order of the conversation's user; null removes the link. */
  orderId: Uuid.nullable(),
});
export type LinkOrderRequest = z.infer<typeof LinkOrderRequest>;

export const OrderSearchQuery = z.object({
  /** The start of an order number ("48" finds #4821); omitted: the user's recent orders. */
  number: z
    .string()
    .trim()
    .regex(/^#?\d{1,10}$/, 'An order number, e.g. 4821.')
    .transform((value) => value.replace('#', ''))
    .optional(),
});

/** Support's view of an order: the order, its three parties' details and every conversation about it. */
export const OrderCase = z.object({
  order: OrderDto,
  parties: z.object({ customer: UserDetails, restaurant: UserDetails, driver: UserDetails.nullable() }),
  conversations: z.array(ConversationDto),
});
export type OrderCase = z.infer<typeof OrderCase>;

export const ContactPartyRequest = z.object({
  party: OrderParty,
  /** The first message, from the agent (each call opens a new conversation: no retry key). */
  message: SendMessageRequest.pick({ body: true }),
});
export type ContactPartyRequest = z.infer<typeof ContactPartyRequest>;
