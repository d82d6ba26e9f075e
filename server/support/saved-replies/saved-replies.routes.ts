// Saved replies under /api/admin/support/saved-replies. Thin: the service authorises (reading:
// SUPPORT_CHAT or SETTINGS_MANAGE; writing: SETTINGS_MANAGE; rendering: SUPPORT_CHAT and the
// conversation).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse } from '../../../common/errors.js';
import {
  RenderedSavedReply,
  RenderSavedReplyRequest,
  SavedRepliesQuery,
  SavedReplyDto,
  SavedReplyIdParams,
  SavedReplyInput,
  SavedReplyList,
} from '../../../common/saved-replies.js';
import type { SavedRepliesService } from './saved-replies.service.js';

const bearer = [{ bearer: [] }];
const failures = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
const tags = ['saved replies'];

export async function savedRepliesRoutes(app: FastifyInstance, options: { savedReplies: SavedRepliesService }) {
  const { savedReplies } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/saved-replies', {
    schema: {
      tags,
      summary:
        'Saved replies by shortcut, optionally those whose shortcut or title contains `search` (SUPPORT_CHAT or SETTINGS_MANAGE)',
      security: bearer,
      querystring: SavedRepliesQuery,
      response: { 200: SavedReplyList, ...failures },
    },
    handler: async (request) => ({ items: await savedReplies.list(request.principal, request.query) }),
  });

  routes.post('/saved-replies', {
    schema: {
      tags,
      summary: 'Create a saved reply (SETTINGS_MANAGE); audited',
      security: bearer,
      body: SavedReplyInput,
      response: { 201: SavedReplyDto, ...failures, 409: ErrorResponse },
    },
    handler: async (request, reply) =>
      reply.status(201).send(await savedReplies.create(request.principal, request.body)),
  });

  routes.put('/saved-replies/:savedReplyId', {
    schema: {
      tags,
      summary: 'Replace a saved reply (SETTINGS_MANAGE); audited',
      security: bearer,
      params: SavedReplyIdParams,
      body: SavedReplyInput,
      response: { 200: SavedReplyDto, ...failures, 409: ErrorResponse },
    },
    handler: (request) => savedReplies.update(request.principal, request.params.savedReplyId, request.body),
  });

  routes.delete('/saved-replies/:savedReplyId', {
    schema: {
      tags,
      summary: 'Delete a saved reply (SETTINGS_MANAGE); audited',
      security: bearer,
      params: SavedReplyIdParams,
      response: { 204: z.null(), ...failures },
    },
    handler: async (request, reply) => {
      await savedReplies.remove(request.principal, request.params.savedReplyId);
      return reply.status(204).send(null);
    },
  });

  routes.post('/saved-replies/:savedReplyId/render', {
    schema: {
      tags,
      summary: "A saved reply's text for one conversation, its variables filled in (SUPPORT_CHAT)",
      security: bearer,
      params: SavedReplyIdParams,
      body: RenderSavedReplyRequest,
      response: { 200: RenderedSavedReply, ...failures },
    },
    handler: (request) =>
      savedReplies.render(request.principal, request.params.savedReplyId, request.body.conversationId),
  });
}
