// Typed calls to the support chat's HTTP API (shapes in common/support.ts).
import type { AttachmentLimits } from '../../../common/settings';
import type {
  AdminConversationsQuery,
  AdminSummary,
  AssignConversationRequest,
  AttachmentUrls,
  ConversationDto,
  ConversationPage,
  ConversationUserDetails,
  CreateConversationRequest,
  CreatedConversation,
  MessageDto,
  MessagePage,
  ReadReceipt,
  SendMessageRequest,
  UnreadTotals,
} from '../../../common/support';
import { apiFetch, apiUpload } from '../api/api-fetch';

const user = '/api/support';
const admin = '/api/admin/support';
const id = encodeURIComponent;

/** Admin inbox filters as the query string takes them (limit and cursor are added by the hooks). */
export type AdminConversationFilters = Partial<Omit<AdminConversationsQuery, 'cursor' | 'limit'>>;

export const supportApi = {
  // --- the signed-in user's own conversations (admins may read any through these too) -------
  listMyConversations: (params: { cursor?: string | null; limit?: number } = {}, signal?: AbortSignal) =>
    apiFetch<ConversationPage>(`${user}/conversations`, { query: params, signal }),
  createConversation: (body: CreateConversationRequest) =>
    apiFetch<CreatedConversation>(`${user}/conversations`, { method: 'POST', body }),
  getConversation: (conversationId: string, signal?: AbortSignal) =>
    apiFetch<ConversationDto>(`${user}/conversations/${id(conversationId)}`, { signal }),
  listMessages: (
    conversationId: string,
    params: { before?: string; after?: string; afterSeq?: number; limit?: number } = {},
    signal?: AbortSignal,
  ) => apiFetch<MessagePage>(`${user}/conversations/${id(conversationId)}/messages`, { query: params, signal }),
  sendMessage: (conversationId: string, body: SendMessageRequest) =>
    apiFetch<MessageDto>(`${user}/conversations/${id(conversationId)}/messages`, { method: 'POST', body }),
  uploadAttachment: (
    conversationId: string,
    file: File,
    options: { clientMessageId?: string; onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
  ) => {
    const form = new FormData();
    // Fields before the file: the server reads the stream in order.
    if (options.clientMessageId) form.append('clientMessageId', options.clientMessageId);
    form.append('file', file, file.name);
    return apiUpload<MessageDto>(`${user}/conversations/${id(conversationId)}/attachments`, form, options);
  },
  markRead: (messageId: string) => apiFetch<ReadReceipt>(`${user}/messages/${id(messageId)}/read`, { method: 'POST' }),
  getAttachmentUrls: (attachmentId: string) => apiFetch<AttachmentUrls>(`${user}/attachments/${id(attachmentId)}/urls`),
  getAttachmentLimits: (signal?: AbortSignal) => apiFetch<AttachmentLimits>(`${user}/settings`, { signal }),
  getMyUnread: (signal?: AbortSignal) => apiFetch<UnreadTotals>(`${user}/unread`, { signal }),

  // --- support admins (SUPPORT_CHAT) ---------------------------------------------------------
  listAdminConversations: (
    params: AdminConversationFilters & { cursor?: string | null; limit?: number },
    signal?: AbortSignal,
  ) => apiFetch<ConversationPage>(`${admin}/conversations`, { query: params, signal }),
  getAdminUnread: (signal?: AbortSignal) => apiFetch<UnreadTotals>(`${admin}/unread`, { signal }),
  assignConversation: (conversationId: string, body: AssignConversationRequest) =>
    apiFetch<ConversationDto>(`${admin}/conversations/${id(conversationId)}/assign`, { method: 'POST', body }),
  resolveConversation: (conversationId: string) =>
    apiFetch<ConversationDto>(`${admin}/conversations/${id(conversationId)}/resolve`, { method: 'POST' }),
  reopenConversation: (conversationId: string) =>
    apiFetch<ConversationDto>(`${admin}/conversations/${id(conversationId)}/reopen`, { method: 'POST' }),
  getConversationUser: (conversationId: string, signal?: AbortSignal) =>
    apiFetch<ConversationUserDetails>(`${admin}/conversations/${id(conversationId)}/user`, { signal }),
  listAdmins: (signal?: AbortSignal) => apiFetch<AdminSummary[]>(`${admin}/admins`, { signal }),
};

/** A random id for an optimistic message, within ClientMessageId's rules (letters, digits, - and _). */
export function newClientMessageId(): string {
  // getRandomValues works on plain http too (randomUUID needs a secure context).
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
