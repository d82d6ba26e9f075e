// GET /metrics for Prometheus. Off unless METRICS_TOKEN is set; then the scraper sends it as a
// bearer token (the endpoint sits on the public listener, and its figures describe the business).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../errors.js';
import type { Metrics } from './metrics.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

export async function metricsRoutes(app: FastifyInstance, options: { metrics: Metrics; token: string | undefined }) {
  const { metrics, token } = options;
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    if (!token) throw errors.notFound('Route');
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    // Compared as digests: equal lengths, and no timing difference to learn the token from.
    if (!timingSafeEqual(digest(given), digest(token)))
      throw errors.unauthenticated('A valid metrics token is required.');
    reply.header('content-type', metrics.registry.contentType);
    return metrics.render();
  });
}
