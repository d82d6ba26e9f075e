// Wire-shaped test data (the contract's DTOs), with ids that satisfy the schemas.
import type { AttachmentDto, ConversationDto, MessageDto } from '../../../common/support';

let counter = 0;
/** A valid UUID, unique per call. */
export function uuid(): string {
  counter += 1;
  return `00000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export const CONVERSATION_ID = '11111111-1111-4111-8111-111111111111';

export function makeMessage(overrides: Partial<MessageDto> = {}): MessageDto {
  return {
    id: uuid(),
    conversationId: CONVERSATION_ID,
    senderType: 'user',
    senderAdminId: null,
    senderName: null,
    messageType: 'text',
    body: 'Hello',
    attachment: null,
    read: false,
    readAt: null,
    clientMessageId: null,
    createdAt: '2025-03-10T10:00:00.000Z',
    seq: 1,
    ...overrides,
  };
}

export function makeAttachment(overrides: Partial<AttachmentDto> = {}): AttachmentDto {
  const id = overrides.id ?? uuid();
  return {
    id,
    fileName: 'receipt.jpg',
    fileType: 'image/jpeg',
    fileSize: 120_000,
    isImage: true,
    imageWidth: 800,
    imageHeight: 600,
    viewUrl: `/api/documents/view-${id}?sig=a`,
    downloadUrl: `/api/documents/download-${id}?sig=a`,
    thumbnailUrl: `/api/documents/thumb-${id}?sig=a`,
    urlsExpireAt: new Date(Date.now() + 5 * 60_000).toISOString(),
    createdAt: '2025-03-10T10:00:00.000Z',
    ...overrides,
  };
}

export function makeConversation(overrides: Partial<ConversationDto> = {}): ConversationDto {
  return {
    id: uuid(),
    userId: uuid(),
    userType: 'driver',
    adminId: null,
    assignee: null,
    status: 'open',
    snoozedUntil: null,
    priority: 'none',
    subject: null,
    unreadCount: 0,
    lastMessage: null,
    lastMessageAt: '2025-03-10T10:00:00.000Z',
    resolvedAt: null,
    queuedAt: '2025-03-10T09:00:00.000Z',
    createdAt: '2025-03-10T09:00:00.000Z',
    updatedAt: '2025-03-10T10:00:00.000Z',
    order: null,
    ...overrides,
  };
}
