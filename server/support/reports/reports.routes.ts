// Report routes under /api/admin/support/reports (SUPPORT_REPORTS). Thin: the service authorises.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse } from '../../../common/errors.js';
import { ReportQuery, SupportReport } from '../../../common/reports.js';
import type { ReportsService } from './reports.service.js';

const bearer = [{ bearer: [] }];
const failures = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse };

export async function reportsRoutes(app: FastifyInstance, options: { reports: ReportsService }) {
  const { reports } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/reports', {
    schema: {
      tags: ['admin support'],
      summary:
        'Support figures for a period: summary, by day, by agent, by user type, and the team now (SUPPORT_REPORTS)',
      security: bearer,
      querystring: ReportQuery,
      response: { 200: SupportReport, ...failures },
    },
    handler: (request) => reports.report(request.principal, request.query),
  });

  routes.get('/reports/conversations.csv', {
    schema: {
      tags: ['admin support'],
      summary: "The period's conversations as CSV: ids, types, times, agent, status, rating; no text (SUPPORT_REPORTS)",
      security: bearer,
      querystring: ReportQuery,
      response: { 200: z.unknown().describe('CSV (text/csv), streamed'), ...failures },
    },
    handler: async (request, reply) => {
      const { filename, lines } = await reports.csv(request.principal, request.query);
      // Streamed as PostgreSQL's cursor yields it (a 30-day export is ~10 MB).
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(Readable.from(lines));
    },
  });
}
