// GET/PUT /api/admin/settings/support (SETTINGS_MANAGE).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorResponse } from '../../../common/errors.js';
import { SupportSettings } from '../../../common/settings.js';
import { requirePermission } from '../rbac/rbac.js';
import type { SettingsService } from './settings.service.js';

export async function settingsRoutes(app: FastifyInstance, options: { settings: SettingsService }) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const errorsSchema = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

  routes.get('/support', {
    schema: {
      tags: ['settings'],
      summary: 'Support settings (SETTINGS_MANAGE)',
      security: [{ bearer: [] }],
      response: { 200: SupportSettings, ...errorsSchema },
    },
    handler: (request) => {
      requirePermission(request.principal, 'SETTINGS_MANAGE');
      return options.settings.getSupport();
    },
  });

  routes.put('/support', {
    schema: {
      tags: ['settings'],
      summary: 'Replace the support settings (SETTINGS_MANAGE); changes are audited',
      security: [{ bearer: [] }],
      body: SupportSettings,
      response: { 200: SupportSettings, ...errorsSchema },
    },
    handler: (request) => {
      const actor = requirePermission(request.principal, 'SETTINGS_MANAGE');
      return options.settings.updateSupport(actor, request.body);
    },
  });
}
