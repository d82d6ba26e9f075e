// Internal notes and mentions under /api/admin/support (SUPPORT_CHAT). Thin: the notes service
// authorises. Writing a note spends the account's message budget, like a reply.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorResponse } from '../../../common/errors.js';
import {
  CreateNoteRequest,
  MentionPage,
  MentionsQuery,
  MentionsRead,
  NoteDto,
  NotePage,
  NotesQuery,
} from '../../../common/notes.js';
import { ConversationIdParams } from '../../../common/support.js';
import type { RateLimits } from '../../platform/limits/rate-limits.js';
import type { NotesService } from './notes.service.js';

const bearer = [{ bearer: [] }];
const failures = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function notesRoutes(app: FastifyInstance, options: { notes: NotesService; limits: RateLimits }) {
  const { notes, limits } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const messageBudget = (request: FastifyRequest) => limits.consume('messages', request.principal.userId);

  routes.get('/conversations/:conversationId/notes', {
    schema: {
      tags: ['admin support'],
      summary: "A conversation's internal notes, oldest first (SUPPORT_CHAT; never shown to the user)",
      security: bearer,
      params: ConversationIdParams,
      querystring: NotesQuery,
      response: { 200: NotePage, ...failures },
    },
    handler: (request) => notes.listNotes(request.principal, request.params.conversationId, request.query),
  });

  routes.post('/conversations/:conversationId/notes', {
    preHandler: messageBudget,
    schema: {
      tags: ['admin support'],
      summary:
        'Write an internal note, optionally @mentioning agents by id (SUPPORT_CHAT); a retry with the same clientNoteId returns the stored one (200)',
      security: bearer,
      params: ConversationIdParams,
      body: CreateNoteRequest,
      response: { 200: NoteDto, 201: NoteDto, ...failures, 409: ErrorResponse, 429: ErrorResponse },
    },
    handler: async (request, reply) => {
      const written = await notes.createNote(request.principal, request.params.conversationId, request.body);
      return reply.status(written.created ? 201 : 200).send(written.note);
    },
  });

  routes.get('/mentions', {
    schema: {
      tags: ['admin support'],
      summary: 'Conversations whose notes mention you, unread mentions first, and your unread total (SUPPORT_CHAT)',
      security: bearer,
      querystring: MentionsQuery,
      response: { 200: MentionPage, ...failures },
    },
    handler: (request) => notes.listMentions(request.principal, request.query),
  });

  routes.post('/conversations/:conversationId/mentions/read', {
    schema: {
      tags: ['admin support'],
      summary: 'Mark your mentions in this conversation read (SUPPORT_CHAT)',
      security: bearer,
      params: ConversationIdParams,
      response: { 200: MentionsRead, ...failures },
    },
    handler: (request) => notes.markMentionsRead(request.principal, request.params.conversationId),
  });
}
