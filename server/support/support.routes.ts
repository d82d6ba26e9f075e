// HTTP routes of the support chat. Thin: parse, call the service (which authorises), shape.
//   /api/support/...        the conversation's user and SUPPORT_CHAT admins
//   /api/admin/support/...  SUPPORT_CHAT admins only
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorCode, ErrorResponse } from '../../common/errors.js';
import { AttachmentLimits } from '../../common/settings.js';
import {
  AdminConversationsQuery,
  AdminSummary,
  AttachmentIdParams,
  AttachmentUrls,
  ClientMessageId,
  ConversationDto,
  ConversationIdParams,
  ConversationPage,
  ConversationUserDetails,
  CreateConversationRequest,
  CreatedConversation,
  MessageDto,
  MessageHistoryQuery,
  MessageIdParams,
  MessagePage,
  ReadReceipt,
  SendMessageRequest,
  UnreadTotals,
  UserConversationsQuery,
} from '../../common/support.js';
import { AppError } from '../errors.js';
import type { RateLimits } from '../platform/limits/rate-limits.js';
import { requireUser } from '../platform/rbac/rbac.js';
import type { UploadedFile } from './attachments/attachments.service.js';
import { requireSupportAdmin } from './policies.js';
import type { SupportService } from './support.service.js';

const bearer = [{ bearer: [] }];
const failures = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function supportRoutes(app: FastifyInstance, options: { support: SupportService; limits: RateLimits }) {
  const { support, limits } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  await app.register(fastifyMultipart, { throwFileSizeLimit: true });
  /** Sends and uploads spend the account's message budget, the same one its sockets spend. */
  const messageBudget = (request: FastifyRequest) => limits.consume('messages', request.principal.userId);

  routes.get('/conversations', {
    schema: {
      tags: ['support'],
      summary: "The signed-in user's conversations, newest activity first (listUserConversations)",
      security: bearer,
      querystring: UserConversationsQuery,
      response: { 200: ConversationPage, ...failures },
    },
    handler: (request) => support.listUserConversations(request.principal, request.principal.userId, request.query),
  });

  routes.post('/conversations', {
    schema: {
      tags: ['support'],
      summary: 'Open a conversation, optionally with a topic and a first message (createConversation)',
      security: bearer,
      body: CreateConversationRequest,
      response: { 201: CreatedConversation, ...failures, 429: ErrorResponse },
    },
    handler: async (request, reply) => {
      const user = requireUser(request.principal);
      const created = await support.createConversation(user, user.userId, user.userType, request.body);
      return reply.status(201).send(created);
    },
  });

  routes.get('/conversations/:conversationId', {
    schema: {
      tags: ['support'],
      summary: 'One conversation',
      security: bearer,
      params: ConversationIdParams,
      response: { 200: ConversationDto, ...failures },
    },
    handler: (request) => support.getConversation(request.principal, request.params.conversationId),
  });

  routes.get('/conversations/:conversationId/messages', {
    schema: {
      tags: ['support'],
      summary: 'Message history: newest first (before=<messageId> pages back), or oldest first after=<messageId>',
      security: bearer,
      params: ConversationIdParams,
      querystring: MessageHistoryQuery,
      response: { 200: MessagePage, ...failures },
    },
    handler: (request) => support.listMessages(request.principal, request.params.conversationId, request.query),
  });

  routes.post('/conversations/:conversationId/messages', {
    preHandler: messageBudget,
    schema: {
      tags: ['support'],
      summary: 'Send a text message (sendMessage); a retry with the same clientMessageId returns the stored one (200)',
      security: bearer,
      params: ConversationIdParams,
      body: SendMessageRequest,
      response: { 200: MessageDto, 201: MessageDto, ...failures, 429: ErrorResponse },
    },
    handler: async (request, reply) => {
      const sent = await support.sendMessage(request.principal, request.params.conversationId, request.body);
      return reply.status(sent.created ? 201 : 200).send(sent.message);
    },
  });

  routes.post('/conversations/:conversationId/attachments', {
    preHandler: messageBudget,
    schema: {
      tags: ['support'],
      summary:
        'Upload an image or file (uploadAttachment): multipart/form-data with "file" and optional "clientMessageId"',
      security: bearer,
      consumes: ['multipart/form-data'],
      params: ConversationIdParams,
      response: {
        200: MessageDto,
        201: MessageDto,
        ...failures,
        413: ErrorResponse,
        415: ErrorResponse,
        429: ErrorResponse,
      },
    },
    handler: async (request, reply) => {
      const { conversationId } = request.params;
      // Access and limits are checked before a byte of the file is read.
      const settings = await support.prepareUpload(request.principal, conversationId);
      const file = await readUpload(request, settings.maxAttachmentSizeMB);
      const sent = await support.uploadAttachment(request.principal, conversationId, file);
      return reply.status(sent.created ? 201 : 200).send(sent.message);
    },
  });

  routes.post('/messages/:messageId/read', {
    schema: {
      tags: ['support'],
      summary: 'Mark a message and every earlier one from the other side read (markAsRead)',
      security: bearer,
      params: MessageIdParams,
      response: { 200: ReadReceipt, ...failures },
    },
    handler: (request) => support.markAsRead(request.principal, request.params.messageId),
  });

  routes.get('/attachments/:attachmentId/urls', {
    schema: {
      tags: ['support'],
      summary: 'Fresh short-lived signed URLs of an attachment',
      security: bearer,
      params: AttachmentIdParams,
      response: { 200: AttachmentUrls, ...failures },
    },
    handler: (request) => support.attachmentUrls(request.principal, request.params.attachmentId),
  });

  routes.get('/settings', {
    schema: {
      tags: ['support'],
      summary: 'Attachment limits, to check a file before uploading it',
      security: bearer,
      response: { 200: AttachmentLimits, 401: ErrorResponse },
    },
    handler: () => support.attachmentLimits(),
  });

  routes.get('/unread', {
    schema: {
      tags: ['support'],
      summary: "Unread totals over the signed-in user's conversations (all conversations for admins)",
      security: bearer,
      response: { 200: UnreadTotals, ...failures },
    },
    handler: (request) => support.unreadTotals(request.principal),
  });
}

export async function adminSupportRoutes(app: FastifyInstance, options: { support: SupportService }) {
  const { support } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/conversations', {
    schema: {
      tags: ['admin support'],
      summary: 'All conversations: search, filters, newest activity first (listAdminConversations; SUPPORT_CHAT)',
      security: bearer,
      querystring: AdminConversationsQuery,
      response: { 200: ConversationPage, ...failures },
    },
    handler: (request) => support.listAdminConversations(request.principal, request.query),
  });

  routes.get('/unread', {
    schema: {
      tags: ['admin support'],
      summary: 'Unread totals over all conversations (SUPPORT_CHAT)',
      security: bearer,
      response: { 200: UnreadTotals, ...failures },
    },
    handler: (request) => support.unreadTotals(requireSupportAdmin(request.principal)),
  });

  routes.get('/conversations/:conversationId/user', {
    schema: {
      tags: ['admin support'],
      summary: "The conversation's user: profile details and other conversations (SUPPORT_CHAT)",
      security: bearer,
      params: ConversationIdParams,
      response: { 200: ConversationUserDetails, ...failures },
    },
    handler: (request) => support.conversationUserDetails(request.principal, request.params.conversationId),
  });

  routes.get('/admins', {
    schema: {
      tags: ['admin support'],
      summary: 'Admins who can be assigned conversations (SUPPORT_CHAT)',
      security: bearer,
      response: { 200: z.array(AdminSummary), ...failures },
    },
    handler: (request) => support.listSupportAdmins(request.principal),
  });
}

/**
 * Reads the multipart body: one "file" part, read into memory up to the size limit (the stream is
 * abandoned the moment it passes the limit), and an optional "clientMessageId" field.
 */
async function readUpload(request: FastifyRequest, maxSizeMB: number): Promise<UploadedFile> {
  if (!request.isMultipart()) {
    throw new AppError(400, ErrorCode.ATTACHMENT_MISSING, 'Send the file as multipart/form-data in a "file" field.');
  }
  let file: { data: Buffer; fileName: string } | undefined;
  let clientMessageId: string | undefined;
  try {
    for await (const part of request.parts({
      limits: { fileSize: maxSizeMB * 1024 * 1024, files: 1, fields: 4, parts: 6, fieldSize: 256 },
    })) {
      if (part.type === 'file' && part.fieldname === 'file') {
        file = { data: await part.toBuffer(), fileName: part.filename || 'attachment' };
      } else if (part.type === 'file') {
        part.file.resume();
      } else if (part.fieldname === 'clientMessageId') {
        const parsed = ClientMessageId.safeParse(part.value);
        if (!parsed.success) {
          throw new AppError(400, ErrorCode.VALIDATION_FAILED, 'The clientMessageId is not valid.', {
            fieldErrors: { clientMessageId: parsed.error.issues.map((issue) => issue.message) },
          });
        }
        clientMessageId = parsed.data;
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const { multipartErrors } = request.server;
    if (error instanceof multipartErrors.RequestFileTooLargeError) {
      throw new AppError(413, ErrorCode.ATTACHMENT_TOO_LARGE, `Files can be at most ${maxSizeMB} MB.`);
    }
    if (error instanceof multipartErrors.FilesLimitError) {
      throw new AppError(413, ErrorCode.TOO_MANY_FILES, 'Send one file per upload.');
    }
    if (error instanceof multipartErrors.FieldsLimitError || error instanceof multipartErrors.PartsLimitError) {
      throw new AppError(413, ErrorCode.TOO_MANY_FIELDS, 'Send only "file" and "clientMessageId" in the upload form.');
    }
    // Anything else the parser throws means the body is not well-formed multipart (cut short,
    // bad boundary, a prototype field name): the client's fault, not ours.
    throw new AppError(400, ErrorCode.MULTIPART_INVALID, 'The upload is not valid multipart/form-data.');
  }
  if (!file) throw new AppError(400, ErrorCode.ATTACHMENT_MISSING, 'Choose a file to send.');
  return { ...file, clientMessageId };
}
