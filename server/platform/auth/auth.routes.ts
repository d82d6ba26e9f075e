// POST /api/auth/login, POST /api/auth/refresh, GET /api/auth/me
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LoginRequest, Me, TokenResponse } from '../../../common/auth.js';
import { ErrorResponse } from '../../../common/errors.js';
import type { AuthService } from './auth.service.js';

export async function authRoutes(
  app: FastifyInstance,
  options: {
    auth: AuthService;
    /** Throws 429 RATE_LIMITED past the per-address or per-address-and-e-mail budget. */
    checkLoginLimits: (ip: string, email: string) => Promise<void>;
  },
) {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post('/login', {
    config: { public: true },
    preHandler: (request) => options.checkLoginLimits(request.ip, request.body.email),
    schema: {
      tags: ['auth'],
      summary: 'Sign in with e-mail and password',
      body: LoginRequest,
      response: { 200: TokenResponse, 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
    },
    handler: (request) => options.auth.login(request.body.email, request.body.password),
  });

  routes.post('/refresh', {
    schema: {
      tags: ['auth'],
      summary: 'Exchange a valid token for a fresh one (within the session maximum age)',
      security: [{ bearer: [] }],
      response: { 200: TokenResponse, 401: ErrorResponse },
    },
    handler: (request) => {
      const claims = request.auth?.claims;
      return options.auth.refresh(request.principal.userId, claims?.sst ?? 0);
    },
  });

  routes.get('/me', {
    schema: {
      tags: ['auth'],
      summary: 'The signed-in account',
      security: [{ bearer: [] }],
      response: { 200: Me, 401: ErrorResponse },
    },
    handler: (request) => options.auth.me(request.principal.userId),
  });
}
