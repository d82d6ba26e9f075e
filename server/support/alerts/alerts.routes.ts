// Alert preferences under /api/admin/support (SUPPORT_CHAT): the caller's own, never another's.
// Thin: the alerts service authorises.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AlertPreferences, UpdateAlertPreferences } from '../../../common/alerts.js';
import { ErrorResponse } from '../../../common/errors.js';
import type { AlertsService } from './alerts.service.js';

const bearer = [{ bearer: [] }];
const failures = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

export async function alertsRoutes(app: FastifyInstance, options: { alerts: AlertsService }) {
  const { alerts } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/alert-preferences', {
    schema: {
      tags: ['admin support'],
      summary: 'Your alert switches: notification, sound and tab title per kind of alert (SUPPORT_CHAT)',
      security: bearer,
      response: { 200: AlertPreferences, ...failures },
    },
    handler: (request) => alerts.preferences(request.principal),
  });

  routes.put('/alert-preferences', {
    schema: {
      tags: ['admin support'],
      summary: 'Change some of your alert switches, e.g. { message: { sound: false } } (SUPPORT_CHAT)',
      security: bearer,
      body: UpdateAlertPreferences,
      response: { 200: AlertPreferences, ...failures },
    },
    handler: (request) => alerts.updatePreferences(request.principal, request.body),
  });
}
