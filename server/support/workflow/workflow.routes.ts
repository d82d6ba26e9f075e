// Conversation workflow routes under /api/admin/support: status (with resolve and reopen as
// shortcuts) and priority. Thin: the workflow service authorises.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorResponse } from '../../../common/errors.js';
import {
  ConversationDto,
  ConversationIdParams,
  SetPriorityRequest,
  SetStatusRequest,
} from '../../../common/support.js';
import type { WorkflowService } from './workflow.service.js';

const bearer = [{ bearer: [] }];
const failures = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function workflowRoutes(app: FastifyInstance, options: { workflow: WorkflowService }) {
  const { workflow } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.put('/conversations/:conversationId/status', {
    schema: {
      tags: ['admin support'],
      summary:
        'Set the status: open, pending (waiting on the user), snoozed until snoozedUntil (in the future, at most 90 days ahead; else 400 SNOOZE_TIME_INVALID) or resolved (SUPPORT_CHAT)',
      security: bearer,
      params: ConversationIdParams,
      body: SetStatusRequest,
      response: { 200: ConversationDto, ...failures },
    },
    handler: (request) => workflow.setStatus(request.principal, request.params.conversationId, request.body),
  });

  for (const [action, status] of [
    ['resolve', 'resolved'],
    ['reopen', 'open'],
  ] as const) {
    routes.post(`/conversations/:conversationId/${action}`, {
      schema: {
        tags: ['admin support'],
        summary: `Mark the conversation ${status} (SUPPORT_CHAT)`,
        security: bearer,
        params: ConversationIdParams,
        response: { 200: ConversationDto, ...failures },
      },
      handler: (request) => workflow.setStatus(request.principal, request.params.conversationId, { status }),
    });
  }

  routes.put('/conversations/:conversationId/priority', {
    schema: {
      tags: ['admin support'],
      summary: 'Set the priority: none, low, medium, high or urgent; users never see it (SUPPORT_CHAT)',
      security: bearer,
      params: ConversationIdParams,
      body: SetPriorityRequest,
      response: { 200: ConversationDto, ...failures },
    },
    handler: (request) => workflow.setPriority(request.principal, request.params.conversationId, request.body.priority),
  });
}
