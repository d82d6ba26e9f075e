// Routing routes under /api/admin/support: the team at a glance, one's own availability, and a
// lead's capacity override. Thin: the routing service authorises.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse } from '../../../common/errors.js';
import { AgentCapacityBody, SetAvailabilityBody, TeamAgent, TeamSnapshot } from '../../../common/routing.js';
import type { RoutingService } from './routing.service.js';

const bearer = [{ bearer: [] }];
const failures = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

export async function routingRoutes(app: FastifyInstance, options: { routing: RoutingService }) {
  const { routing } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/team', {
    schema: {
      tags: ['admin support'],
      summary: "Every support agent's status and load, and the routing queue (SUPPORT_CHAT)",
      security: bearer,
      response: { 200: TeamSnapshot, ...failures },
    },
    handler: (request) => routing.team(request.principal),
  });

  routes.put('/me/availability', {
    schema: {
      tags: ['admin support'],
      summary: 'Set your own availability: online, away (no new chats) or offline (SUPPORT_CHAT)',
      security: bearer,
      body: SetAvailabilityBody,
      response: { 200: TeamAgent, ...failures },
    },
    handler: (request) => routing.setAvailability(request.principal, request.body.availability),
  });

  routes.put('/agents/:adminId/capacity', {
    schema: {
      tags: ['admin support'],
      summary: "Override one agent's maximum of open conversations; null: the setting applies (SETTINGS_MANAGE)",
      security: bearer,
      params: z.object({ adminId: z.string().uuid() }),
      body: AgentCapacityBody,
      response: { 200: TeamAgent, ...failures },
    },
    handler: (request) =>
      routing.setCapacity(request.principal, request.params.adminId, request.body.maxOpenConversations),
  });
}
