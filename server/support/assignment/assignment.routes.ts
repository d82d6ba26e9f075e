// POST /api/admin/support/conversations/:conversationId/assign (assignment.service.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorResponse } from '../../../common/errors.js';
import { AssignConversationRequest, ConversationDto, ConversationIdParams } from '../../../common/support.js';
import type { AssignmentService } from './assignment.service.js';

const bearer = [{ bearer: [] }];
const failures = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function assignmentRoutes(app: FastifyInstance, options: { assignment: AssignmentService }) {
  const { assignment } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post('/conversations/:conversationId/assign', {
    schema: {
      tags: ['admin support'],
      summary:
        'Assign to a support admin; without adminId the caller takes it (409 ALREADY_ASSIGNED if someone has it); adminId null unassigns; another admin who is not online or is at capacity: 409 AGENT_UNAVAILABLE / AGENT_AT_CAPACITY unless force',
      security: bearer,
      params: ConversationIdParams,
      body: AssignConversationRequest.optional(),
      response: { 200: ConversationDto, ...failures, 409: ErrorResponse },
    },
    handler: (request) =>
      assignment.assignConversation(request.principal, request.params.conversationId, request.body?.adminId, {
        force: request.body?.force ?? false,
      }),
  });
}
