// Presenters: database rows -> the wire types of common/support.ts. Every field that leaves the
// server passes through here, so no column leaks by accident and each audience sees its own
// unread counter (and only admins see the user's contact details).
import type { UserType } from '../../common/enums.js';
import type { OrderSummary } from '../../common/orders.js';
import { IMAGE_MIME_TYPES } from '../../common/settings.js';
import type {
  AttachmentDto,
  AttachmentUrls,
  ConversationDto,
  ConversationPriority,
  ConversationStatus,
  MessageDto,
  MessageType,
  SearchMatch,
  SenderType,
  UserSummary,
} from '../../common/support.js';
import type { DocumentsService } from '../platform/documents/documents.service.js';

export type Audience = 'user' | 'admin';

/** The SupportConversation columns a view carries, with the assignee's name. */
export type ConversationColumns = {
  id: string;
  userId: string;
  userType: UserType;
  adminId: string | null;
  assigneeName: string | null;
  status: ConversationStatus;
  subject: string | null;
  lastMessageAt: Date;
  resolvedAt: Date | null;
  snoozedUntil: Date | null;
  priority: ConversationPriority;
  queuedAt: Date;
  createdAt: Date;
  updatedAt: Date;
  unreadForAdmin: number;
  unreadForUser: number;
};

/** The user columns the raw queries join to a conversation (a UserSummary comes from them). */
export type ConversationUserColumns = { email: string; displayName: string | null; phone: string | null };

/** A conversation as the service loads it: both sides' counters, the user and the last message. */
export type ConversationView = ConversationColumns & {
  lastMessage: {
    id: string;
    senderType: SenderType;
    messageType: MessageType;
    body: string | null;
    fileName: string | null;
    createdAt: Date;
  } | null;
  /** The linked order, if any. */
  order: OrderSummary | null;
  user: UserSummary;
  /** Inbox search results only: where the search's words were found (admins only). */
  match?: SearchMatch | undefined;
};

export type AttachmentRow = {
  id: string;
  fileName: string;
  fileType: string;
  fileSize: number;
  secureStoragePath: string;
  thumbnailStoragePath: string | null;
  imageWidth: number | null;
  imageHeight: number | null;
  createdAt: Date;
};

export type MessageRow = {
  id: string;
  conversationId: string;
  senderType: SenderType;
  senderAdminId: string | null;
  messageType: MessageType;
  body: string | null;
  read: boolean;
  readAt: Date | null;
  clientMessageId: string | null;
  createdAt: Date;
  seq: number;
  attachment: AttachmentRow | null;
  senderAdmin: { displayName: string } | null;
};

const PREVIEW_LENGTH = 140;

export function previewOf(lastMessage: NonNullable<ConversationView['lastMessage']>): string {
  if (lastMessage.messageType === 'image') return 'Photo';
  if (lastMessage.messageType === 'file') return `File: ${lastMessage.fileName ?? 'attachment'}`;
  const oneLine = (lastMessage.body ?? '').replace(/\s+/g, ' ').trim();
  return oneLine.length > PREVIEW_LENGTH ? `${oneLine.slice(0, PREVIEW_LENGTH - 1)}…` : oneLine;
}

export function toConversationDto(view: ConversationView, audience: Audience): ConversationDto {
  return {
    id: view.id,
    userId: view.userId,
    userType: view.userType,
    adminId: view.adminId,
    assignee: view.adminId ? { adminId: view.adminId, displayName: view.assigneeName ?? '' } : null,
    // Users see pending and snoozed as open (support's triage stays internal), and no priority.
    status: audience === 'admin' || view.status === 'resolved' ? view.status : 'open',
    snoozedUntil: audience === 'admin' ? (view.snoozedUntil?.toISOString() ?? null) : null,
    priority: audience === 'admin' ? view.priority : 'none',
    subject: view.subject,
    unreadCount: audience === 'admin' ? view.unreadForAdmin : view.unreadForUser,
    lastMessage: view.lastMessage
      ? {
          id: view.lastMessage.id,
          senderType: view.lastMessage.senderType,
          messageType: view.lastMessage.messageType,
          preview: previewOf(view.lastMessage),
          createdAt: view.lastMessage.createdAt.toISOString(),
        }
      : null,
    lastMessageAt: view.lastMessageAt.toISOString(),
    resolvedAt: view.resolvedAt?.toISOString() ?? null,
    queuedAt: view.queuedAt.toISOString(),
    createdAt: view.createdAt.toISOString(),
    updatedAt: view.updatedAt.toISOString(),
    order: view.order,
    ...(audience === 'admin' ? { user: view.user } : {}),
    // Search matches may quote an internal note: never for a user.
    ...(audience === 'admin' && view.match ? { match: view.match } : {}),
  };
}

/** Fresh signed URLs for an attachment; they expire after the documents service's TTL. */
export function attachmentUrls(attachment: AttachmentRow, documents: DocumentsService): AttachmentUrls {
  const view = documents.signedUrl(attachment.secureStoragePath, 'inline');
  const download = documents.signedUrl(attachment.secureStoragePath, 'attachment');
  const thumbnail = attachment.thumbnailStoragePath
    ? documents.signedUrl(attachment.thumbnailStoragePath, 'inline')
    : null;
  return {
    id: attachment.id,
    viewUrl: view.url,
    downloadUrl: download.url,
    thumbnailUrl: thumbnail?.url ?? null,
    urlsExpireAt: view.expiresAt.toISOString(),
  };
}

export function toAttachmentDto(attachment: AttachmentRow, documents: DocumentsService): AttachmentDto {
  return {
    ...attachmentUrls(attachment, documents),
    fileName: attachment.fileName,
    fileType: attachment.fileType,
    fileSize: attachment.fileSize,
    isImage: IMAGE_MIME_TYPES.includes(attachment.fileType),
    imageWidth: attachment.imageWidth,
    imageHeight: attachment.imageHeight,
    createdAt: attachment.createdAt.toISOString(),
  };
}

export function toMessageDto(row: MessageRow, documents: DocumentsService): MessageDto {
  return {
    id: row.id,
    conversationId: row.conversationId,
    senderType: row.senderType,
    senderAdminId: row.senderAdminId,
    senderName: row.senderType === 'admin' ? (row.senderAdmin?.displayName ?? 'Support') : null,
    messageType: row.messageType,
    body: row.body,
    attachment: row.attachment ? toAttachmentDto(row.attachment, documents) : null,
    read: row.read,
    readAt: row.readAt?.toISOString() ?? null,
    clientMessageId: row.clientMessageId,
    createdAt: row.createdAt.toISOString(),
    seq: row.seq,
  };
}
